package io.wireguardjava.crypto;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * XChaCha20-Poly1305 (draft-irtf-cfrg-xchacha-03): HChaCha20 derives a subkey from the key and the
 * first 16 nonce bytes, then ChaCha20-Poly1305 runs with nonce {@code 0^4 || nonce[16..24)}.
 * WireGuard uses it only for cookie replies. Stateless and thread-safe.
 *
 * <p>Always on the BouncyCastle backend: a cookie is one 16-byte block under a fresh subkey, so the
 * cost is the key set-up, where the JDK's {@code Cipher.init} (a {@code SecretKeySpec} copy, its
 * Poly1305 field objects) was a fifth of a gate thread's time under a handshake flood, JDK 17.
 */
final class XChaCha20Poly1305 {

  /** Length of the extended nonce. */
  public static final int NONCE_LENGTH = 24;

  private static final ChaCha20Poly1305 SMALL =
      ChaCha20Poly1305.of(ChaCha20Poly1305.Backend.BOUNCY_CASTLE);

  private XChaCha20Poly1305() {}

  /**
   * Encrypts {@code src[srcOff..srcOff+len)} and appends the tag at {@code dst[dstOff]}.
   *
   * @return the number of bytes written, {@code len + 16}
   */
  public static int seal(
      byte[] key,
      byte[] nonce,
      int nonceOff,
      byte @Nullable [] ad,
      byte[] src,
      int srcOff,
      int len,
      byte[] dst,
      int dstOff) {
    byte[] subkey = hChaCha20(key, nonce, nonceOff);
    ChaCha20Poly1305 c = SMALL;
    ChaCha20Poly1305.Key k = c.key(subkey);
    try {
      return c.seal(k, 0, le64(nonce, nonceOff + 16), ad, src, srcOff, len, 0, dst, dstOff);
    } finally {
      k.destroy();
      Arrays.fill(subkey, (byte) 0);
    }
  }

  /**
   * Decrypts and authenticates {@code src[srcOff..srcOff+len)}.
   *
   * @return the plaintext length, or -1 when authentication fails
   */
  public static int open(
      byte[] key,
      byte[] nonce,
      int nonceOff,
      byte @Nullable [] ad,
      byte[] src,
      int srcOff,
      int len,
      byte[] dst,
      int dstOff) {
    byte[] subkey = hChaCha20(key, nonce, nonceOff);
    ChaCha20Poly1305 c = SMALL;
    ChaCha20Poly1305.Key k = c.key(subkey);
    try {
      return c.open(k, 0, le64(nonce, nonceOff + 16), ad, src, srcOff, len, dst, dstOff);
    } finally {
      k.destroy();
      Arrays.fill(subkey, (byte) 0);
    }
  }

  /** HChaCha20(key, nonce[nonceOff..nonceOff+16)): a 32-byte subkey. */
  public static byte[] hChaCha20(byte[] key, byte[] nonce, int nonceOff) {
    int[] x = new int[16];
    try {
      x[0] = 0x61707865;
      x[1] = 0x3320646e;
      x[2] = 0x79622d32;
      x[3] = 0x6b206574;
      for (int i = 0; i < 8; i++) {
        x[4 + i] = le32(key, 4 * i);
      }
      for (int i = 0; i < 4; i++) {
        x[12 + i] = le32(nonce, nonceOff + 4 * i);
      }
      for (int round = 0; round < 10; round++) {
        quarter(x, 0, 4, 8, 12);
        quarter(x, 1, 5, 9, 13);
        quarter(x, 2, 6, 10, 14);
        quarter(x, 3, 7, 11, 15);
        quarter(x, 0, 5, 10, 15);
        quarter(x, 1, 6, 11, 12);
        quarter(x, 2, 7, 8, 13);
        quarter(x, 3, 4, 9, 14);
      }
      byte[] out = new byte[32];
      for (int i = 0; i < 4; i++) {
        putLe32(out, 4 * i, x[i]);
        putLe32(out, 16 + 4 * i, x[12 + i]);
      }
      return out;
    } finally {
      Arrays.fill(x, 0);
    }
  }

  private static void quarter(int[] x, int a, int b, int c, int d) {
    x[a] += x[b];
    x[d] = Integer.rotateLeft(x[d] ^ x[a], 16);
    x[c] += x[d];
    x[b] = Integer.rotateLeft(x[b] ^ x[c], 12);
    x[a] += x[b];
    x[d] = Integer.rotateLeft(x[d] ^ x[a], 8);
    x[c] += x[d];
    x[b] = Integer.rotateLeft(x[b] ^ x[c], 7);
  }

  static int le32(byte[] b, int off) {
    return (b[off] & 0xff)
        | (b[off + 1] & 0xff) << 8
        | (b[off + 2] & 0xff) << 16
        | (b[off + 3] & 0xff) << 24;
  }

  static void putLe32(byte[] b, int off, int v) {
    b[off] = (byte) v;
    b[off + 1] = (byte) (v >>> 8);
    b[off + 2] = (byte) (v >>> 16);
    b[off + 3] = (byte) (v >>> 24);
  }

  static long le64(byte[] b, int off) {
    return (le32(b, off) & 0xffffffffL) | ((long) le32(b, off + 4)) << 32;
  }
}
