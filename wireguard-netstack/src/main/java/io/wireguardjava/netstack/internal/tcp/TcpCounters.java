package io.wireguardjava.netstack.internal.tcp;

import java.util.concurrent.atomic.AtomicLongArray;

/** The layer's counters: incremented without allocating, read from any thread. */
final class TcpCounters {
  enum Counter {
    SEGMENTS_RECEIVED,
    SEGMENTS_SENT,
    RETRANSMITTED,
    FAST_RETRANSMITS,
    TIMEOUTS,
    DSACKS_RECEIVED,
    DROPPED_MALFORMED,
    DROPPED_OUT_OF_WINDOW,
    DROPPED_NO_BUFFER,
    DROPPED_SYN_BACKLOG,
    DROPPED_CONNECTION_LIMIT,
    DROPPED_MEMORY_LIMIT,
    DROPPED_OUTPUT_FULL,
    RESETS_SENT,
    RESETS_RECEIVED,
    CHALLENGE_ACKS,
    CHALLENGE_ACKS_SUPPRESSED,
    ACTIVE_OPENS,
    PASSIVE_OPENS
  }

  private final AtomicLongArray values = new AtomicLongArray(Counter.values().length);

  void increment(Counter c) {
    values.incrementAndGet(c.ordinal());
  }

  long get(Counter c) {
    return values.get(c.ordinal());
  }

  TcpStats snapshot(long connections, long bufferBytes) {
    return new TcpStats(
        get(Counter.SEGMENTS_RECEIVED),
        get(Counter.SEGMENTS_SENT),
        get(Counter.RETRANSMITTED),
        get(Counter.FAST_RETRANSMITS),
        get(Counter.TIMEOUTS),
        get(Counter.DSACKS_RECEIVED),
        get(Counter.DROPPED_MALFORMED),
        get(Counter.DROPPED_OUT_OF_WINDOW),
        get(Counter.DROPPED_NO_BUFFER),
        get(Counter.DROPPED_SYN_BACKLOG),
        get(Counter.DROPPED_CONNECTION_LIMIT),
        get(Counter.DROPPED_MEMORY_LIMIT),
        get(Counter.DROPPED_OUTPUT_FULL),
        get(Counter.RESETS_SENT),
        get(Counter.RESETS_RECEIVED),
        get(Counter.CHALLENGE_ACKS),
        get(Counter.CHALLENGE_ACKS_SUPPRESSED),
        get(Counter.ACTIVE_OPENS),
        get(Counter.PASSIVE_OPENS),
        connections,
        bufferBytes);
  }
}
