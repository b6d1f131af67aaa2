package io.wireguardjava.crypto;

import static io.wireguardjava.crypto.Noise.mixHash;

import java.util.Arrays;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/**
 * One peer's Noise IKpsk2 handshake (whitepaper 5.4), in either role, plus the per-peer state that
 * the responder keeps across handshakes: the greatest timestamp seen (replayed initiations are
 * refused), the time of the last accepted initiation (at most 50 per second), and the cookie the
 * peer gave us ({@link CookieJar}).
 *
 * <p>No I/O: messages are written into and read from caller-owned arrays; the engine allocates the
 * 32-bit local indices, keeps the index table, sends the bytes and runs the timers. Each method is
 * synchronized; temporaries are wiped on every exit, and the handshake's ephemeral key, chaining
 * key and hash are wiped once a keypair is derived.
 *
 * <pre>{@code
 * // initiator                                  // responder
 * a.createInitiation(idxA, buf, 0);   ------->   r = Handshake.consumeInitiation(meB, buf, 0, 148, lookup);
 *                                                kB = r.peer().createResponse(idxB, buf, 0);
 * kA = a.consumeResponse(buf, 0, 92); <-------
 * }</pre>
 */
public final class Handshake {

  /** Finds the handshake of the peer with a given static public key. */
  @FunctionalInterface
  public interface Lookup {
    /**
     * @param publicKey the initiator's decrypted static public key (a fresh copy the lookup may
     *     keep)
     * @return that peer's handshake, or null when the key belongs to no peer
     */
    @Nullable Handshake find(byte[] publicKey);
  }

  /**
   * The outcome of {@link #consumeInitiation}: a reason, and the peer when it is known (OK, and
   * also STALE_TIMESTAMP and INITIATION_FLOOD, so the engine can attribute the drop).
   */
  public record InitiationResult(Reason reason, @Nullable Handshake peer) {}

  /** The outcome of {@link #consumeResponse}: a reason, and the new keypair when it is OK. */
  public record ResponseResult(Reason reason, @Nullable Keypair keypair) {}

  /** Where the handshake stands. */
  public enum State {
    /** Nothing in progress. */
    ZEROED,
    /** We sent an initiation and wait for the response. */
    CREATED_INITIATION,
    /** We accepted an initiation and have to send a response. */
    CONSUMED_INITIATION
  }

  private static final int STATIC_OFF = 40;
  private static final int TIMESTAMP_OFF = 88;
  private static final int ENCRYPTED_STATIC_LENGTH = Protocol.KEY_LENGTH + Protocol.TAG_LENGTH;
  private static final int ENCRYPTED_TIMESTAMP_LENGTH =
      Protocol.TIMESTAMP_LENGTH + Protocol.TAG_LENGTH;
  private static final int RESPONSE_EPHEMERAL_OFF = 12;
  private static final int RESPONSE_EMPTY_OFF = 44;
  private static final byte[] EMPTY = new byte[0];

  private final StaticIdentity local;
  private final byte[] remoteStatic;
  private final byte[] presharedKey = new byte[Protocol.KEY_LENGTH];

  /**
   * DH(our static, their static), computed on first use under this object's lock, not when the peer
   * is configured: adding 65,536 peers then costs no X25519 at all.
   */
  private final byte[] staticStatic = new byte[Protocol.KEY_LENGTH];

  private static final byte SS_NOT_YET = 0;
  private static final byte SS_VALID = 1;
  private static final byte SS_INVALID = 2;
  private byte staticStaticState = SS_NOT_YET;

  /** HASH(INITIAL_HASH || their static): the initiator's starting hash. */
  private final byte[] initiatorHash;

  private final CookieJar cookies;
  private final TimeSource time;
  private final RandomSource random;
  private final ChaCha20Poly1305 aead;

  private State state = State.ZEROED;
  private int localIndex;
  private int remoteIndex;
  private final byte[] hash = new byte[Protocol.KEY_LENGTH];
  private final byte[] chainingKey = new byte[Protocol.KEY_LENGTH];
  private final byte[] ephemeralPrivate = new byte[Protocol.KEY_LENGTH];
  private final byte[] remoteEphemeral = new byte[Protocol.KEY_LENGTH];
  private final byte[] latestTimestamp = new byte[Protocol.TIMESTAMP_LENGTH];
  private boolean consumedAnInitiation;
  private long lastInitiationConsumptionNanos;

  private Handshake(
      StaticIdentity local,
      byte[] remoteStatic,
      byte @Nullable [] psk,
      TimeSource time,
      RandomSource random,
      ChaCha20Poly1305 aead) {
    this.local = local;
    this.remoteStatic = remoteStatic.clone();
    if (psk != null) {
      setPresharedKey(psk);
    }
    this.initiatorHash = Blake2s.hash(Noise.INITIAL_HASH, this.remoteStatic);
    this.cookies = new CookieJar(this.remoteStatic);
    this.time = time;
    this.random = random;
    this.aead = aead;
  }

  /**
   * The handshake between {@code local} and the peer whose static public key is {@code
   * remoteStatic} (32 bytes, copied), with an optional 32-byte preshared key (copied).
   *
   * @param local our static identity
   * @param remoteStatic the peer's static public key (32 bytes)
   * @param presharedKey the preshared key (32 bytes), or null for none
   * @param time the clock for timestamps and handshake ages
   * @param random the source of ephemeral keys
   * @return the handshake between {@code local} and the peer whose static public key is {@code
   *     remoteStatic} (32 bytes, copied), with an optional 32-byte preshared key (copied)
   */
  public static Handshake create(
      StaticIdentity local,
      byte[] remoteStatic,
      byte @Nullable [] presharedKey,
      TimeSource time,
      RandomSource random) {
    return create(local, remoteStatic, presharedKey, time, random, ChaCha20Poly1305.get());
  }

  /**
   * As {@link #create(StaticIdentity, byte[], byte[], TimeSource, RandomSource)}, with the API's
   * key values.
   *
   * @param local our static identity
   * @param remoteStatic the peer's static public key
   * @param presharedKey the preshared key, if any
   * @param time the clock for timestamps and handshake ages
   * @param random the source of ephemeral keys
   * @return the handshake, in {@link State#ZEROED}
   */
  public static Handshake create(
      StaticIdentity local,
      io.wireguardjava.Key remoteStatic,
      io.wireguardjava.@Nullable PresharedKey presharedKey,
      TimeSource time,
      RandomSource random) {
    byte[] psk = presharedKey == null ? null : presharedKey.getBytes();
    try {
      return create(local, remoteStatic.getBytes(), psk, time, random);
    } finally {
      if (psk != null) {
        Arrays.fill(psk, (byte) 0);
      }
    }
  }

  /**
   * As {@link #create(StaticIdentity, byte[], byte[], TimeSource, RandomSource)}, with a cipher
   * backend for the keypairs.
   *
   * @param local our static identity
   * @param remoteStatic the peer's static public key (32 bytes)
   * @param presharedKey the preshared key (32 bytes), or null for none
   * @param time the clock for timestamps and handshake ages
   * @param random the source of ephemeral keys
   * @param transportCipher the ChaCha20-Poly1305 backend for the sessions' keypairs
   * @return the handshake, in {@link State#ZEROED}
   */
  public static Handshake create(
      StaticIdentity local,
      byte[] remoteStatic,
      byte @Nullable [] presharedKey,
      TimeSource time,
      RandomSource random,
      ChaCha20Poly1305 transportCipher) {
    if (remoteStatic.length != Protocol.KEY_LENGTH) {
      throw new IllegalArgumentException("public key must be 32 bytes");
    }
    return new Handshake(local, remoteStatic, presharedKey, time, random, transportCipher);
  }

  /**
   * The peer's static public key (a copy).
   *
   * @return the peer's static public key (a copy)
   */
  public byte[] remoteStatic() {
    return remoteStatic.clone();
  }

  /**
   * The peer's static public key as the API's value type.
   *
   * @return the peer's static public key as the API's value type
   */
  public io.wireguardjava.Key remoteKey() {
    return io.wireguardjava.Key.fromBytes(remoteStatic);
  }

  /**
   * Whether a handshake with this peer can succeed at all.
   *
   * @return false when the peer's public key is a low-order point
   */
  public synchronized boolean isUsable() {
    return staticStaticReady();
  }

  /** Computes DH(s, s) the first time it is needed; false for a low-order public key. */
  private boolean staticStaticReady() {
    assert Thread.holdsLock(this);
    if (staticStaticState == SS_NOT_YET) {
      staticStaticState =
          X25519.sharedSecret(local.privateKey, remoteStatic, 0, staticStatic, 0)
              ? SS_VALID
              : SS_INVALID;
    }
    return staticStaticState == SS_VALID;
  }

  /**
   * Replaces the preshared key (32 bytes, copied); null means none (all zeros).
   *
   * @param psk the new preshared key (32 bytes), or null for none
   */
  public synchronized void setPresharedKey(byte @Nullable [] psk) {
    if (psk == null) {
      Arrays.fill(presharedKey, (byte) 0);
      return;
    }
    if (psk.length != Protocol.KEY_LENGTH) {
      throw new IllegalArgumentException("preshared key must be 32 bytes");
    }
    System.arraycopy(psk, 0, presharedKey, 0, Protocol.KEY_LENGTH);
  }

  /**
   * The current state.
   *
   * @return the current state
   */
  public synchronized State state() {
    return state;
  }

  /**
   * The local index of the handshake in progress (meaningful unless {@link State#ZEROED}).
   *
   * @return the local index of the handshake in progress (meaningful unless {@link State#ZEROED})
   */
  public synchronized int localIndex() {
    return localIndex;
  }

  /**
   * Whether we hold a fresh cookie from this peer (so our next message carries MAC2).
   *
   * @return whether we hold a fresh cookie from this peer (so our next message carries MAC2)
   */
  public synchronized boolean hasCookie() {
    return cookies.hasCookie(time.nanoTime());
  }

  // ---- initiator ----------------------------------------------------------------------------

  /**
   * Writes a handshake initiation (148 bytes, MAC1 and MAC2 included) at {@code out[off]} and
   * enters {@link State#CREATED_INITIATION}; any handshake in progress is abandoned.
   *
   * @param localIndex our index for this handshake, chosen by the engine (the response and the
   *     session's transport messages come back with it)
   * @param out the buffer for the message
   * @param off where in {@code out} the message starts
   * @return {@link Protocol#INITIATION_LENGTH}, or {@link Reason#LOW_ORDER_POINT}'s code when the
   *     peer's public key is unusable
   */
  public synchronized int createInitiation(int localIndex, byte[] out, int off) {
    clearHandshake();
    if (!staticStaticReady()) {
      return Reason.LOW_ORDER_POINT.code();
    }
    byte[] key = new byte[Protocol.KEY_LENGTH];
    byte[] dh = new byte[Protocol.KEY_LENGTH];
    byte[] timestamp = new byte[Protocol.TIMESTAMP_LENGTH];
    try {
      out[off] = Protocol.TYPE_INITIATION;
      out[off + 1] = 0;
      out[off + 2] = 0;
      out[off + 3] = 0;
      LittleEndian.putLe32(out, off + 4, localIndex);
      System.arraycopy(Noise.INITIAL_CHAINING_KEY, 0, chainingKey, 0, Protocol.KEY_LENGTH);
      System.arraycopy(initiatorHash, 0, hash, 0, Protocol.KEY_LENGTH);

      // e
      random.nextBytes(ephemeralPrivate);
      X25519.clamp(ephemeralPrivate);
      byte[] ephemeralPublic = X25519.publicKey(ephemeralPrivate);
      System.arraycopy(ephemeralPublic, 0, out, off + 8, Protocol.KEY_LENGTH);
      Blake2s.kdf(chainingKey, ephemeralPublic, 0, Protocol.KEY_LENGTH, chainingKey, null, null);
      mixHash(hash, ephemeralPublic, 0, Protocol.KEY_LENGTH);

      // es
      if (!X25519.sharedSecret(ephemeralPrivate, remoteStatic, 0, dh, 0)) {
        clearHandshake();
        return Reason.LOW_ORDER_POINT.code();
      }
      Blake2s.kdf(chainingKey, dh, 0, dh.length, chainingKey, key, null);

      // s
      ChaCha20Poly1305.seal(
          key, 0, hash, local.publicKey, 0, Protocol.KEY_LENGTH, out, off + STATIC_OFF);
      mixHash(hash, out, off + STATIC_OFF, ENCRYPTED_STATIC_LENGTH);

      // ss
      Blake2s.kdf(chainingKey, staticStatic, 0, Protocol.KEY_LENGTH, chainingKey, key, null);

      // {t}
      Tai64n.write(time.epochNanos(), timestamp, 0);
      ChaCha20Poly1305.seal(
          key, 0, hash, timestamp, 0, Protocol.TIMESTAMP_LENGTH, out, off + TIMESTAMP_OFF);
      mixHash(hash, out, off + TIMESTAMP_OFF, ENCRYPTED_TIMESTAMP_LENGTH);

      cookies.addMacs(out, off, Protocol.INITIATION_LENGTH, time.nanoTime());
      this.localIndex = localIndex;
      state = State.CREATED_INITIATION;
      return Protocol.INITIATION_LENGTH;
    } finally {
      Arrays.fill(key, (byte) 0);
      Arrays.fill(dh, (byte) 0);
    }
  }

  /**
   * Takes in a handshake response routed here by its receiver index. MAC1 is checked first, before
   * any Diffie-Hellman work; on success the handshake state is wiped and the new session returned
   * (the engine installs it with {@link Keypairs#install}).
   *
   * @param msg the buffer holding the response
   * @param off where the response starts
   * @param len the response's length
   * @return the new session, or the {@link Reason} the response was rejected for
   */
  public synchronized ResponseResult consumeResponse(byte[] msg, int off, int len) {
    Reason valid = Messages.validate(msg, off, len);
    if (valid != Reason.OK) {
      return new ResponseResult(valid, null);
    }
    if (Messages.type(msg, off, len) != Protocol.TYPE_RESPONSE) {
      return new ResponseResult(Reason.UNKNOWN_TYPE, null);
    }
    if (!Noise.mac1Valid(local.mac1Key, msg, off, len)) {
      return new ResponseResult(Reason.INVALID_MAC1, null);
    }
    if (state != State.CREATED_INITIATION || Messages.receiverIndex(msg, off) != localIndex) {
      return new ResponseResult(Reason.UNEXPECTED_RESPONSE, null);
    }
    byte[] ck = chainingKey.clone();
    byte[] h = hash.clone();
    byte[] key = new byte[Protocol.KEY_LENGTH];
    byte[] tau = new byte[Protocol.KEY_LENGTH];
    byte[] dh = new byte[Protocol.KEY_LENGTH];
    byte[] empty = new byte[0];
    try {
      int e = off + RESPONSE_EPHEMERAL_OFF;

      // e
      Blake2s.kdf(ck, msg, e, Protocol.KEY_LENGTH, ck, null, null);
      mixHash(h, msg, e, Protocol.KEY_LENGTH);

      // ee
      if (!X25519.sharedSecret(ephemeralPrivate, msg, e, dh, 0)) {
        return new ResponseResult(Reason.LOW_ORDER_POINT, null);
      }
      Blake2s.kdf(ck, dh, 0, dh.length, ck, null, null);

      // se
      if (!X25519.sharedSecret(local.privateKey, msg, e, dh, 0)) {
        return new ResponseResult(Reason.LOW_ORDER_POINT, null);
      }
      Blake2s.kdf(ck, dh, 0, dh.length, ck, null, null);

      // psk
      Blake2s.kdf(ck, presharedKey, 0, Protocol.KEY_LENGTH, ck, tau, key);
      mixHash(h, tau, 0, tau.length);

      // {}
      if (ChaCha20Poly1305.open(
              key, 0, h, msg, off + RESPONSE_EMPTY_OFF, Protocol.TAG_LENGTH, empty, 0)
          != 0) {
        return new ResponseResult(Reason.RESPONSE_AUTH_FAILED, null);
      }
      mixHash(h, msg, off + RESPONSE_EMPTY_OFF, Protocol.TAG_LENGTH);

      remoteIndex = Messages.senderIndex(msg, off);
      Keypair keypair = deriveKeypair(ck, true);
      clearHandshake();
      return new ResponseResult(Reason.OK, keypair);
    } finally {
      Arrays.fill(ck, (byte) 0);
      Arrays.fill(h, (byte) 0);
      Arrays.fill(key, (byte) 0);
      Arrays.fill(tau, (byte) 0);
      Arrays.fill(dh, (byte) 0);
    }
  }

  /**
   * Takes in a cookie reply routed here by its receiver index: stores the cookie so that the next
   * handshake message carries MAC2.
   *
   * @param msg the buffer holding the cookie reply
   * @param off where the cookie reply starts
   * @param len the cookie reply's length
   * @return {@link Reason#OK}, or why the reply was rejected
   */
  public synchronized Reason consumeCookieReply(byte[] msg, int off, int len) {
    Reason valid = Messages.validate(msg, off, len);
    if (valid != Reason.OK) {
      return valid;
    }
    if (Messages.type(msg, off, len) != Protocol.TYPE_COOKIE_REPLY) {
      return Reason.UNKNOWN_TYPE;
    }
    if (Messages.receiverIndex(msg, off) != localIndex) {
      return Reason.WRONG_RECEIVER_INDEX;
    }
    return cookies.consumeReply(msg, off, time.nanoTime());
  }

  // ---- responder ----------------------------------------------------------------------------

  /**
   * Takes in a handshake initiation addressed to {@code local}: checks MAC1 (before any
   * Diffie-Hellman), decrypts the initiator's static key, finds the peer with {@code lookup}, then
   * checks the timestamp (must grow) and the flood limit. On success the peer's handshake is in
   * {@link State#CONSUMED_INITIATION}, ready for {@link #createResponse}. Device-wide: MAC2 and
   * cookies are the {@link CookieChecker}'s business, before this call.
   *
   * @param local our static identity
   * @param msg the buffer holding the initiation
   * @param off where the initiation starts
   * @param len the initiation's length
   * @param lookup finds the peer's handshake by the initiator's static public key
   * @return the peer's handshake, ready to respond, or the {@link Reason} the initiation was
   *     rejected for
   */
  public static InitiationResult consumeInitiation(
      StaticIdentity local, byte[] msg, int off, int len, Lookup lookup) {
    Reason valid = Messages.validate(msg, off, len);
    if (valid != Reason.OK) {
      return new InitiationResult(valid, null);
    }
    if (Messages.type(msg, off, len) != Protocol.TYPE_INITIATION) {
      return new InitiationResult(Reason.UNKNOWN_TYPE, null);
    }
    if (!Noise.mac1Valid(local.mac1Key, msg, off, len)) {
      return new InitiationResult(Reason.INVALID_MAC1, null);
    }
    byte[] ck = Noise.INITIAL_CHAINING_KEY.clone();
    byte[] h = local.responderHash.clone();
    byte[] key = new byte[Protocol.KEY_LENGTH];
    byte[] dh = new byte[Protocol.KEY_LENGTH];
    byte[] remoteStatic = new byte[Protocol.KEY_LENGTH];
    byte[] timestamp = new byte[Protocol.TIMESTAMP_LENGTH];
    try {
      int e = off + 8;

      // e
      Blake2s.kdf(ck, msg, e, Protocol.KEY_LENGTH, ck, null, null);
      mixHash(h, msg, e, Protocol.KEY_LENGTH);

      // es
      if (!X25519.sharedSecret(local.privateKey, msg, e, dh, 0)) {
        return new InitiationResult(Reason.LOW_ORDER_POINT, null);
      }
      Blake2s.kdf(ck, dh, 0, dh.length, ck, key, null);

      // s
      if (ChaCha20Poly1305.open(
              key, 0, h, msg, off + STATIC_OFF, ENCRYPTED_STATIC_LENGTH, remoteStatic, 0)
          != Protocol.KEY_LENGTH) {
        return new InitiationResult(Reason.STATIC_DECRYPT_FAILED, null);
      }
      mixHash(h, msg, off + STATIC_OFF, ENCRYPTED_STATIC_LENGTH);

      Handshake peer = lookup.find(remoteStatic.clone());
      if (peer == null || !Noise.equal(peer.remoteStatic, remoteStatic)) {
        return new InitiationResult(Reason.UNKNOWN_PEER, null);
      }
      synchronized (peer) {
        // ss
        if (!peer.staticStaticReady()) {
          return new InitiationResult(Reason.LOW_ORDER_POINT, null);
        }
        Blake2s.kdf(ck, peer.staticStatic, 0, Protocol.KEY_LENGTH, ck, key, null);

        // {t}
        if (ChaCha20Poly1305.open(
                key, 0, h, msg, off + TIMESTAMP_OFF, ENCRYPTED_TIMESTAMP_LENGTH, timestamp, 0)
            != Protocol.TIMESTAMP_LENGTH) {
          return new InitiationResult(Reason.TIMESTAMP_DECRYPT_FAILED, null);
        }
        mixHash(h, msg, off + TIMESTAMP_OFF, ENCRYPTED_TIMESTAMP_LENGTH);

        if (Tai64n.compare(timestamp, 0, peer.latestTimestamp, 0) <= 0) {
          return new InitiationResult(Reason.STALE_TIMESTAMP, peer);
        }
        long now = peer.time.nanoTime();
        if (peer.consumedAnInitiation
            && now - peer.lastInitiationConsumptionNanos
                < Protocol.INITIATION_MIN_INTERVAL.toNanos()) {
          return new InitiationResult(Reason.INITIATION_FLOOD, peer);
        }

        peer.clearHandshake();
        System.arraycopy(msg, e, peer.remoteEphemeral, 0, Protocol.KEY_LENGTH);
        System.arraycopy(timestamp, 0, peer.latestTimestamp, 0, Protocol.TIMESTAMP_LENGTH);
        System.arraycopy(h, 0, peer.hash, 0, Protocol.KEY_LENGTH);
        System.arraycopy(ck, 0, peer.chainingKey, 0, Protocol.KEY_LENGTH);
        peer.remoteIndex = Messages.senderIndex(msg, off);
        peer.consumedAnInitiation = true;
        peer.lastInitiationConsumptionNanos = now;
        peer.state = State.CONSUMED_INITIATION;
        return new InitiationResult(Reason.OK, peer);
      }
    } finally {
      Arrays.fill(ck, (byte) 0);
      Arrays.fill(h, (byte) 0);
      Arrays.fill(key, (byte) 0);
      Arrays.fill(dh, (byte) 0);
    }
  }

  /**
   * Writes the handshake response (92 bytes, MAC1 and MAC2 included) at {@code out[off]} to the
   * initiation just consumed, and returns the new session. As responder, the keypair must not send
   * before the initiator's first data packet confirms it: install it with {@link Keypairs#install},
   * which keeps it as "next" until then.
   *
   * @param localIndex our index for the new session, chosen by the engine
   * @param out the buffer for the message
   * @param off where in {@code out} the message starts
   * @return the new session, to be confirmed by the initiator's first data packet
   * @throws IllegalStateException unless the state is {@link State#CONSUMED_INITIATION}
   */
  public synchronized Keypair createResponse(int localIndex, byte[] out, int off) {
    if (state != State.CONSUMED_INITIATION) {
      throw new IllegalStateException("no initiation consumed (state " + state + ")");
    }
    byte[] key = new byte[Protocol.KEY_LENGTH];
    byte[] tau = new byte[Protocol.KEY_LENGTH];
    byte[] dh = new byte[Protocol.KEY_LENGTH];
    try {
      out[off] = Protocol.TYPE_RESPONSE;
      out[off + 1] = 0;
      out[off + 2] = 0;
      out[off + 3] = 0;
      LittleEndian.putLe32(out, off + 4, localIndex);
      LittleEndian.putLe32(out, off + 8, remoteIndex);

      // e
      random.nextBytes(ephemeralPrivate);
      X25519.clamp(ephemeralPrivate);
      byte[] ephemeralPublic = X25519.publicKey(ephemeralPrivate);
      System.arraycopy(ephemeralPublic, 0, out, off + RESPONSE_EPHEMERAL_OFF, Protocol.KEY_LENGTH);
      Blake2s.kdf(chainingKey, ephemeralPublic, 0, Protocol.KEY_LENGTH, chainingKey, null, null);
      mixHash(hash, ephemeralPublic, 0, Protocol.KEY_LENGTH);

      // ee (the initiator's ephemeral passed the low-order check in consumeInitiation)
      X25519.sharedSecret(ephemeralPrivate, remoteEphemeral, 0, dh, 0);
      Blake2s.kdf(chainingKey, dh, 0, dh.length, chainingKey, null, null);

      // se
      X25519.sharedSecret(ephemeralPrivate, remoteStatic, 0, dh, 0);
      Blake2s.kdf(chainingKey, dh, 0, dh.length, chainingKey, null, null);

      // psk
      Blake2s.kdf(chainingKey, presharedKey, 0, Protocol.KEY_LENGTH, chainingKey, tau, key);
      mixHash(hash, tau, 0, tau.length);

      // {}
      ChaCha20Poly1305.seal(key, 0, hash, EMPTY, 0, 0, out, off + RESPONSE_EMPTY_OFF);
      mixHash(hash, out, off + RESPONSE_EMPTY_OFF, Protocol.TAG_LENGTH);

      cookies.addMacs(out, off, Protocol.RESPONSE_LENGTH, time.nanoTime());
      this.localIndex = localIndex;
      Keypair keypair = deriveKeypair(chainingKey, false);
      clearHandshake();
      return keypair;
    } finally {
      Arrays.fill(key, (byte) 0);
      Arrays.fill(tau, (byte) 0);
      Arrays.fill(dh, (byte) 0);
    }
  }

  // ---- common -------------------------------------------------------------------------------

  /** {@code (T_send, T_recv) = KDF2(ck, empty)}, swapped for the responder. */
  private Keypair deriveKeypair(byte[] ck, boolean initiator) {
    byte[] first = new byte[Protocol.KEY_LENGTH];
    byte[] second = new byte[Protocol.KEY_LENGTH];
    try {
      Blake2s.kdf(ck, EMPTY, 0, 0, first, second, null);
      return initiator
          ? new Keypair(aead, first, second, true, localIndex, remoteIndex, time)
          : new Keypair(aead, second, first, false, localIndex, remoteIndex, time);
    } finally {
      Arrays.fill(first, (byte) 0);
      Arrays.fill(second, (byte) 0);
    }
  }

  /**
   * Abandons the handshake in progress and wipes its ephemeral key, chaining key and hash (the
   * timestamp, flood and cookie state stay). The engine calls this when REKEY_ATTEMPT_TIME ran out.
   */
  public synchronized void clearHandshake() {
    Arrays.fill(hash, (byte) 0);
    Arrays.fill(chainingKey, (byte) 0);
    Arrays.fill(ephemeralPrivate, (byte) 0);
    Arrays.fill(remoteEphemeral, (byte) 0);
    state = State.ZEROED;
  }

  /** Wipes every secret of this peer (handshake, preshared key, DH(s, s), cookie). */
  public synchronized void destroy() {
    clearHandshake();
    Arrays.fill(presharedKey, (byte) 0);
    Arrays.fill(staticStatic, (byte) 0);
    staticStaticState = SS_INVALID; // never recomputed from a destroyed identity
    cookies.destroy();
  }

  @Override
  public synchronized String toString() {
    return "Handshake[peer="
        + Base64.getEncoder().encodeToString(remoteStatic)
        + ", state="
        + state
        + "]";
  }
}
