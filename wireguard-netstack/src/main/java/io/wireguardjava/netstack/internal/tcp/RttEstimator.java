package io.wireguardjava.netstack.internal.tcp;

/**
 * The retransmission timeout: SRTT and RTTVAR from samples as RFC 6298 (Karn's rule is the
 * caller's: it samples only segments sent once), RTO = SRTT + max(minimum RTO, 4*RTTVAR) as Linux
 * (whose RTTVAR is at least tcp_rto_min), with a ceiling, doubled per back-off.
 *
 * <p>Not RFC 6298's max(minimum RTO, SRTT + 4*RTTVAR): on a long path with a steady RTT that is the
 * 200 ms floor, two round trips at 100 ms, less than finding a lost retransmission by SACK and
 * repairing it takes (more than two round trips). Every lost retransmission then became a timeout
 * that sent the whole flight again at cwnd 1 (simulated 1 Gbit/s, 100 ms, 1 % loss: 12 timeouts, 6
 * % of segments resent, 91 Mbit/s; with this RTO 1, 1.2 %, 181). RFC 6298 allows a larger RTO.
 */
final class RttEstimator {
  /** Clock granularity G of RFC 6298: our clock is in nanoseconds, count 1 ms. */
  private static final long GRANULARITY_NANOS = 1_000_000L;

  private static final int MAX_BACKOFF = 16;
  private final long minRto;
  private final long maxRto;
  private long srtt = -1;
  private long rttvar;
  private long rto;
  private int backoff;

  RttEstimator(long initialRtoNanos, long minRtoNanos, long maxRtoNanos) {
    this.rto = initialRtoNanos;
    this.minRto = minRtoNanos;
    this.maxRto = maxRtoNanos;
  }

  void sample(long rttNanos) {
    long r = Math.max(rttNanos, 0);
    if (srtt < 0) {
      srtt = r;
      rttvar = r / 2;
    } else {
      rttvar = (3 * rttvar + Math.abs(srtt - r)) / 4;
      srtt = (7 * srtt + r) / 8;
    }
    rto = Math.min(maxRto, srtt + Math.max(minRto, Math.max(GRANULARITY_NANOS, 4 * rttvar)));
    backoff = 0;
  }

  /** The current timeout including back-off. */
  long rto() {
    long r = rto;
    for (int i = 0; i < backoff && r < maxRto; i++) {
      r *= 2;
    }
    return Math.min(r, maxRto);
  }

  void backOff() {
    if (backoff < MAX_BACKOFF) {
      backoff++;
    }
  }

  void resetBackoff() {
    backoff = 0;
  }

  int backoffCount() {
    return backoff;
  }

  /** Smoothed RTT, or -1 before the first sample. */
  long srtt() {
    return srtt;
  }
}
