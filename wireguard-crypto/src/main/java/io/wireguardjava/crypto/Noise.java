package io.wireguardjava.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.bouncycastle.crypto.digests.Blake2sDigest;

/** The small Noise helpers shared by {@link Handshake} and the cookie code. Package-private. */
final class Noise {

  /** {@code HASH(CONSTRUCTION)}: the initial chaining key. */
  static final byte[] INITIAL_CHAINING_KEY =
      Blake2s.hash(Protocol.CONSTRUCTION.getBytes(StandardCharsets.US_ASCII));

  /** {@code HASH(INITIAL_CHAINING_KEY || IDENTIFIER)}. */
  static final byte[] INITIAL_HASH =
      Blake2s.hash(INITIAL_CHAINING_KEY, Protocol.IDENTIFIER.getBytes(StandardCharsets.US_ASCII));

  private Noise() {}

  /** {@code hash = HASH(hash || data[off..off+len))}, in place. */
  static void mixHash(byte[] hash, byte[] data, int off, int len) {
    Blake2sDigest d = new Blake2sDigest(256);
    d.update(hash, 0, hash.length);
    d.update(data, off, len);
    d.doFinal(hash, 0);
  }

  /** Constant-time comparison of two 16-byte ranges. */
  static boolean macEquals(byte[] a, int aOff, byte[] b, int bOff) {
    int diff = 0;
    for (int i = 0; i < Protocol.MAC_LENGTH; i++) {
      diff |= a[aOff + i] ^ b[bOff + i];
    }
    return diff == 0;
  }

  /** Constant-time equality of two whole arrays. */
  static boolean equal(byte[] a, byte[] b) {
    return MessageDigest.isEqual(a, b);
  }

  /** Constant-time check that a 32-byte array is all zeros. */
  static boolean isZero(byte[] a) {
    int acc = 0;
    for (byte b : a) {
      acc |= b;
    }
    return acc == 0;
  }

  /**
   * Verifies MAC1 of a handshake message ({@code len} is 148 or 92; MAC1 sits 32 bytes before the
   * end) against {@code mac1Key}, in constant time.
   */
  static boolean mac1Valid(byte[] mac1Key, byte[] msg, int off, int len) {
    byte[] expected = new byte[Protocol.MAC_LENGTH];
    int macOff = off + len - 2 * Protocol.MAC_LENGTH;
    Blake2s.mac(mac1Key, msg, off, macOff - off, expected, 0);
    return macEquals(expected, 0, msg, macOff);
  }
}
