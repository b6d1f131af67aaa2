package io.wireguardjava.netstack.internal.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The benchmark's impaired cell in simulation: 1 % random loss both ways, 20 ms RTT, a 1 Gbit/s
 * link, NewReno against CUBIC. Reno's Mathis ceiling there is MSS/RTT * 1.22/sqrt(p), about 6.7
 * Mbit/s; CUBIC at this small bandwidth-delay product lives in its Reno-friendly region (RFC 9438
 * §4.3), which by design matches Reno. Measured (seed 31, 16 MiB): NewReno 7.31, CUBIC 5.94 Mbit/s,
 * no RTO, about one recovery episode per lost segment: both sit at the Mathis limit.
 */
class RandomLossThroughputTest {

  private static SimTransferTest.Result run(TcpSettings.CongestionAlgorithm cc) throws Exception {
    SimNetwork.Faults f = new SimNetwork.Faults().loss(0.01).delayMillis(10).rate(125_000_000);
    SimNetwork.Faults g = new SimNetwork.Faults().loss(0.01).delayMillis(10).rate(125_000_000);
    TcpSettings s = TcpSettings.builder().congestionControl(cc).build();
    SimTransferTest.Result r = SimTransferTest.transfer(s, f, g, 8 << 20, false, 31);
    System.out.printf(
        "1%% loss both ways, 20 ms RTT, 1 Gbit/s, 8 MiB, %s: %.2f Mbit/s, sender %s%n",
        cc, r.mbitPerSecond(), r.statsA);
    return r;
  }

  @Test
  void bothAlgorithmsReachTheMathisRateWithoutTimeouts() throws Exception {
    for (TcpSettings.CongestionAlgorithm cc : TcpSettings.CongestionAlgorithm.values()) {
      SimTransferTest.Result r = run(cc);
      // SACK finds every isolated loss: none may fall back to a timeout and cwnd = 1 MSS.
      assertThat(r.statsA.retransmissionTimeouts()).as("%s RTOs", cc).isZero();
      // One reduction per episode, and no episode without a retransmission (no spurious ones).
      assertThat(r.statsA.fastRetransmits())
          .as("%s episodes", cc)
          .isLessThanOrEqualTo(r.statsA.retransmittedSegments());
      // 75 % of Reno's theoretical 6.7 Mbit/s: a cwnd that collapses and stays small fails this.
      assertThat(r.mbitPerSecond()).as("%s Mbit/s", cc).isGreaterThan(5.0);
    }
  }
}
