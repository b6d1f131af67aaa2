package io.wireguardjava.crypto;

import java.util.Arrays;

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

  private final byte[] mac1Key;
  private final byte[] cookieKey;
  private final TimeSource time;
  private final RandomSource random;
  private final byte[] secret = new byte[Protocol.KEY_LENGTH];
  private long secretBirthNanos;
  private boolean secretSet;

  /**
   * A checker for messages addressed to {@code local}.
   *
   * @param local our static identity (its public key keys MAC1 and the cookies)
   * @param time the clock that rotates the cookie secret
   * @param random the source of the cookie secret and the reply nonces
   */
  public CookieChecker(StaticIdentity local, TimeSource time, RandomSource random) {
    this.mac1Key = local.mac1Key.clone();
    this.cookieKey = local.cookieKey.clone();
    this.time = time;
    this.random = random;
  }

  /**
   * Checks an initiation or a response that {@link Messages#validate} accepted.
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
    if (!Noise.mac1Valid(mac1Key, msg, off, len)) {
      return Verdict.INVALID_MAC1;
    }
    if (!underLoad) {
      return Verdict.VALID;
    }
    byte[] cookie = new byte[Protocol.MAC_LENGTH];
    byte[] expected = new byte[Protocol.MAC_LENGTH];
    try {
      makeCookie(srcAddress, srcPort, cookie);
      int mac2Off = off + len - Protocol.MAC_LENGTH;
      Blake2s.mac(cookie, msg, off, mac2Off - off, expected, 0);
      return Noise.macEquals(expected, 0, msg, mac2Off) ? Verdict.VALID : Verdict.NEEDS_COOKIE;
    } finally {
      Arrays.fill(cookie, (byte) 0);
    }
  }

  /**
   * Writes the 64-byte cookie reply to the handshake message {@code msg[off..off+len)}, for the
   * sender at {@code srcAddress:srcPort}, at {@code out[outOff]}.
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
    byte[] cookie = new byte[Protocol.MAC_LENGTH];
    byte[] nonce = new byte[XChaCha20Poly1305.NONCE_LENGTH];
    byte[] mac1 =
        Arrays.copyOfRange(
            msg, off + len - 2 * Protocol.MAC_LENGTH, off + len - Protocol.MAC_LENGTH);
    try {
      makeCookie(srcAddress, srcPort, cookie);
      random.nextBytes(nonce);
      out[outOff] = Protocol.TYPE_COOKIE_REPLY;
      out[outOff + 1] = 0;
      out[outOff + 2] = 0;
      out[outOff + 3] = 0;
      Messages.putLe32(out, outOff + 4, Messages.senderIndex(msg, off));
      System.arraycopy(nonce, 0, out, outOff + 8, nonce.length);
      XChaCha20Poly1305.seal(cookieKey, nonce, 0, mac1, cookie, 0, cookie.length, out, outOff + 32);
      return Protocol.COOKIE_REPLY_LENGTH;
    } finally {
      Arrays.fill(cookie, (byte) 0);
    }
  }

  /** {@code MAC(secret, address || port)}, with the secret renewed every COOKIE_REFRESH_TIME. */
  private synchronized void makeCookie(byte[] address, int port, byte[] out) {
    long now = time.nanoTime();
    if (!secretSet || now - secretBirthNanos >= Protocol.COOKIE_REFRESH_TIME.toNanos()) {
      random.nextBytes(secret);
      secretBirthNanos = now;
      secretSet = true;
    }
    byte[] a = Arrays.copyOf(address, address.length + 2);
    a[address.length] = (byte) (port >>> 8);
    a[address.length + 1] = (byte) port;
    Blake2s.mac(secret, a, 0, a.length, out, 0);
  }

  /** Zeroes the secret and keys. */
  public synchronized void destroy() {
    Arrays.fill(secret, (byte) 0);
    Arrays.fill(mac1Key, (byte) 0);
    Arrays.fill(cookieKey, (byte) 0);
    secretSet = false;
  }

  @Override
  public String toString() {
    return "CookieChecker[redacted]";
  }
}
