package io.wireguardjava.netstack.internal.tcp;

/**
 * CUBIC congestion control (RFC 9438): after a loss the window follows W(t) = C*(t-K)^3 + W_max,
 * concave up to the previous maximum and convex beyond it, with the multiplicative decrease beta =
 * 0.7, fast convergence, and the Reno-friendly region (RFC 9438 §4.3) so that short paths do no
 * worse than NewReno. Slow start as RFC 5681 with RFC 3465 ABC. Works in bytes; t in seconds.
 */
final class Cubic implements CongestionControl {
  static final double C = 0.4;
  static final double BETA = 0.7;

  /** RFC 9438 §4.3: alpha for the Reno-friendly estimate with beta 0.7. */
  static final double ALPHA = 3 * (1 - BETA) / (1 + BETA);

  private int mss;
  private int cwnd;
  private int ssthresh = Integer.MAX_VALUE;
  private double wMax;
  private double wLastMax;
  private double k;
  private double wEst;
  private long epochStart = Long.MIN_VALUE;
  private double cwndExact;

  Cubic(int mss) {
    this.mss = mss;
    this.cwnd = NewReno.initialWindow(mss);
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
      cwnd = bounded((long) cwnd + Math.min(ackedBytes, 2 * mss));
      return;
    }
    if (epochStart == Long.MIN_VALUE) {
      epochStart = nowNanos;
      wEst = cwnd;
      if (cwnd < wMax) {
        k = Math.cbrt((wMax - cwnd) / mss / C);
      } else {
        k = 0;
        wMax = cwnd;
      }
    }
    double t = (nowNanos - epochStart) / 1e9;
    double rtt = Math.max(srttNanos, 1_000_000L) / 1e9;
    double target = wCubic(t + rtt);
    target = Math.max(cwnd, Math.min(target, 1.5 * cwnd));
    if (cwndExact < cwnd || cwndExact >= cwnd + 1) {
      cwndExact = cwnd; // cwnd was set elsewhere (slow start, recovery)
    }
    // Reno-friendly estimate: grows by alpha segments per window acknowledged.
    wEst += ALPHA * mss * ((double) ackedBytes / cwnd);
    double next =
        wCubic(t) < wEst
            ? wEst
            : cwndExact + (target - cwndExact) * ((double) ackedBytes / cwndExact);
    cwndExact = Math.max(cwndExact, Math.min(next, Integer.MAX_VALUE / 2.0));
    cwnd = (int) cwndExact;
  }

  private double wCubic(double t) {
    double d = t - k;
    return C * d * d * d * mss + wMax;
  }

  private void congestionEvent(int flightBytes) {
    double w = Math.max(cwnd, Math.min(flightBytes, cwnd));
    // Fast convergence (RFC 9438 §4.7): release bandwidth when the maximum keeps falling.
    if (w < wLastMax) {
      wLastMax = w;
      wMax = w * (1 + BETA) / 2;
    } else {
      wLastMax = w;
      wMax = w;
    }
    ssthresh = Math.max((int) (w * BETA), 2 * mss);
    k = Math.cbrt(wMax * (1 - BETA) / mss / C);
    epochStart = Long.MIN_VALUE;
  }

  @Override
  public void onEnterRecovery(int flightBytes, long nowNanos) {
    congestionEvent(flightBytes);
    cwnd = ssthresh;
  }

  @Override
  public void onExitRecovery(long nowNanos) {
    cwnd = ssthresh;
  }

  @Override
  public void onRetransmissionTimeout(int flightBytes, long nowNanos) {
    congestionEvent(flightBytes);
    cwnd = mss;
  }

  @Override
  public void onMssChanged(int newMss) {
    mss = newMss;
    cwnd = Math.max(cwnd, mss);
  }

  @Override
  public void onIdleRestart(long nowNanos) {
    cwnd = Math.min(cwnd, NewReno.initialWindow(mss));
    epochStart = Long.MIN_VALUE;
  }

  private static int bounded(long v) {
    return (int) Math.min(v, Integer.MAX_VALUE / 2);
  }
}
