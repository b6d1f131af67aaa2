package io.wireguardjava.netstack.internal.tcp;

/**
 * BBR's estimate of ACK aggregation (Linux tcp_bbr.c bbr_update_ack_aggregation, since 5.0): how
 * many bytes arrive acknowledged beyond what the bottleneck rate explains since the start of an ACK
 * epoch, kept as a max over two windows of 5 rounds. Through a userspace tunnel ACKs come in bursts
 * (batched reads, thread hand-offs, a scheduler that runs each side in turn), so the round trip
 * under load is far above its minimum; cwnd = 2 x BDP alone then starves the pipe between bursts,
 * and BBR adds this much so the sender keeps sending while ACKs are held up.
 */
final class AckAggregation {
  static final int WINDOW_ROUNDS = 5;

  /** An epoch that accumulated this much is restarted (tcp_bbr.c: 1 << 20 packets; bytes here). */
  static final long EPOCH_RESET_BYTES = 1L << 30;

  /** The cap of the estimate: 100 ms at the bottleneck rate (bbr_extra_acked_max_us). */
  static final long MAX_NANOS = 100_000_000L;

  private final long[] extraAcked = new long[2];
  private int windowIndex;
  private int windowRounds;
  private long epochStart = Long.MIN_VALUE;
  private long epochAcked;

  /**
   * Accounts one ACK.
   *
   * @param acked bytes newly delivered by the ACK (cumulatively or by SACK)
   * @param btlBw the bottleneck bandwidth estimate, bytes per second
   * @param cwnd the current cwnd in bytes (the estimate never exceeds it)
   * @param roundStart whether this ACK starts a new round
   * @param now the time of the ACK
   */
  void onAck(int acked, long btlBw, int cwnd, boolean roundStart, long now) {
    if (acked <= 0) {
      return;
    }
    if (roundStart && ++windowRounds >= WINDOW_ROUNDS) {
      windowRounds = 0;
      windowIndex ^= 1;
      extraAcked[windowIndex] = 0;
    }
    long expected = epochStart == Long.MIN_VALUE ? 0 : btlBw * (now - epochStart) / 1_000_000_000L;
    if (epochStart == Long.MIN_VALUE
        || epochAcked <= expected
        || epochAcked + acked >= EPOCH_RESET_BYTES) {
      epochAcked = 0;
      epochStart = now;
      expected = 0;
    }
    epochAcked += acked;
    long extra = Math.min(epochAcked - expected, cwnd);
    if (extra > extraAcked[windowIndex]) {
      extraAcked[windowIndex] = extra;
    }
  }

  /** The cwnd allowance for aggregation in bytes: the windowed max, at most 100 ms of btlBw. */
  long cwndAllowance(long btlBw) {
    long max = btlBw * MAX_NANOS / 1_000_000_000L;
    return Math.min(Math.max(extraAcked[0], extraAcked[1]), max);
  }
}
