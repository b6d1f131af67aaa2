package io.wireguardjava.crypto;

import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The device-wide receiving side of the cookie mechanism (whitepaper 5.4.7): checks MAC1 of every
 * incoming handshake message before any Diffie-Hellman work and, when the engine says it is under
 * load, MAC2 against a cookie bound to the sender's address; writes cookie replies. The cookie
 * secret is random and replaced when older than {@link Protocol#COOKIE_REFRESH_TIME}. Thread-safe.
 *
 * <p>The address is given as raw bytes (4 or 16) plus the UDP port, so the data path needs no
 * {@code InetSocketAddress}; only the responder itself ever recomputes a cookie, so this encoding
 * is private to us.
 */
public final class CookieChecker {

  /** What to do with an incoming initiation or response. */
  public enum Verdict {
    /** Drop: MAC1 is wrong (not for us, or damaged). */
    INVALID_MAC1,
    /** Under load and MAC2 is missing or stale: answer with {@link #writeCookieReply}. */
    NEEDS_COOKIE,
    /** Go on with the handshake. */
    VALID
  }

  private final int[] mac1State;
  private final byte[] cookieKey;
  private final TimeSource time;
  private final RandomSource random;
  private final ReentrantLock rotation = new ReentrantLock();
  private volatile @Nullable Secret secret;
  // The secret before the current one: wiped at the next rotation, COOKIE_REFRESH_TIME after it
  // was replaced, when no check can still be using it.
  private @Nullable Secret retired;

  /**
   * The cookie secret as {@link Blake2sMac#keyed} state, and when it was drawn. Replaced whole on
   * rotation, so the checks read it without a lock (two gate threads contended on the old monitor
   * under a flood); a replaced secret is wiped one rotation later, as a thread may still be using
   * it for a moment.
   */
  private static final class Secret {
    final int[] keyed;
    final long birthNanos;

    Secret(int[] keyed, long birthNanos) {
      this.keyed = keyed;
      this.birthNanos = birthNanos;
    }
  }

  /**
   * One thread's working arrays, so a check or a reply allocates nothing, and the cookie it last
   * computed with the secret and source it is for: a flood message needing a cookie computes it
   * once for MAC2 and reuses it for the reply.
   */
  private static final class Work {
    final Blake2sMac.Scratch mac = new Blake2sMac.Scratch();
    final byte[] expected = new byte[Protocol.MAC_LENGTH];
    final byte[] source = new byte[18];
    final byte[] cookieSource = new byte[18];
    final byte[] cookie = new byte[Protocol.MAC_LENGTH];
    final byte[] nonce = new byte[XChaCha20Poly1305.NONCE_LENGTH];
    final byte[] mac1 = new byte[Protocol.MAC_LENGTH];
    @Nullable Secret cookieSecret;
    int cookieSourceLength;
    final NonceStream nonces = new NonceStream();

    void forgetCookie() {
      Arrays.fill(cookie, (byte) 0);
      cookieSecret = null;
    }
  }

  private static final ThreadLocal<Work> WORK = ThreadLocal.withInitial(Work::new);

  /**
   * A checker for messages addressed to {@code local}.
   *
   * @param local our static identity (its public key keys MAC1 and the cookies)
   * @param time the clock that rotates the cookie secret
   * @param random the source of the cookie secret and the reply nonces
   */
  public CookieChecker(StaticIdentity local, TimeSource time, RandomSource random) {
    this.mac1State = Blake2sMac.keyed(local.mac1Key, WORK.get().mac);
    this.cookieKey = local.cookieKey.clone();
    this.time = time;
    this.random = random;
  }

  /**
   * Checks an initiation or a response that {@link Messages#validate} accepted. Allocates nothing
   * (per-thread scratch).
   *
   * @param underLoad the engine's judgement (e.g. its handshake queue is long)
   * @param msg the buffer holding the message
   * @param off where the message starts
   * @param len the message's length
   * @param srcAddress the sender's IP address bytes (4 or 16)
   * @param srcPort the sender's UDP port
   * @return what to do with the message: process it, answer with a cookie reply, or drop it
   */
  public Verdict check(
      byte[] msg, int off, int len, byte[] srcAddress, int srcPort, boolean underLoad) {
    if (len != Protocol.INITIATION_LENGTH && len != Protocol.RESPONSE_LENGTH) {
      return Verdict.INVALID_MAC1;
    }
    Work w = WORK.get();
    int mac1Off = off + len - 2 * Protocol.MAC_LENGTH;
    Blake2sMac.mac(mac1State, msg, off, mac1Off - off, w.expected, 0, w.mac);
    if (!Noise.macEquals(w.expected, 0, msg, mac1Off)) {
      return Verdict.INVALID_MAC1;
    }
    if (!underLoad) {
      return Verdict.VALID;
    }
    cookie(srcAddress, srcPort, w);
    int mac2Off = mac1Off + Protocol.MAC_LENGTH;
    Blake2sMac.mac(w.cookie, 0, w.cookie.length, msg, off, mac2Off - off, w.expected, 0, w.mac);
    if (Noise.macEquals(w.expected, 0, msg, mac2Off)) {
      w.forgetCookie();
      return Verdict.VALID;
    }
    return Verdict.NEEDS_COOKIE; // the cookie stays for the reply
  }

  /**
   * Writes the 64-byte cookie reply to the handshake message {@code msg[off..off+len)}, for the
   * sender at {@code srcAddress:srcPort}, at {@code out[outOff]}. After {@link #check} answered
   * {@link Verdict#NEEDS_COOKIE} for the same sender on this thread, its cookie is reused.
   *
   * @param msg the buffer holding the handshake message
   * @param off where the message starts
   * @param len the message's length
   * @param srcAddress the sender's IP address bytes (4 or 16)
   * @param srcPort the sender's UDP port
   * @param out the buffer for the reply
   * @param outOff where in {@code out} the reply starts
   * @return {@link Protocol#COOKIE_REPLY_LENGTH}
   */
  public int writeCookieReply(
      byte[] msg, int off, int len, byte[] srcAddress, int srcPort, byte[] out, int outOff) {
    Work w = WORK.get();
    System.arraycopy(
        msg, off + len - 2 * Protocol.MAC_LENGTH, w.mac1, 0, Protocol.MAC_LENGTH); // before out
    try {
      cookie(srcAddress, srcPort, w);
      w.nonces.next(random, w.nonce);
      out[outOff] = Protocol.TYPE_COOKIE_REPLY;
      out[outOff + 1] = 0;
      out[outOff + 2] = 0;
      out[outOff + 3] = 0;
      LittleEndian.putLe32(out, outOff + 4, Messages.senderIndex(msg, off));
      System.arraycopy(w.nonce, 0, out, outOff + 8, w.nonce.length);
      XChaCha20Poly1305.seal(
          cookieKey, w.nonce, 0, w.mac1, w.cookie, 0, w.cookie.length, out, outOff + 32);
      return Protocol.COOKIE_REPLY_LENGTH;
    } finally {
      w.forgetCookie();
    }
  }

  /**
   * {@code MAC(secret, address || port)} into {@code w.cookie}, with the secret renewed every
   * COOKIE_REFRESH_TIME; kept when {@code w} already holds it for this secret and source.
   */
  private void cookie(byte[] address, int port, Work w) {
    Secret s = currentSecret();
    int n = address.length + 2;
    System.arraycopy(address, 0, w.source, 0, address.length);
    w.source[address.length] = (byte) (port >>> 8);
    w.source[address.length + 1] = (byte) port;
    if (w.cookieSecret == s
        && w.cookieSourceLength == n
        && Arrays.equals(w.source, 0, n, w.cookieSource, 0, n)) {
      return;
    }
    Blake2sMac.mac(s.keyed, w.source, 0, n, w.cookie, 0, w.mac);
    System.arraycopy(w.source, 0, w.cookieSource, 0, n);
    w.cookieSourceLength = n;
    w.cookieSecret = s;
  }

  private Secret currentSecret() {
    long now = time.nanoTime();
    Secret s = secret;
    if (s != null && now - s.birthNanos < Protocol.COOKIE_REFRESH_TIME.toNanos()) {
      return s;
    }
    rotation.lock();
    try {
      s = secret;
      if (s == null || now - s.birthNanos >= Protocol.COOKIE_REFRESH_TIME.toNanos()) {
        byte[] raw = new byte[Protocol.KEY_LENGTH];
        try {
          random.nextBytes(raw);
          s = new Secret(Blake2sMac.keyed(raw, WORK.get().mac), now);
        } finally {
          Arrays.fill(raw, (byte) 0);
        }
        wipe(retired);
        retired = secret;
        secret = s;
      }
      return s;
    } finally {
      rotation.unlock();
    }
  }

  private static void wipe(@Nullable Secret s) {
    if (s != null) {
      Arrays.fill(s.keyed, 0);
    }
  }

  /** Zeroes the secret and keys. */
  public void destroy() {
    rotation.lock();
    try {
      wipe(secret);
      wipe(retired);
      secret = null;
      retired = null;
      Arrays.fill(mac1State, 0);
      Arrays.fill(cookieKey, (byte) 0);
    } finally {
      rotation.unlock();
    }
  }

  @Override
  public String toString() {
    return "CookieChecker[redacted]";
  }
}
