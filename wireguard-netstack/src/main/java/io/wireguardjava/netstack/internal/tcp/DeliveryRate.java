package io.wireguardjava.netstack.internal.tcp;

/**
 * Delivery-rate estimation (draft-cheng-iccrg-delivery-rate-estimation): every new data segment
 * sent records how much had been delivered and when; an ACK that delivers data (cumulatively or by
 * SACK) takes the most recently sent segment it covers and yields a sample of delivered bytes over
 * max(send interval, ACK interval), plus an RTT sample. Records live in primitive rings (no
 * allocation per segment) that double when full, up to {@link #MAX_CAPACITY}: the record an ACK
 * samples was sent one round trip before, so the ring must hold a whole flight. A fixed ring of
 * 1024 records lost every sample once more than 1024 segments were in flight, which capped BtlBw at
 * 1024 segments per RTT (565 Mbit/s at 20 ms, 113 Mbit/s at 100 ms) whatever the path could carry.
 * Beyond the maximum the oldest record is dropped, which only costs samples. Retransmissions are
 * not recorded (Karn's rule for the RTT, and their send time says nothing about when the data first
 * left). Stack thread, connection lock held.
 */
final class DeliveryRate {
  /** Records a new connection starts with: an initial window and more (many idle connections). */
  static final int INITIAL_CAPACITY = 64;

  /**
   * The most records kept: a flight of 64 Ki segments, the largest send buffer (64 MiB) in full
   * segments, at 37 bytes each (2.4 MiB, only for a connection with that much in flight).
   */
  static final int MAX_CAPACITY = 1 << 16;

  private int[] endSeq = new int[INITIAL_CAPACITY];
  private long[] sentAt = new long[INITIAL_CAPACITY];
  private long[] deliveredAtSend = new long[INITIAL_CAPACITY];
  private long[] deliveredTimeAtSend = new long[INITIAL_CAPACITY];
  private long[] firstSentAtSend = new long[INITIAL_CAPACITY];
  private boolean[] appLimitedAtSend = new boolean[INITIAL_CAPACITY];
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
    if (size == endSeq.length) {
      if (size < MAX_CAPACITY) {
        grow();
      } else {
        head = (head + 1) % endSeq.length;
        size--;
      }
    }
    int i = (head + size) % endSeq.length;
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
      int i = (head + mid) % endSeq.length;
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
      head = (head + 1) % endSeq.length;
      size--;
    }
  }

  /** The number of records the ring can hold before it grows again. */
  int capacity() {
    return endSeq.length;
  }

  /** Doubles the rings, oldest record first at index 0 (rare: once per doubling of the flight). */
  private void grow() {
    int old = endSeq.length;
    int n = Math.min(2 * old, MAX_CAPACITY);
    endSeq = unwrap(endSeq, new int[n], old);
    sentAt = unwrap(sentAt, new long[n], old);
    deliveredAtSend = unwrap(deliveredAtSend, new long[n], old);
    deliveredTimeAtSend = unwrap(deliveredTimeAtSend, new long[n], old);
    firstSentAtSend = unwrap(firstSentAtSend, new long[n], old);
    appLimitedAtSend = unwrap(appLimitedAtSend, new boolean[n], old);
    head = 0;
  }

  /**
   * Copies the {@code size} records from {@code head} of a ring of {@code length} to the start of
   * {@code to} (one of the record arrays and a larger array of its type).
   */
  private <T> T unwrap(T from, T to, int length) {
    int first = Math.min(size, length - head);
    System.arraycopy(from, head, to, 0, first);
    System.arraycopy(from, 0, to, first, size - first);
    return to;
  }

  /** Forgets every record (after a timeout everything in flight is resent). */
  void clearRecords() {
    size = 0;
  }
}
