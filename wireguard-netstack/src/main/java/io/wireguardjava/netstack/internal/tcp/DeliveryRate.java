package io.wireguardjava.netstack.internal.tcp;

/**
 * Delivery-rate estimation (draft-cheng-iccrg-delivery-rate-estimation): every new data segment
 * sent records how much had been delivered and when; an ACK that delivers data (cumulatively or by
 * SACK) takes the most recently sent segment it covers and yields a sample of delivered bytes over
 * max(send interval, ACK interval), plus an RTT sample. Records live in fixed primitive rings (no
 * allocation per segment); when the ring is full the oldest record is dropped, which only costs a
 * sample. Retransmissions are not recorded (Karn's rule for the RTT, and their send time says
 * nothing about when the data first left). Stack thread, connection lock held.
 */
final class DeliveryRate {
  static final int CAPACITY = 1024;

  private final int[] endSeq = new int[CAPACITY];
  private final long[] sentAt = new long[CAPACITY];
  private final long[] deliveredAtSend = new long[CAPACITY];
  private final long[] deliveredTimeAtSend = new long[CAPACITY];
  private final long[] firstSentAtSend = new long[CAPACITY];
  private final boolean[] appLimitedAtSend = new boolean[CAPACITY];
  private int head;
  private int size;

  private long delivered;
  private long deliveredTime;
  private long firstSentTime;
  private long appLimitedUntil;

  /** The last sample: bytes delivered over the interval; rate = bytes / interval. */
  long sampleDelivered;

  long sampleIntervalNanos;
  long sampleRttNanos = -1;
  boolean sampleAppLimited;

  /** What was delivered when the sampled segment left (for round counting), or -1. */
  long samplePriorDelivered = -1;

  /** All bytes delivered so far. */
  long delivered() {
    return delivered;
  }

  /** A new data segment [seq, seq+len) leaves at {@code now}; {@code flight} was before it. */
  void onSent(int seq, int len, int flight, long now) {
    if (flight == 0) {
      // Nothing in flight: the intervals start now, not at the last ACK of an earlier burst.
      firstSentTime = now;
      deliveredTime = now;
    }
    if (size == CAPACITY) {
      head = (head + 1) % CAPACITY;
      size--;
    }
    int i = (head + size) % CAPACITY;
    endSeq[i] = seq + len;
    sentAt[i] = now;
    deliveredAtSend[i] = delivered;
    deliveredTimeAtSend[i] = deliveredTime;
    firstSentAtSend[i] = firstSentTime;
    appLimitedAtSend[i] = appLimitedUntil > 0;
    size++;
  }

  /** The sender ran out of data with room in cwnd: samples until this flight is ACKed are low. */
  void markAppLimited(int flight) {
    appLimitedUntil = Math.max(delivered + flight, 1);
  }

  /**
   * An ACK delivered {@code newlyDelivered} bytes; {@code una} is the cumulative ACK and {@code
   * highestSacked} the highest SACKed sequence + 1 (or una). Produces a sample if it can.
   *
   * @return true if a new sample is in the sample fields
   */
  boolean onAck(int newlyDelivered, int una, int highestSacked, long now) {
    sampleRttNanos = -1;
    samplePriorDelivered = -1;
    if (newlyDelivered <= 0) {
      return false;
    }
    delivered += newlyDelivered;
    deliveredTime = now;
    if (appLimitedUntil > 0 && delivered > appLimitedUntil) {
      appLimitedUntil = 0;
    }
    int covered = Seq.gt(highestSacked, una) ? highestSacked : una;
    int p = newestCovered(covered);
    if (p < 0) {
      dropAcked(una);
      return false;
    }
    long sendElapsed = sentAt[p] - firstSentAtSend[p];
    long ackElapsed = now - deliveredTimeAtSend[p];
    firstSentTime = sentAt[p];
    sampleDelivered = delivered - deliveredAtSend[p];
    sampleIntervalNanos = Math.max(sendElapsed, ackElapsed);
    sampleRttNanos = now - sentAt[p];
    sampleAppLimited = appLimitedAtSend[p];
    samplePriorDelivered = deliveredAtSend[p];
    dropAcked(una);
    // An interval shorter than the RTT floor comes from ACK compression; draft §3.3 discards it.
    return sampleIntervalNanos > 0;
  }

  /** The rate of the last sample in bytes per second. */
  long sampleRate() {
    return sampleIntervalNanos <= 0 ? 0 : sampleDelivered * 1_000_000_000L / sampleIntervalNanos;
  }

  /** The index of the newest record whose end is at or below {@code covered}, or -1. */
  private int newestCovered(int covered) {
    int lo = 0;
    int hi = size - 1;
    int found = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int i = (head + mid) % CAPACITY;
      if (Seq.le(endSeq[i], covered)) {
        found = i;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  private void dropAcked(int una) {
    while (size > 0 && Seq.le(endSeq[head], una)) {
      head = (head + 1) % CAPACITY;
      size--;
    }
  }

  /** Forgets every record (after a timeout everything in flight is resent). */
  void clearRecords() {
    size = 0;
  }
}
