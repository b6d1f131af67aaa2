package io.wireguardjava.crypto;

import static io.wireguardjava.crypto.LittleEndian.le32;
import static io.wireguardjava.crypto.LittleEndian.le64;
import static io.wireguardjava.crypto.LittleEndian.putLe32;
import static io.wireguardjava.crypto.LittleEndian.putLe64;

import java.util.Arrays;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.jspecify.annotations.Nullable;

/**
 * XChaCha20-Poly1305 (draft-irtf-cfrg-xchacha-03): HChaCha20 derives a subkey from the key and the
 * first 16 nonce bytes, then ChaCha20-Poly1305 runs with nonce {@code 0^4 || nonce[16..24)}.
 * WireGuard uses it only for cookie replies. Stateless and thread-safe.
 *
 * <p>A cookie is one 16-byte block under a fresh subkey, so the cost is the set-up: the JDK's
 * {@code Cipher.init} (a {@code SecretKeySpec} copy, its Poly1305 field objects) was a fifth of a
 * gate thread's time under a handshake flood (JDK 17), and BouncyCastle's AEAD object, reset and
 * initialised per message, a quarter. {@link #seal} (the gate's, per flood message) computes
 * ChaCha20 itself; {@link #open} (a cookie reply we receive: rare) uses the BouncyCastle backend.
 */
final class XChaCha20Poly1305 {

  /** Length of the extended nonce. */
  public static final int NONCE_LENGTH = 24;

  private static final int TAG_LENGTH = 16;
  private static final byte[] ZEROS = new byte[16];
  private static final ChaCha20Poly1305 SMALL =
      ChaCha20Poly1305.of(ChaCha20Poly1305.Backend.BOUNCY_CASTLE);

  private XChaCha20Poly1305() {}

  /**
   * Encrypts {@code src[srcOff..srcOff+len)} and appends the tag at {@code dst[dstOff]} (RFC 8439's
   * construction under the HChaCha20 subkey). ChaCha20 is computed here, on local variables, and
   * Poly1305 is BouncyCastle's: a cookie reply is one 16-byte block, for which a cipher object's
   * set-up cost more than the encryption (checked against {@link #open} and the draft's vector).
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
    int[] subkey = new int[8];
    byte[] block = new byte[64];
    try {
      hChaCha20(key, nonce, nonceOff, subkey);
      int n1 = le32(nonce, nonceOff + 16);
      int n2 = le32(nonce, nonceOff + 20);
      Poly1305 poly = new Poly1305();
      chaCha20Block(subkey, 0, n1, n2, block); // the one-time Poly1305 key: its first 32 bytes
      poly.init(new KeyParameter(block, 0, 32));
      int adLen = ad == null ? 0 : ad.length;
      if (ad != null) {
        poly.update(ad, 0, ad.length);
        poly.update(ZEROS, 0, pad16(ad.length));
      }
      for (int done = 0, counter = 1; done < len; done += 64, counter++) {
        chaCha20Block(subkey, counter, n1, n2, block);
        int n = Math.min(64, len - done);
        for (int i = 0; i < n; i++) {
          dst[dstOff + done + i] = (byte) (src[srcOff + done + i] ^ block[i]);
        }
      }
      poly.update(dst, dstOff, len);
      poly.update(ZEROS, 0, pad16(len));
      putLe64(block, 0, adLen);
      putLe64(block, 8, len);
      poly.update(block, 0, 16);
      poly.doFinal(dst, dstOff + len);
      return len + TAG_LENGTH;
    } finally {
      Arrays.fill(subkey, 0);
      Arrays.fill(block, (byte) 0);
    }
  }

  private static int pad16(int n) {
    return (16 - (n & 15)) & 15;
  }

  /** ChaCha20's block function (RFC 8439 2.3) with the nonce {@code 0 || n1 || n2}. */
  static void chaCha20Block(int[] key, int counter, int n1, int n2, byte[] out) {
    int x0 = 0x61707865;
    int x1 = 0x3320646e;
    int x2 = 0x79622d32;
    int x3 = 0x6b206574;
    int x4 = key[0];
    int x5 = key[1];
    int x6 = key[2];
    int x7 = key[3];
    int x8 = key[4];
    int x9 = key[5];
    int x10 = key[6];
    int x11 = key[7];
    int x12 = counter;
    int x13 = 0;
    int x14 = n1;
    int x15 = n2;
    int[] x = {x0, x1, x2, x3, x4, x5, x6, x7, x8, x9, x10, x11, x12, x13, x14, x15};
    rounds(x);
    putLe32(out, 0, x[0] + x0);
    putLe32(out, 4, x[1] + x1);
    putLe32(out, 8, x[2] + x2);
    putLe32(out, 12, x[3] + x3);
    putLe32(out, 16, x[4] + x4);
    putLe32(out, 20, x[5] + x5);
    putLe32(out, 24, x[6] + x6);
    putLe32(out, 28, x[7] + x7);
    putLe32(out, 32, x[8] + x8);
    putLe32(out, 36, x[9] + x9);
    putLe32(out, 40, x[10] + x10);
    putLe32(out, 44, x[11] + x11);
    putLe32(out, 48, x[12] + x12);
    putLe32(out, 52, x[13] + x13);
    putLe32(out, 56, x[14] + x14);
    putLe32(out, 60, x[15] + x15);
    Arrays.fill(x, 0);
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
    int[] words = new int[8];
    try {
      hChaCha20(key, nonce, nonceOff, words);
      byte[] out = new byte[32];
      for (int i = 0; i < 8; i++) {
        putLe32(out, 4 * i, words[i]);
      }
      return out;
    } finally {
      Arrays.fill(words, 0);
    }
  }

  /** HChaCha20 as eight little-endian words, into {@code out}. */
  private static void hChaCha20(byte[] key, byte[] nonce, int nonceOff, int[] out) {
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
      rounds(x);
      for (int i = 0; i < 4; i++) {
        out[i] = x[i];
        out[4 + i] = x[12 + i];
      }
    } finally {
      Arrays.fill(x, 0);
    }
  }

  /**
   * ChaCha's 20 rounds on the state {@code x}, in place (no feed-forward): on local variables (the
   * array version's quarter-round calls were most of a cookie reply's time).
   */
  private static void rounds(int[] x) {
    int x0 = x[0];
    int x1 = x[1];
    int x2 = x[2];
    int x3 = x[3];
    int x4 = x[4];
    int x5 = x[5];
    int x6 = x[6];
    int x7 = x[7];
    int x8 = x[8];
    int x9 = x[9];
    int x10 = x[10];
    int x11 = x[11];
    int x12 = x[12];
    int x13 = x[13];
    int x14 = x[14];
    int x15 = x[15];
    for (int round = 0; round < 10; round++) {
      x0 += x4;
      x12 = Integer.rotateLeft(x12 ^ x0, 16);
      x8 += x12;
      x4 = Integer.rotateLeft(x4 ^ x8, 12);
      x0 += x4;
      x12 = Integer.rotateLeft(x12 ^ x0, 8);
      x8 += x12;
      x4 = Integer.rotateLeft(x4 ^ x8, 7);
      x1 += x5;
      x13 = Integer.rotateLeft(x13 ^ x1, 16);
      x9 += x13;
      x5 = Integer.rotateLeft(x5 ^ x9, 12);
      x1 += x5;
      x13 = Integer.rotateLeft(x13 ^ x1, 8);
      x9 += x13;
      x5 = Integer.rotateLeft(x5 ^ x9, 7);
      x2 += x6;
      x14 = Integer.rotateLeft(x14 ^ x2, 16);
      x10 += x14;
      x6 = Integer.rotateLeft(x6 ^ x10, 12);
      x2 += x6;
      x14 = Integer.rotateLeft(x14 ^ x2, 8);
      x10 += x14;
      x6 = Integer.rotateLeft(x6 ^ x10, 7);
      x3 += x7;
      x15 = Integer.rotateLeft(x15 ^ x3, 16);
      x11 += x15;
      x7 = Integer.rotateLeft(x7 ^ x11, 12);
      x3 += x7;
      x15 = Integer.rotateLeft(x15 ^ x3, 8);
      x11 += x15;
      x7 = Integer.rotateLeft(x7 ^ x11, 7);
      x0 += x5;
      x15 = Integer.rotateLeft(x15 ^ x0, 16);
      x10 += x15;
      x5 = Integer.rotateLeft(x5 ^ x10, 12);
      x0 += x5;
      x15 = Integer.rotateLeft(x15 ^ x0, 8);
      x10 += x15;
      x5 = Integer.rotateLeft(x5 ^ x10, 7);
      x1 += x6;
      x12 = Integer.rotateLeft(x12 ^ x1, 16);
      x11 += x12;
      x6 = Integer.rotateLeft(x6 ^ x11, 12);
      x1 += x6;
      x12 = Integer.rotateLeft(x12 ^ x1, 8);
      x11 += x12;
      x6 = Integer.rotateLeft(x6 ^ x11, 7);
      x2 += x7;
      x13 = Integer.rotateLeft(x13 ^ x2, 16);
      x8 += x13;
      x7 = Integer.rotateLeft(x7 ^ x8, 12);
      x2 += x7;
      x13 = Integer.rotateLeft(x13 ^ x2, 8);
      x8 += x13;
      x7 = Integer.rotateLeft(x7 ^ x8, 7);
      x3 += x4;
      x14 = Integer.rotateLeft(x14 ^ x3, 16);
      x9 += x14;
      x4 = Integer.rotateLeft(x4 ^ x9, 12);
      x3 += x4;
      x14 = Integer.rotateLeft(x14 ^ x3, 8);
      x9 += x14;
      x4 = Integer.rotateLeft(x4 ^ x9, 7);
    }
    x[0] = x0;
    x[1] = x1;
    x[2] = x2;
    x[3] = x3;
    x[4] = x4;
    x[5] = x5;
    x[6] = x6;
    x[7] = x7;
    x[8] = x8;
    x[9] = x9;
    x[10] = x10;
    x[11] = x11;
    x[12] = x12;
    x[13] = x13;
    x[14] = x14;
    x[15] = x15;
  }
}
