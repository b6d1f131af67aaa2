package io.wireguardjava.netstack.internal.tcp;

/**
 * The sender's record of SACKed sequence ranges above SND.UNA (RFC 6675 §3), at most {@code
 * capacity} disjoint ranges (beyond that the lowest new block is ignored: it only makes recovery
 * more conservative). Answers the RFC 6675 questions: how many bytes are SACKed, which holes count
 * as lost (IsLost: more than (DupThresh-1)*MSS bytes or DupThresh ranges SACKed above), and where
 * the next hole starts.
 */
final class SackScoreboard {
  static final int DUP_THRESH = 3;

  /** The arrays start this small and double when the peer reports more ranges. */
  private static final int INITIAL_RANGES = 8;

  private final int capacity;
  private int[] start;
  private int[] end;
  private int count;
  private int sackedBytes;

  /** Output of {@link #nextHole}: the hole's end. */
  int holeEnd;

  SackScoreboard(int capacity) {
    this.capacity = capacity;
    start = new int[Math.min(capacity, INITIAL_RANGES)];
    end = new int[start.length];
  }

  boolean isEmpty() {
    return count == 0;
  }

  int sackedBytes() {
    return sackedBytes;
  }

  void clear() {
    count = 0;
    sackedBytes = 0;
  }

  /** Highest SACKed sequence number + 1, or {@code otherwise} if nothing is SACKed. */
  int highestSacked(int otherwise) {
    return count == 0 ? otherwise : end[count - 1];
  }

  /**
   * Adds one SACK block after checking it lies in (una, sndMax].
   *
   * @return true if it added anything new
   */
  boolean add(int s, int e, int una, int sndMax) {
    if (!Seq.lt(s, e) || Seq.le(e, una) || Seq.gt(e, sndMax)) {
      return false;
    }
    s = Seq.max(s, una);
    int i = 0;
    while (i < count && Seq.lt(end[i], s)) {
      i++;
    }
    int j = i;
    int ns = s;
    int ne = e;
    while (j < count && Seq.le(start[j], e)) {
      ns = Seq.min(ns, start[j]);
      ne = Seq.max(ne, end[j]);
      j++;
    }
    int merged = j - i;
    if (merged == 1 && start[i] == ns && end[i] == ne) {
      return false;
    }
    if (merged == 0) {
      if (count == capacity) {
        return false;
      }
      if (count == start.length) {
        start = java.util.Arrays.copyOf(start, Math.min(capacity, 2 * count));
        end = java.util.Arrays.copyOf(end, start.length);
      }
      System.arraycopy(start, i, start, i + 1, count - i);
      System.arraycopy(end, i, end, i + 1, count - i);
      count++;
    } else if (merged > 1) {
      System.arraycopy(start, j, start, i + 1, count - j);
      System.arraycopy(end, j, end, i + 1, count - j);
      count -= merged - 1;
    }
    start[i] = ns;
    end[i] = ne;
    recount();
    return true;
  }

  /** Forgets everything at or below the cumulative ACK. */
  void acknowledge(int una) {
    int drop = 0;
    while (drop < count && Seq.le(end[drop], una)) {
      drop++;
    }
    if (drop > 0) {
      System.arraycopy(start, drop, start, 0, count - drop);
      System.arraycopy(end, drop, end, 0, count - drop);
      count -= drop;
    }
    if (count > 0 && Seq.lt(start[0], una)) {
      start[0] = una;
    }
    recount();
  }

  private void recount() {
    int total = 0;
    for (int i = 0; i < count; i++) {
      total += end[i] - start[i];
    }
    sackedBytes = total;
  }

  /**
   * The sequence number below which every un-SACKed byte counts as lost (RFC 6675 IsLost), or
   * {@code una} if none does.
   */
  int lostBoundary(int una, int mss) {
    int bytes = 0;
    for (int i = count - 1; i >= 0; i--) {
      bytes += end[i] - start[i];
      if (bytes > (DUP_THRESH - 1) * mss || count - i >= DUP_THRESH) {
        return start[i];
      }
    }
    return una;
  }

  /** True if the byte at seq is SACKed. */
  boolean isSacked(int seq) {
    for (int i = 0; i < count; i++) {
      if (Seq.inRange(seq, start[i], end[i])) {
        return true;
      }
    }
    return false;
  }

  /**
   * The first un-SACKed sequence number in [from, limit), with {@link #holeEnd} set to where that
   * hole stops (the next SACKed range or limit); returns limit if there is none.
   */
  int nextHole(int from, int limit) {
    int s = from;
    for (int i = 0; i < count && Seq.lt(s, limit); i++) {
      if (Seq.le(end[i], s)) {
        continue;
      }
      if (Seq.le(start[i], s)) {
        s = end[i];
        continue;
      }
      holeEnd = Seq.min(start[i], limit);
      return s;
    }
    if (Seq.ge(s, limit)) {
      holeEnd = limit;
      return limit;
    }
    holeEnd = limit;
    return s;
  }

  /**
   * Un-SACKed bytes in [from, to): one pass over the ranges (called per segment sent in recovery,
   * with up to hundreds of ranges at high loss).
   */
  int holeBytes(int from, int to) {
    return Seq.lt(from, to) ? (to - from) - sackedIn(from, to) : 0;
  }

  /** SACKed bytes in [from, to). */
  int sackedIn(int from, int to) {
    int bytes = 0;
    for (int i = 0; i < count; i++) {
      int s = Seq.max(start[i], from);
      int e = Seq.min(end[i], to);
      if (Seq.lt(s, e)) {
        bytes += e - s;
      }
    }
    return bytes;
  }
}
