package io.wireguardjava.crypto;

import java.util.Arrays;
import org.bouncycastle.crypto.digests.Blake2sDigest;
import org.jspecify.annotations.Nullable;

/**
 * BLAKE2s (RFC 7693) and the functions the whitepaper builds on it: {@code HASH} (BLAKE2s-256),
 * {@code MAC} (keyed BLAKE2s-128), {@code HMAC} (HMAC-BLAKE2s-256) and {@code KDF1/2/3} (HKDF over
 * HMAC-BLAKE2s). Backed by BouncyCastle's digest. Stateless and thread-safe.
 */
final class Blake2s {

  /** Output length of {@link #hash}. */
  public static final int HASH_LENGTH = 32;

  private static final int BLOCK_LENGTH = 64;

  private Blake2s() {}

  /** {@code HASH(a || b || ...)}: unkeyed BLAKE2s with a 32-byte output. */
  public static byte[] hash(byte[]... parts) {
    Blake2sDigest d = new Blake2sDigest(256);
    for (byte[] p : parts) {
      d.update(p, 0, p.length);
    }
    byte[] out = new byte[HASH_LENGTH];
    d.doFinal(out, 0);
    return out;
  }

  /** BLAKE2s of {@code in[off..off+len)} with the given output length (1..32) and optional key. */
  public static byte[] digest(byte @Nullable [] key, int outLength, byte[] in, int off, int len) {
    Blake2sDigest d = new Blake2sDigest(key, outLength, null, null);
    d.update(in, off, len);
    byte[] out = new byte[outLength];
    d.doFinal(out, 0);
    return out;
  }

  /** {@code MAC(key, in[off..off+len))}: keyed BLAKE2s, 16-byte output, written to {@code out}. */
  public static void mac(byte[] key, byte[] in, int off, int len, byte[] out, int outOff) {
    Blake2sDigest d = new Blake2sDigest(key, Protocol.MAC_LENGTH, null, null);
    d.update(in, off, len);
    d.doFinal(out, outOff);
  }

  /** {@code HMAC(key, in)}: HMAC (RFC 2104) over BLAKE2s-256. */
  public static byte[] hmac(byte[] key, byte[] in, int off, int len) {
    byte[] out = new byte[HASH_LENGTH];
    hmac(key, in, off, len, out);
    return out;
  }

  /** HMAC into {@code out} (32 bytes); {@code out} may alias the input, it is written last. */
  private static void hmac(byte[] key, byte[] in, int off, int len, byte[] out) {
    byte[] block = new byte[BLOCK_LENGTH];
    byte[] inner = new byte[HASH_LENGTH];
    try {
      if (key.length > BLOCK_LENGTH) {
        byte[] k = hash(key);
        System.arraycopy(k, 0, block, 0, HASH_LENGTH);
        Arrays.fill(k, (byte) 0);
      } else {
        System.arraycopy(key, 0, block, 0, key.length);
      }
      for (int i = 0; i < BLOCK_LENGTH; i++) {
        block[i] ^= 0x36;
      }
      Blake2sDigest d = new Blake2sDigest(256);
      d.update(block, 0, BLOCK_LENGTH);
      d.update(in, off, len);
      d.doFinal(inner, 0);
      for (int i = 0; i < BLOCK_LENGTH; i++) {
        block[i] ^= 0x36 ^ 0x5c;
      }
      d.update(block, 0, BLOCK_LENGTH);
      d.update(inner, 0, HASH_LENGTH);
      d.doFinal(out, 0);
    } finally {
      Arrays.fill(block, (byte) 0);
      Arrays.fill(inner, (byte) 0);
    }
  }

  /**
   * {@code KDFn(key, input)} of the whitepaper: {@code t0 = HMAC(key, input)}, {@code t1 = HMAC(t0,
   * 0x1)}, {@code t2 = HMAC(t0, t1 || 0x2)}, {@code t3 = HMAC(t0, t2 || 0x3)}; writes t1, t2, t3
   * into the non-null outputs (each 32 bytes). {@code out1} may be {@code key} itself.
   */
  public static void kdf(
      byte[] key,
      byte[] in,
      int off,
      int len,
      byte[] out1,
      byte @Nullable [] out2,
      byte @Nullable [] out3) {
    byte[] t0 = new byte[HASH_LENGTH];
    byte[] t = new byte[HASH_LENGTH + 1];
    byte[] counter = new byte[1];
    try {
      hmac(key, in, off, len, t0);
      counter[0] = 1;
      hmac(t0, counter, 0, 1, t);
      System.arraycopy(t, 0, out1, 0, HASH_LENGTH);
      if (out2 == null) {
        return;
      }
      t[HASH_LENGTH] = 2;
      hmac(t0, t, 0, HASH_LENGTH + 1, t);
      System.arraycopy(t, 0, out2, 0, HASH_LENGTH);
      if (out3 == null) {
        return;
      }
      t[HASH_LENGTH] = 3;
      hmac(t0, t, 0, HASH_LENGTH + 1, t);
      System.arraycopy(t, 0, out3, 0, HASH_LENGTH);
    } finally {
      Arrays.fill(t0, (byte) 0);
      Arrays.fill(t, (byte) 0);
    }
  }
}
