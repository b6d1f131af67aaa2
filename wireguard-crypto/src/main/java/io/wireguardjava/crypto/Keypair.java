package io.wireguardjava.crypto;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One session's keys, made by a completed handshake: a sending key with its counter, a receiving
 * key with its {@link ReplayWindow}, the local and remote indices, the creation time and who
 * initiated. {@link #seal} and {@link #open} are the data path: they read and write caller-owned
 * arrays and allocate nothing in this package (the JDK cipher's own {@code init} garbage is the
 * backend's, see {@link ChaCha20Poly1305}). Thread-safe: counters are atomic and each thread uses
 * its own cipher object, so many threads may seal and open concurrently.
 *
 * <p>Results are {@code int}s: a length when {@code >= 0}, else a {@link Reason#code()}, turned
 * into a reason by {@link Reason#fromCode(int)}.
 *
 * <p>Security guarantees: a plaintext is returned only after its tag verified under this keypair's
 * receiving key and its counter was new to the replay window; a counter is never used twice for
 * sending (atomic reservation, refused at REJECT_AFTER_MESSAGES); nothing is sealed or opened after
 * REJECT_AFTER_TIME or {@link #destroy()}. Not guaranteed: that the plaintext is a well-formed IP
 * packet from an allowed address (the engine's job).
 */
public final class Keypair {

  private final ChaCha20Poly1305 aead;
  private final ChaCha20Poly1305.Key sendKey;
  private final ChaCha20Poly1305.Key receiveKey;
  private final AtomicLong sendCounter = new AtomicLong();
  private final ReplayWindow replay = new ReplayWindow();
  private final TimeSource time;
  private final long createdNanos;
  private final boolean initiator;
  private final int localIndex;
  private final int remoteIndex;
  private volatile boolean destroyed;

  Keypair(
      ChaCha20Poly1305 aead,
      byte[] sendKey,
      byte[] receiveKey,
      boolean initiator,
      int localIndex,
      int remoteIndex,
      TimeSource time) {
    this.aead = aead;
    this.sendKey = aead.key(sendKey);
    this.receiveKey = aead.key(receiveKey);
    this.initiator = initiator;
    this.localIndex = localIndex;
    this.remoteIndex = remoteIndex;
    this.time = time;
    this.createdNanos = time.nanoTime();
  }

  /**
   * Our index: transport messages for this keypair arrive with it as receiver index.
   *
   * @return our index: transport messages for this keypair arrive with it as receiver index
   */
  public int localIndex() {
    return localIndex;
  }

  /**
   * The peer's index: written into every transport message we send with this keypair.
   *
   * @return the peer's index: written into every transport message we send with this keypair
   */
  public int remoteIndex() {
    return remoteIndex;
  }

  /**
   * Whether we initiated the handshake that made this keypair.
   *
   * @return whether we initiated the handshake that made this keypair
   */
  public boolean isInitiator() {
    return initiator;
  }

  /**
   * {@link TimeSource#nanoTime()} when the keypair was made.
   *
   * @return {@link TimeSource#nanoTime()} when the keypair was made
   */
  public long createdNanos() {
    return createdNanos;
  }

  /**
   * The next send counter that {@link #seal(byte[], int, int, byte[], int)} would use.
   *
   * @return the next send counter that {@link #seal(byte[], int, int, byte[], int)} would use
   */
  public long sendCounter() {
    return sendCounter.get();
  }

  /**
   * Which cipher backend this keypair uses.
   *
   * @return which cipher backend this keypair uses
   */
  public ChaCha20Poly1305.Backend backend() {
    return aead.backend();
  }

  /**
   * Reserves the next send counter, for pipelines that number packets sequentially and encrypt them
   * in parallel with {@link #seal(long, byte[], int, int, byte[], int)}.
   *
   * @return the reserved counter
   */
  public long reserveCounter() {
    return sendCounter.getAndIncrement();
  }

  /**
   * Encrypts one IP packet (or nothing, for a keepalive) into a whole transport message with the
   * next counter: {@code dst[dstOff..dstOff+Protocol.transportLength(len))}. The plaintext is
   * zero-padded to a multiple of 16. In place is allowed: {@code src == dst} and {@code srcOff ==
   * dstOff + 16}.
   *
   * @param src the buffer holding the packet
   * @param srcOff where the packet starts
   * @param len the packet's length (0 for a keepalive)
   * @param dst the buffer for the transport message
   * @param dstOff where in {@code dst} the message starts
   * @return the message length, or a negative {@link Reason} code ({@link Reason#KEYPAIR_EXPIRED},
   *     {@link Reason#COUNTER_LIMIT}, {@link Reason#BUFFER_TOO_SMALL})
   */
  public int seal(byte[] src, int srcOff, int len, byte[] dst, int dstOff) {
    if (Long.compareUnsigned(sendCounter.get(), Protocol.REJECT_AFTER_MESSAGES) >= 0) {
      return Reason.COUNTER_LIMIT.code();
    }
    return seal(sendCounter.getAndIncrement(), src, srcOff, len, dst, dstOff);
  }

  /**
   * As {@link #seal(byte[], int, int, byte[], int)} with a counter from {@link #reserveCounter}.
   *
   * @param counter a counter from {@link #reserveCounter()}
   * @param src the buffer holding the packet
   * @param srcOff where the packet starts
   * @param len the packet's length (0 for a keepalive)
   * @param dst the buffer for the transport message
   * @param dstOff where in {@code dst} the message starts
   * @return the message's length, as {@link #seal(byte[], int, int, byte[], int)} returns it
   */
  public int seal(long counter, byte[] src, int srcOff, int len, byte[] dst, int dstOff) {
    if (destroyed || time.nanoTime() - createdNanos >= Protocol.REJECT_AFTER_TIME.toNanos()) {
      return Reason.KEYPAIR_EXPIRED.code();
    }
    if (Long.compareUnsigned(counter, Protocol.REJECT_AFTER_MESSAGES) >= 0) {
      return Reason.COUNTER_LIMIT.code();
    }
    int padded = Protocol.paddedLength(len);
    int total = Protocol.TRANSPORT_HEADER_LENGTH + padded + Protocol.TAG_LENGTH;
    if (len < 0 || dstOff < 0 || dst.length - dstOff < total) {
      return Reason.BUFFER_TOO_SMALL.code();
    }
    dst[dstOff] = Protocol.TYPE_TRANSPORT;
    dst[dstOff + 1] = 0;
    dst[dstOff + 2] = 0;
    dst[dstOff + 3] = 0;
    LittleEndian.putLe32(dst, dstOff + 4, remoteIndex);
    LittleEndian.putLe64(dst, dstOff + 8, counter);
    aead.seal(
        sendKey,
        0,
        counter,
        null,
        src,
        srcOff,
        len,
        padded - len,
        dst,
        dstOff + Protocol.TRANSPORT_HEADER_LENGTH);
    return total;
  }

  /**
   * Authenticates and decrypts a transport message {@code msg[off..off+len)} (already checked with
   * {@link Messages#validate} and routed here by its receiver index) into {@code dst}, which needs
   * {@code len - 32} bytes. The result still carries the zero padding: the IP header's length tells
   * the real size. In place is allowed: {@code dst == msg}, {@code dstOff == off + 16}. The counter
   * is recorded in the replay window only after authentication.
   *
   * @param msg the buffer holding the transport message
   * @param off where the message starts
   * @param len the message's length
   * @param dst the buffer for the plaintext
   * @param dstOff where in {@code dst} the plaintext starts
   * @return the plaintext length (0 for a keepalive), or a negative {@link Reason} code ({@link
   *     Reason#WRONG_LENGTH}, {@link Reason#KEYPAIR_EXPIRED}, {@link Reason#WRONG_RECEIVER_INDEX},
   *     {@link Reason#COUNTER_LIMIT}, {@link Reason#DATA_AUTH_FAILED}, {@link Reason#REPLAYED},
   *     {@link Reason#BUFFER_TOO_SMALL})
   */
  public int open(byte[] msg, int off, int len, byte[] dst, int dstOff) {
    if (len < Protocol.TRANSPORT_MIN_LENGTH) {
      return Reason.WRONG_LENGTH.code();
    }
    if (destroyed || time.nanoTime() - createdNanos >= Protocol.REJECT_AFTER_TIME.toNanos()) {
      return Reason.KEYPAIR_EXPIRED.code();
    }
    if (LittleEndian.le32(msg, off + 4) != localIndex) {
      return Reason.WRONG_RECEIVER_INDEX.code();
    }
    long counter = Messages.counter(msg, off);
    if (Long.compareUnsigned(counter, Protocol.REJECT_AFTER_MESSAGES) >= 0) {
      return Reason.COUNTER_LIMIT.code();
    }
    int plainLen = len - Protocol.TRANSPORT_MIN_LENGTH;
    if (dstOff < 0 || dst.length - dstOff < plainLen) {
      return Reason.BUFFER_TOO_SMALL.code();
    }
    int n =
        aead.open(
            receiveKey,
            0,
            counter,
            null,
            msg,
            off + Protocol.TRANSPORT_HEADER_LENGTH,
            len - Protocol.TRANSPORT_HEADER_LENGTH,
            dst,
            dstOff);
    if (n < 0) {
      return Reason.DATA_AUTH_FAILED.code();
    }
    if (!replay.validate(counter)) {
      return Reason.REPLAYED.code();
    }
    return n;
  }

  /**
   * Age in nanoseconds.
   *
   * @return nanoseconds since the handshake that made this keypair
   */
  public long ageNanos() {
    return time.nanoTime() - createdNanos;
  }

  /**
   * Older than REJECT_AFTER_TIME, or destroyed: neither sends nor receives any more.
   *
   * @return whether the keypair may no longer be used
   */
  public boolean isExpired() {
    return destroyed || ageNanos() >= Protocol.REJECT_AFTER_TIME.toNanos();
  }

  /**
   * Whether sending with this keypair should trigger a new handshake (whitepaper 6.2): more than
   * REKEY_AFTER_MESSAGES sent, or, for the initiator, older than REKEY_AFTER_TIME.
   *
   * @return whether sending with this keypair should trigger a new handshake (whitepaper 6.2): more
   *     than REKEY_AFTER_MESSAGES sent, or, for the initiator, older than REKEY_AFTER_TIME
   */
  public boolean needsRekeyOnSend() {
    return Long.compareUnsigned(sendCounter.get(), Protocol.REKEY_AFTER_MESSAGES) > 0
        || (initiator && ageNanos() >= Protocol.REKEY_AFTER_TIME.toNanos());
  }

  /**
   * Whether receiving with this keypair should trigger a new handshake: the initiator's keypair is
   * older than REJECT_AFTER_TIME - KEEPALIVE_TIMEOUT - REKEY_TIMEOUT (165 s).
   *
   * @return whether receiving with this keypair should trigger a new handshake: the initiator's
   *     keypair is older than REJECT_AFTER_TIME - KEEPALIVE_TIMEOUT - REKEY_TIMEOUT (165 s)
   */
  public boolean needsRekeyOnReceive() {
    return initiator
        && ageNanos()
            >= Protocol.REJECT_AFTER_TIME
                .minus(Protocol.KEEPALIVE_TIMEOUT)
                .minus(Protocol.REKEY_TIMEOUT)
                .toNanos();
  }

  /** For the JMH benchmark only: forget all received counters so messages can be opened again. */
  void resetReplayWindowForBenchmark() {
    replay.reset();
  }

  /** Zeroes both keys; every later seal/open fails with {@link Reason#KEYPAIR_EXPIRED}. */
  public void destroy() {
    destroyed = true;
    sendKey.destroy();
    receiveKey.destroy();
  }

  @Override
  public String toString() {
    return "Keypair[local="
        + Integer.toUnsignedString(localIndex)
        + ", remote="
        + Integer.toUnsignedString(remoteIndex)
        + ", initiator="
        + initiator
        + ", sent="
        + Long.toUnsignedString(sendCounter.get())
        + (destroyed ? ", destroyed" : "")
        + "]";
  }
}
