package io.wireguardjava.examples.lab;

/**
 * A cheap, deterministic, non-repeating byte stream (xorshift64*): bulk senders fill their buffers
 * from it instead of reading a file, so a transfer's SHA-256 is known without storing it and any
 * misplaced segment changes the hash.
 */
final class PatternBytes {
  private long state;

  PatternBytes(long seed) {
    state = seed == 0 ? 0x9E3779B97F4A7C15L : seed;
  }

  /** Fills {@code b[off, off+len)} with the next bytes of the stream. */
  void fill(byte[] b, int off, int len) {
    int i = off;
    int end = off + len;
    while (i < end) {
      state ^= state >>> 12;
      state ^= state << 25;
      state ^= state >>> 27;
      long v = state * 0x2545F4914F6CDD1DL;
      for (int k = 0; k < 8 && i < end; k++, i++) {
        b[i] = (byte) (v >>> (k * 8));
      }
    }
  }
}
