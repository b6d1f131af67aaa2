package io.wireguardjava.netstack.internal.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * BBR when the stack thread runs late, modelled by a simulated clock that moves in steps of a few
 * milliseconds (a loaded machine: other threads hold both CPUs, a batch of packets keeps the stack
 * thread busy). This is what made BBR lose to NewReno in LinkedStacksTest (55 s against 28 s on a
 * quiet machine, 850 s on a loaded one) where the simulation at every event showed BBR ahead.
 */
class LateStackThreadTest {
  private static final TcpSettings.CongestionAlgorithm BBR = TcpSettings.CongestionAlgorithm.BBR;
  private static final TcpSettings.CongestionAlgorithm RENO =
      TcpSettings.CongestionAlgorithm.NEW_RENO;

  private static SimTransferTest.Result run(
      TcpSettings.CongestionAlgorithm cc,
      SimNetwork.Faults ab,
      SimNetwork.Faults ba,
      long tickNanos,
      long bytes)
      throws Exception {
    TcpSettings s = TcpSettings.builder().congestionControl(cc).build();
    SimTransferTest.Result r = SimTransferTest.transfer(s, ab, ba, bytes, true, 5, tickNanos);
    System.out.printf(
        "%s, stack every %.1f ms: %.1f Mbit/s each way%n  A %s%n  B %s%n",
        cc, tickNanos / 1e6, r.mbitPerSecond(), r.statsA, r.statsB);
    return r;
  }

  /** LinkedStacksTest's link: 5 % loss, 0.5 % duplicates, 0.2 ms delay plus up to 0.3 ms. */
  private static SimNetwork.Faults linkedStacksLink() {
    SimNetwork.Faults f = new SimNetwork.Faults().loss(0.05).duplicate(0.005).reorder(1.0);
    f.rate(125_000_000);
    f.delayNanos = 200_000;
    f.reorderExtraNanos = 300_000;
    return f;
  }

  private static SimNetwork.Faults cleanLink() {
    SimNetwork.Faults f = new SimNetwork.Faults().rate(125_000_000);
    f.delayNanos = 500_000;
    return f;
  }

  /**
   * A pacing wait that ends late must be made up. Before, a release could catch up at most 1 ms,
   * so a sender that ran every 5 ms sent two quanta per run, BBR measured that as the path's
   * bandwidth and paced at it: 4 Mbit/s on a 1 Gbit/s link, against NewReno's ACK-clocked rate.
   */
  @Test
  void pacingMakesUpForLateWakeups() throws Exception {
    long tick = 5_000_000;
    double reno = run(RENO, cleanLink(), cleanLink(), tick, 8 << 20).mbitPerSecond();
    double bbr = run(BBR, cleanLink(), cleanLink(), tick, 8 << 20).mbitPerSecond();
    assertThat(bbr).as("BBR against NewReno's %.1f Mbit/s", reno).isGreaterThan(reno * 0.8);
  }

  /**
   * Late ACKs come in bursts, BBR's ACK-aggregation allowance grows cwnd, and at 5 % loss its
   * flight leaves more holes than 32 out-of-order ranges hold. The receiver then dropped segments
   * that had arrived (droppedNoBuffer) and the sender's scoreboard lost SACK blocks: spurious
   * losses, timeouts, and after a timeout lost retransmissions found only by backed-off timeouts.
   */
  @Test
  void aLargeLossyFlightFitsTheReassemblyRanges() throws Exception {
    long tick = 2_000_000;
    SimTransferTest.Result reno = run(RENO, linkedStacksLink(), linkedStacksLink(), tick, 8 << 20);
    SimTransferTest.Result bbr = run(BBR, linkedStacksLink(), linkedStacksLink(), tick, 8 << 20);
    assertThat(bbr.statsA.droppedNoBuffer() + bbr.statsB.droppedNoBuffer())
        .as("arrived segments dropped for want of a range")
        .isZero();
    assertThat(bbr.mbitPerSecond()).isGreaterThan(reno.mbitPerSecond());
  }
}
