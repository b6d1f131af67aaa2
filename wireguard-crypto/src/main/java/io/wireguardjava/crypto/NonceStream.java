package io.wireguardjava.crypto;

import java.util.Arrays;

/**
 * Random 24-byte nonces for cookie replies, one thread's: ChaCha20's keystream under a key drawn
 * from a {@link RandomSource}, redrawn every {@link #BLOCKS_PER_KEY} blocks (as the kernel's and
 * OpenBSD's arc4random expand a seed). The JDK's {@code SecureRandom} mixes every output byte
 * through SHA-1 under a global lock: per reply it was a tenth of a gate thread's time under a
 * handshake flood; here a nonce costs half a ChaCha20 block. Not thread-safe.
 */
final class NonceStream {
  static final int NONCE_LENGTH = 24;
  static final int BLOCKS_PER_KEY = 1 << 16;

  private final int[] key = new int[8];
  private final byte[] seed = new byte[32];
  private final byte[] block = new byte[64];
  private int counter;
  private int offset = 64;
  private @org.jspecify.annotations.Nullable RandomSource keyedFrom;

  /**
   * Writes the next nonce to {@code out[0..24)}, drawing a new key from {@code random} first when
   * this stream's key came from another source or has served {@link #BLOCKS_PER_KEY} blocks.
   */
  void next(RandomSource random, byte[] out) {
    if (keyedFrom != random || (offset + NONCE_LENGTH > 64 && counter == BLOCKS_PER_KEY)) {
      random.nextBytes(seed);
      for (int i = 0; i < 8; i++) {
        key[i] = LittleEndian.le32(seed, 4 * i);
      }
      Arrays.fill(seed, (byte) 0);
      keyedFrom = random;
      counter = 0;
      offset = 64;
    }
    if (offset + NONCE_LENGTH > 64) {
      XChaCha20Poly1305.chaCha20Block(key, counter++, 0, 0, block);
      offset = 0;
    }
    System.arraycopy(block, offset, out, 0, NONCE_LENGTH);
    offset += NONCE_LENGTH;
  }
}
