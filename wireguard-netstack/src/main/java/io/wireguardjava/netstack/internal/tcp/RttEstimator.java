package io.wireguardjava.netstack.internal.tcp;

/**
 * The retransmission timeout of RFC 6298: SRTT and RTTVAR from samples (Karn's rule is the
 * caller's: it samples only segments sent once), RTO = SRTT + max(G, 4*RTTVAR) with a floor (200
 * ms, as Linux) and a ceiling, doubled per back-off.
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
    rto = Math.min(maxRto, Math.max(minRto, srtt + Math.max(GRANULARITY_NANOS, 4 * rttvar)));
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
