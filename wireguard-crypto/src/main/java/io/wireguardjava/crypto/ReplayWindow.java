package io.wireguardjava.crypto;

/**
 * The receive-side sliding window against replayed transport counters: RFC 6479 style, a ring of
 * 128 64-bit words of which one word is redundant, so it accepts any counter not yet seen within
 * the last {@link Protocol#REPLAY_WINDOW_SIZE} (8128) of the highest one. The same algorithm as the
 * Linux kernel's {@code counter_validate}. Thread-safe (short lock).
 *
 * <p>Counters are unsigned 64-bit; a counter at or beyond {@link Protocol#REJECT_AFTER_MESSAGES} is
 * always refused.
 */
final class ReplayWindow {

  private static final int BITS_PER_WORD = 64;
  private static final int WORD_SHIFT = 6;
  private static final int BITS_TOTAL = 8192;
  private static final int WORDS = BITS_TOTAL / BITS_PER_WORD;
  private static final int WINDOW = BITS_TOTAL - BITS_PER_WORD;

  private final long[] bitmap = new long[WORDS];

  /** One more than the highest counter accepted so far; 0 when none. */
  private long next;

  static {
    if (WINDOW != Protocol.REPLAY_WINDOW_SIZE) {
      throw new AssertionError("window size");
    }
  }

  /**
   * Accepts {@code counter} if it is new and inside the window, and records it.
   *
   * @return true when accepted; false for a replay, a too old counter, or a counter at or beyond
   *     REJECT_AFTER_MESSAGES
   */
  public synchronized boolean validate(long counter) {
    if (Long.compareUnsigned(next, Protocol.REJECT_AFTER_MESSAGES + 1) >= 0
        || Long.compareUnsigned(counter, Protocol.REJECT_AFTER_MESSAGES) >= 0) {
      return false;
    }
    long theirs = counter + 1;
    // Too far behind the window (unsigned: WINDOW + theirs cannot overflow here).
    if (Long.compareUnsigned(WINDOW + theirs, next) < 0) {
      return false;
    }
    long index = theirs >>> WORD_SHIFT;
    if (Long.compareUnsigned(theirs, next) > 0) {
      long current = next >>> WORD_SHIFT;
      long diff = index - current;
      long top = Long.compareUnsigned(diff, WORDS) < 0 ? diff : WORDS;
      for (long i = 1; i <= top; i++) {
        bitmap[(int) ((i + current) & (WORDS - 1))] = 0;
      }
      next = theirs;
    }
    int word = (int) (index & (WORDS - 1));
    long bit = 1L << (theirs & (BITS_PER_WORD - 1));
    boolean seen = (bitmap[word] & bit) != 0;
    bitmap[word] |= bit;
    return !seen;
  }

  /** Forgets everything, as for a new keypair. */
  public synchronized void reset() {
    java.util.Arrays.fill(bitmap, 0);
    next = 0;
  }

  @Override
  public synchronized String toString() {
    return "ReplayWindow[next=" + Long.toUnsignedString(next) + "]";
  }
}
