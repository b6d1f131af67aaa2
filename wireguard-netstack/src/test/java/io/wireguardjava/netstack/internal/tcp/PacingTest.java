package io.wireguardjava.netstack.internal.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Pacing on a manual clock: a release sends one quantum (about 1 ms of the rate, 2 segments to 64
 * KiB) back to back, then the next release is that quantum's time later; the long-run rate is the
 * pacing rate however late the stack thread wakes (up to the 1 ms credit).
 */
class PacingTest {
  private static final int MSS = 1000;

  /** A congestion control with a fixed pacing rate and an open window. */
  private static final class FixedRate implements CongestionControl {
    final long rate;

    FixedRate(long rate) {
      this.rate = rate;
    }

    @Override
    public int cwnd() {
      return Integer.MAX_VALUE / 2;
    }

    @Override
    public int ssthresh() {
      return Integer.MAX_VALUE;
    }

    @Override
    public void onAck(int ackedBytes, int flightBytes, long srttNanos, long nowNanos) {}

    @Override
    public void onEnterRecovery(int flightBytes, long nowNanos) {}

    @Override
    public void onExitRecovery(long nowNanos) {}

    @Override
    public void onRetransmissionTimeout(int flightBytes, long nowNanos) {}

    @Override
    public void onMssChanged(int mss) {}

    @Override
    public void onIdleRestart(long nowNanos) {}

    @Override
    public long pacingRate() {
      return rate;
    }
  }

  private static TcpConnection connection(long rate) throws Exception {
    TcpLayer layer =
        new TcpLayer(
            (flow, seg, off, len) -> true,
            TcpSettings.defaults(),
            new SplittableRandom(1),
            () -> {});
    InetAddress a = InetAddress.getByAddress(new byte[] {10, 0, 0, 1});
    InetAddress b = InetAddress.getByAddress(new byte[] {10, 0, 0, 2});
    TcpConnection c =
        new TcpConnection(
            layer,
            new TcpFlow(new InetSocketAddress(a, 1000), new InetSocketAddress(b, 80)),
            TcpState.ESTABLISHED);
    c.mss = MSS;
    c.cc = new FixedRate(rate);
    return c;
  }

  /** Sends segments as a transmit pass at {@code now} would; returns how many left. */
  private static int sendAt(TcpConnection c, long now) {
    int n = 0;
    while (!Pacing.blocks(c, now)) {
      Pacing.onSent(c, MSS, now);
      n++;
    }
    return n;
  }

  @Test
  void quantumIsAboutOneMillisecondWithinTwoSegmentsAnd64KiB() {
    assertThat(Pacing.quantum(1_000_000, MSS)).isEqualTo(2 * MSS); // 1 kB per ms: 2 segments
    assertThat(Pacing.quantum(20_000_000, MSS)).isEqualTo(20_000); // 20 kB per ms
    assertThat(Pacing.quantum(1_000_000_000, MSS)).isEqualTo(Pacing.MAX_QUANTUM_BYTES);
    assertThat(Pacing.quantum(1_000_000_000, 40_000)).isEqualTo(80_000); // never below 2 MSS
  }

  @Test
  void aReleaseSendsOneQuantumThenWaitsItsTime() throws Exception {
    TcpConnection c = connection(10_000_000); // 10 MB/s: a quantum of 10 segments
    long t = 1_000_000_000L;
    c.pacingNextAt = t; // paced until now: no unused time to catch up
    assertThat(sendAt(c, t)).isEqualTo(10);
    assertThat(c.pacingWaitAt).isEqualTo(t + 1_000_000L);
    // Nothing more before the wait is over, even a microsecond before.
    assertThat(sendAt(c, t + 999_000L)).isZero();
    assertThat(sendAt(c, t + 1_000_000L)).isEqualTo(10);
  }

  @Test
  void lateWakeupsKeepTheRate() throws Exception {
    long rate = 50_000_000; // 50 MB/s: 50 segments per ms
    TcpConnection c = connection(rate);
    long t = 1_000_000_000L;
    long start = t;
    long sent = 0;
    SplittableRandom late = new SplittableRandom(3);
    for (int i = 0; i < 2000; i++) {
      sent += (long) sendAt(c, t) * MSS;
      // The stack thread wakes 20 to 400 us after the pacing time.
      t = c.pacingWaitAt + 20_000 + late.nextLong(380_000);
    }
    double achieved = sent * 1e9 / (t - start);
    assertThat(achieved).isBetween(rate * 0.97, rate * 1.03);
  }

  @Test
  void aStateWithoutDataForgetsThePacingWait() throws Exception {
    TcpConnection c = connection(10_000_000);
    long t = 1_000_000_000L;
    c.pacingNextAt = t;
    sendAt(c, t);
    assertThat(c.pacingWaitAt).isGreaterThan(t);
    // The connection closes while held back: its pacing wait must not stay a timer (it would be
    // due at once on every pass and keep the stack thread spinning).
    c.state = TcpState.TIME_WAIT;
    Transmitter.transmit(c, t + 2_000_000L);
    assertThat(c.pacingWaitAt).isEqualTo(TcpConnection.NEVER);
  }
}
