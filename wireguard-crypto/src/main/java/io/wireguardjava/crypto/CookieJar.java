package io.wireguardjava.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One peer's side of the cookie mechanism, as sender of handshake messages: puts MAC1 (keyed by the
 * peer's public key) and MAC2 (keyed by the peer's last cookie, while fresh) on each message,
 * remembers the last MAC1 sent, and takes in the peer's cookie replies. Guarded by the owning
 * {@link Handshake}'s lock.
 */
final class CookieJar {

  /** {@code HASH(LABEL_MAC1 || peer's public key)}. */
  private final byte[] mac1Key;

  /** {@code HASH(LABEL_COOKIE || peer's public key)}: decrypts the peer's cookie replies. */
  private final byte[] cookieKey;

  private final byte[] lastMac1 = new byte[Protocol.MAC_LENGTH];
  private boolean haveSentMac1;
  private final byte[] cookie = new byte[Protocol.MAC_LENGTH];
  private boolean cookieValid;
  private long cookieBirthNanos;

  CookieJar(byte[] peerPublicKey) {
    mac1Key = Blake2s.hash(Protocol.LABEL_MAC1.getBytes(StandardCharsets.US_ASCII), peerPublicKey);
    cookieKey =
        Blake2s.hash(Protocol.LABEL_COOKIE.getBytes(StandardCharsets.US_ASCII), peerPublicKey);
  }

  /**
   * Writes MAC1 and MAC2 into the last 32 bytes of the handshake message {@code msg[off..off+len)}.
   */
  void addMacs(byte[] msg, int off, int len, long nowNanos) {
    int mac1Off = off + len - 2 * Protocol.MAC_LENGTH;
    int mac2Off = mac1Off + Protocol.MAC_LENGTH;
    Blake2s.mac(mac1Key, msg, off, mac1Off - off, msg, mac1Off);
    System.arraycopy(msg, mac1Off, lastMac1, 0, Protocol.MAC_LENGTH);
    haveSentMac1 = true;
    long maxAge = Protocol.COOKIE_REFRESH_TIME.minus(Protocol.COOKIE_SECRET_LATENCY).toNanos();
    if (cookieValid && nowNanos - cookieBirthNanos < maxAge) {
      Blake2s.mac(cookie, msg, off, mac2Off - off, msg, mac2Off);
    } else {
      Arrays.fill(msg, mac2Off, mac2Off + Protocol.MAC_LENGTH, (byte) 0);
    }
  }

  /** Takes in a validated 64-byte cookie reply. */
  Reason consumeReply(byte[] msg, int off, long nowNanos) {
    if (!haveSentMac1) {
      return Reason.UNEXPECTED_COOKIE_REPLY;
    }
    byte[] plain = new byte[Protocol.MAC_LENGTH];
    try {
      int n =
          XChaCha20Poly1305.open(
              cookieKey,
              msg,
              off + 8,
              lastMac1,
              msg,
              off + 32,
              Protocol.MAC_LENGTH + Protocol.TAG_LENGTH,
              plain,
              0);
      if (n != Protocol.MAC_LENGTH) {
        return Reason.COOKIE_DECRYPT_FAILED;
      }
      System.arraycopy(plain, 0, cookie, 0, Protocol.MAC_LENGTH);
      cookieValid = true;
      cookieBirthNanos = nowNanos;
      haveSentMac1 = false;
      return Reason.OK;
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
  }

  /** Whether a fresh cookie is held (for tests and diagnostics). */
  boolean hasCookie(long nowNanos) {
    return cookieValid
        && nowNanos - cookieBirthNanos
            < Protocol.COOKIE_REFRESH_TIME.minus(Protocol.COOKIE_SECRET_LATENCY).toNanos();
  }

  void destroy() {
    Arrays.fill(cookie, (byte) 0);
    Arrays.fill(lastMac1, (byte) 0);
    cookieValid = false;
    haveSentMac1 = false;
  }
}
