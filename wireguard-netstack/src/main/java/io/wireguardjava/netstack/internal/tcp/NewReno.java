package io.wireguardjava.netstack.internal.tcp;

/**
 * NewReno congestion control (RFC 5681, RFC 6582) with the initial window of RFC 6928 and
 * appropriate byte counting (RFC 3465, L = 2*SMSS). During recovery cwnd stays at ssthresh; the
 * connection's pipe estimate decides what may be sent (RFC 6675).
 */
final class NewReno implements CongestionControl {
  private int mss;
  private int cwnd;
  private int ssthresh = Integer.MAX_VALUE;
  private long ackedInAvoidance;

  NewReno(int mss) {
    this.mss = mss;
    this.cwnd = initialWindow(mss);
  }

  /** RFC 6928: min(10*MSS, max(2*MSS, 14600)). */
  static int initialWindow(int mss) {
    return Math.min(10 * mss, Math.max(2 * mss, 14600));
  }

  @Override
  public int cwnd() {
    return cwnd;
  }

  @Override
  public int ssthresh() {
    return ssthresh;
  }

  @Override
  public void onAck(int ackedBytes, int flightBytes, long srttNanos, long nowNanos) {
    if (cwnd < ssthresh) {
      cwnd = saturatingAdd(cwnd, Math.min(ackedBytes, 2 * mss));
      return;
    }
    ackedInAvoidance += ackedBytes;
    if (ackedInAvoidance >= cwnd) {
      ackedInAvoidance -= cwnd;
      cwnd = saturatingAdd(cwnd, mss);
    }
  }

  @Override
  public void onEnterRecovery(int flightBytes, long nowNanos) {
    ssthresh = Math.max(flightBytes / 2, 2 * mss);
    cwnd = ssthresh;
    ackedInAvoidance = 0;
  }

  @Override
  public void onExitRecovery(long nowNanos) {
    cwnd = ssthresh;
  }

  @Override
  public void onRetransmissionTimeout(int flightBytes, long nowNanos) {
    ssthresh = Math.max(flightBytes / 2, 2 * mss);
    cwnd = mss;
    ackedInAvoidance = 0;
  }

  @Override
  public void onMssChanged(int newMss) {
    mss = newMss;
    cwnd = Math.max(cwnd, mss);
  }

  @Override
  public void onIdleRestart(long nowNanos) {
    cwnd = Math.min(cwnd, initialWindow(mss));
  }

  private static int saturatingAdd(int a, int b) {
    long s = (long) a + b;
    return s > Integer.MAX_VALUE / 2 ? Integer.MAX_VALUE / 2 : (int) s;
  }
}
