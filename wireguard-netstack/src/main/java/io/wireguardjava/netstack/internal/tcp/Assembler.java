package io.wireguardjava.netstack.internal.tcp;

/**
 * Out-of-order ranges of received sequence space above RCV.NXT (the bytes themselves sit in the
 * receive ring). At most {@code capacity} disjoint ranges: a segment that would need one more is
 * refused, so a peer cannot make us track unbounded gaps. Also yields the SACK blocks to emit (RFC
 * 2018 §4: the block holding the most recently received segment first).
 */
final class Assembler {
  /** The arrays start this small and double when a connection needs more ranges. */
  private static final int INITIAL_RANGES = 8;

  private final int capacity;
  private int[] start;
  private int[] end;
  private long[] touched;
  private int count;
  private long clock;

  Assembler(int capacity) {
    this.capacity = capacity;
    int n = Math.min(capacity, INITIAL_RANGES);
    start = new int[n];
    end = new int[n];
    touched = new long[n];
  }

  int rangeCount() {
    return count;
  }

  boolean isEmpty() {
    return count == 0;
  }

  void clear() {
    count = 0;
  }

  /**
   * Records [s, e) as received (all above RCV.NXT).
   *
   * @return false if it would need more ranges than allowed (nothing recorded)
   */
  boolean add(int s, int e) {
    int i = 0;
    while (i < count && Seq.lt(end[i], s)) {
      i++;
    }
    // i: first range that ends at or after s. Merge all ranges overlapping or touching [s, e).
    int j = i;
    while (j < count && Seq.le(start[j], e)) {
      s = Seq.min(s, start[j]);
      e = Seq.max(e, end[j]);
      j++;
    }
    int merged = j - i;
    if (merged == 0) {
      if (count == capacity) {
        return false;
      }
      if (count == start.length) {
        int n = Math.min(capacity, 2 * count);
        start = java.util.Arrays.copyOf(start, n);
        end = java.util.Arrays.copyOf(end, n);
        touched = java.util.Arrays.copyOf(touched, n);
      }
      System.arraycopy(start, i, start, i + 1, count - i);
      System.arraycopy(end, i, end, i + 1, count - i);
      System.arraycopy(touched, i, touched, i + 1, count - i);
      count++;
    } else if (merged > 1) {
      System.arraycopy(start, j, start, i + 1, count - j);
      System.arraycopy(end, j, end, i + 1, count - j);
      System.arraycopy(touched, j, touched, i + 1, count - j);
      count -= merged - 1;
    }
    start[i] = s;
    end[i] = e;
    touched[i] = ++clock;
    return true;
  }

  /**
   * Removes ranges at or below {@code rcvNxt}; if the first range starts at or below it, returns
   * its end (the new RCV.NXT), else returns rcvNxt.
   */
  int advance(int rcvNxt) {
    int nxt = rcvNxt;
    int drop = 0;
    while (drop < count && Seq.le(start[drop], nxt)) {
      nxt = Seq.max(nxt, end[drop]);
      drop++;
    }
    if (drop > 0) {
      System.arraycopy(start, drop, start, 0, count - drop);
      System.arraycopy(end, drop, end, 0, count - drop);
      System.arraycopy(touched, drop, touched, 0, count - drop);
      count -= drop;
    }
    return nxt;
  }

  /** Highest received sequence number + 1 among the ranges, or {@code otherwise}. */
  int highestEnd(int otherwise) {
    return count == 0 ? otherwise : end[count - 1];
  }

  /** True if [s, e) is entirely inside one recorded range. */
  boolean covers(int s, int e) {
    for (int i = 0; i < count; i++) {
      if (Seq.le(start[i], s) && Seq.ge(end[i], e)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Fills up to {@code max} SACK blocks, most recently changed first.
   *
   * @return the number of blocks
   */
  int sackBlocks(int[] starts, int[] ends, int max) {
    int n = 0;
    long below = Long.MAX_VALUE;
    while (n < max) {
      int best = -1;
      for (int i = 0; i < count; i++) {
        if (touched[i] < below && (best < 0 || touched[i] > touched[best])) {
          best = i;
        }
      }
      if (best < 0) {
        break;
      }
      starts[n] = start[best];
      ends[n] = end[best];
      below = touched[best];
      n++;
    }
    return n;
  }
}
