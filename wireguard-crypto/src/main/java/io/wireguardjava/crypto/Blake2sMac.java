package io.wireguardjava.crypto;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The whitepaper's {@code MAC} (keyed BLAKE2s-128, RFC 7693) for the cookie checks, where a
 * handshake flood spends its time: each message costs MAC1, and under load a cookie and MAC2. Two
 * savings over {@link Blake2s#mac} (BouncyCastle): a key that does not change (the MAC1 key, the
 * cookie secret) has its key block compressed once ({@link #keyed}: the chaining value after it),
 * and the compression function works on local variables with the caller's scratch ({@link Scratch},
 * one per thread), so a MAC allocates nothing. Checked against BouncyCastle on random keys and
 * lengths ({@code Blake2sMacTest}).
 */
final class Blake2sMac {
  static final int BLOCK = 64;

  private static final VarHandle LE_INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

  private static final int IV0 = 0x6A09E667;
  private static final int IV1 = 0xBB67AE85;
  private static final int IV2 = 0x3C6EF372;
  private static final int IV3 = 0xA54FF53A;
  private static final int IV4 = 0x510E527F;
  private static final int IV5 = 0x9B05688C;
  private static final int IV6 = 0x1F83D9AB;
  private static final int IV7 = 0x5BE0CD19;

  private static final byte[][] SIGMA = {
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
    {14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3},
    {11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4},
    {7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8},
    {9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13},
    {2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9},
    {12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11},
    {13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10},
    {6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5},
    {10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0}
  };

  /** One thread's working arrays: the chaining value and a message block's words. */
  static final class Scratch {
    final int[] h = new int[8];
    final int[] m = new int[16];

    /** Zeroes what a MAC left behind (derived from its key and message). */
    void wipe() {
      Arrays.fill(h, 0);
      Arrays.fill(m, 0);
    }
  }

  private Blake2sMac() {}

  /**
   * The chaining value after the key block of a keyed BLAKE2s with a {@link Protocol#MAC_LENGTH}
   * output: {@link #mac(int[], byte[], int, int, byte[], int, Scratch)} with it equals {@code
   * MAC(key, in)}. Derived from the key: wipe it when the key goes.
   *
   * @param key 1 to 32 bytes
   * @return 8 words
   */
  static int[] keyed(byte[] key, Scratch s) {
    int[] state = new int[8];
    keyBlock(key, 0, key.length, s);
    System.arraycopy(s.h, 0, state, 0, 8);
    s.wipe();
    return state;
  }

  /**
   * {@code MAC(key, in[off..off+len))} from the key's {@link #keyed} state, 16 bytes to {@code
   * out[outOff]}.
   *
   * @param len at least 1 (a keyed state stands for a key block that is not the last)
   */
  static void mac(int[] keyed, byte[] in, int off, int len, byte[] out, int outOff, Scratch s) {
    System.arraycopy(keyed, 0, s.h, 0, 8);
    finish(in, off, len, out, outOff, s);
  }

  /** {@code MAC(key[keyOff..keyOff+keyLen), in[off..off+len))}, for a key used once. */
  static void mac(
      byte[] key,
      int keyOff,
      int keyLen,
      byte[] in,
      int off,
      int len,
      byte[] out,
      int outOff,
      Scratch s) {
    keyBlock(key, keyOff, keyLen, s);
    finish(in, off, len, out, outOff, s);
  }

  private static void keyBlock(byte[] key, int keyOff, int keyLen, Scratch s) {
    if (keyLen < 1 || keyLen > 32) {
      throw new IllegalArgumentException("a BLAKE2s key is 1 to 32 bytes, not " + keyLen);
    }
    int[] h = s.h;
    h[0] = IV0 ^ 0x01010000 ^ (keyLen << 8) ^ Protocol.MAC_LENGTH;
    h[1] = IV1;
    h[2] = IV2;
    h[3] = IV3;
    h[4] = IV4;
    h[5] = IV5;
    h[6] = IV6;
    h[7] = IV7;
    loadPartial(key, keyOff, keyLen, s.m);
    compress(h, s.m, BLOCK, false);
  }

  private static void finish(byte[] in, int off, int len, byte[] out, int outOff, Scratch s) {
    if (len < 1) {
      throw new IllegalArgumentException("a MAC over nothing is not supported");
    }
    long t = BLOCK; // the key block
    while (len > BLOCK) {
      for (int i = 0; i < 16; i++) {
        s.m[i] = (int) LE_INT.get(in, off + 4 * i);
      }
      t += BLOCK;
      compress(s.h, s.m, t, false);
      off += BLOCK;
      len -= BLOCK;
    }
    loadPartial(in, off, len, s.m);
    compress(s.h, s.m, t + len, true);
    for (int i = 0; i < Protocol.MAC_LENGTH / 4; i++) {
      LE_INT.set(out, outOff + 4 * i, s.h[i]);
    }
    s.wipe();
  }

  /** Words of {@code in[off..off+len)} (len 1..64) padded with zeros. */
  private static void loadPartial(byte[] in, int off, int len, int[] m) {
    Arrays.fill(m, 0);
    int whole = len >>> 2;
    for (int i = 0; i < whole; i++) {
      m[i] = (int) LE_INT.get(in, off + 4 * i);
    }
    for (int j = whole * 4; j < len; j++) {
      m[j >>> 2] |= (in[off + j] & 0xFF) << (8 * (j & 3));
    }
  }

  /** The compression function F on {@code h} with message words {@code m} and counter {@code t}. */
  private static void compress(int[] h, int[] m, long t, boolean last) {
    int v0 = h[0];
    int v1 = h[1];
    int v2 = h[2];
    int v3 = h[3];
    int v4 = h[4];
    int v5 = h[5];
    int v6 = h[6];
    int v7 = h[7];
    int v8 = IV0;
    int v9 = IV1;
    int v10 = IV2;
    int v11 = IV3;
    int v12 = IV4 ^ (int) t;
    int v13 = IV5 ^ (int) (t >>> 32);
    int v14 = last ? ~IV6 : IV6;
    int v15 = IV7;
    for (int r = 0; r < 10; r++) {
      byte[] s = SIGMA[r];
      // G(v0, v4, v8, v12)
      v0 += v4 + m[s[0]];
      v12 = Integer.rotateRight(v12 ^ v0, 16);
      v8 += v12;
      v4 = Integer.rotateRight(v4 ^ v8, 12);
      v0 += v4 + m[s[1]];
      v12 = Integer.rotateRight(v12 ^ v0, 8);
      v8 += v12;
      v4 = Integer.rotateRight(v4 ^ v8, 7);
      // G(v1, v5, v9, v13)
      v1 += v5 + m[s[2]];
      v13 = Integer.rotateRight(v13 ^ v1, 16);
      v9 += v13;
      v5 = Integer.rotateRight(v5 ^ v9, 12);
      v1 += v5 + m[s[3]];
      v13 = Integer.rotateRight(v13 ^ v1, 8);
      v9 += v13;
      v5 = Integer.rotateRight(v5 ^ v9, 7);
      // G(v2, v6, v10, v14)
      v2 += v6 + m[s[4]];
      v14 = Integer.rotateRight(v14 ^ v2, 16);
      v10 += v14;
      v6 = Integer.rotateRight(v6 ^ v10, 12);
      v2 += v6 + m[s[5]];
      v14 = Integer.rotateRight(v14 ^ v2, 8);
      v10 += v14;
      v6 = Integer.rotateRight(v6 ^ v10, 7);
      // G(v3, v7, v11, v15)
      v3 += v7 + m[s[6]];
      v15 = Integer.rotateRight(v15 ^ v3, 16);
      v11 += v15;
      v7 = Integer.rotateRight(v7 ^ v11, 12);
      v3 += v7 + m[s[7]];
      v15 = Integer.rotateRight(v15 ^ v3, 8);
      v11 += v15;
      v7 = Integer.rotateRight(v7 ^ v11, 7);
      // G(v0, v5, v10, v15)
      v0 += v5 + m[s[8]];
      v15 = Integer.rotateRight(v15 ^ v0, 16);
      v10 += v15;
      v5 = Integer.rotateRight(v5 ^ v10, 12);
      v0 += v5 + m[s[9]];
      v15 = Integer.rotateRight(v15 ^ v0, 8);
      v10 += v15;
      v5 = Integer.rotateRight(v5 ^ v10, 7);
      // G(v1, v6, v11, v12)
      v1 += v6 + m[s[10]];
      v12 = Integer.rotateRight(v12 ^ v1, 16);
      v11 += v12;
      v6 = Integer.rotateRight(v6 ^ v11, 12);
      v1 += v6 + m[s[11]];
      v12 = Integer.rotateRight(v12 ^ v1, 8);
      v11 += v12;
      v6 = Integer.rotateRight(v6 ^ v11, 7);
      // G(v2, v7, v8, v13)
      v2 += v7 + m[s[12]];
      v13 = Integer.rotateRight(v13 ^ v2, 16);
      v8 += v13;
      v7 = Integer.rotateRight(v7 ^ v8, 12);
      v2 += v7 + m[s[13]];
      v13 = Integer.rotateRight(v13 ^ v2, 8);
      v8 += v13;
      v7 = Integer.rotateRight(v7 ^ v8, 7);
      // G(v3, v4, v9, v14)
      v3 += v4 + m[s[14]];
      v14 = Integer.rotateRight(v14 ^ v3, 16);
      v9 += v14;
      v4 = Integer.rotateRight(v4 ^ v9, 12);
      v3 += v4 + m[s[15]];
      v14 = Integer.rotateRight(v14 ^ v3, 8);
      v9 += v14;
      v4 = Integer.rotateRight(v4 ^ v9, 7);
    }
    h[0] ^= v0 ^ v8;
    h[1] ^= v1 ^ v9;
    h[2] ^= v2 ^ v10;
    h[3] ^= v3 ^ v11;
    h[4] ^= v4 ^ v12;
    h[5] ^= v5 ^ v13;
    h[6] ^= v6 ^ v14;
    h[7] ^= v7 ^ v15;
  }
}
