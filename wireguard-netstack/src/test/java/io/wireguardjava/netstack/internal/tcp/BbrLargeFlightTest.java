package io.wireguardjava.netstack.internal.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * BBR with more than a thousand segments in flight, at 1 % random loss on a 1 Gbit/s link: its
 * bandwidth estimate once stopped at 1024 segments per round trip (about 113 Mbit/s at 100 ms, 565
 * at 20 ms), because the delivery-rate records held only 1024 segments and an ACK for data sent
 * more than 1024 segments ago found no record to sample (see {@link DeliveryRate}). The benchmark's
 * impaired path, whose round trip under load is about 100 ms, showed exactly that ceiling: 107-116
 * Mbit/s where Linux's BBR sent 297.
 */
class BbrLargeFlightTest {
  private static final long GIGABIT = 125_000_000L;

  /**
   * One lossy transfer: the median BtlBw and the goodput in Mbit/s, the sender's timeouts and the
   * share of its segments that were retransmissions, in %.
   */
  private static double[] run(TcpSettings settings, long oneWayMillis, long bytes)
      throws Exception {
    SimNetwork.Faults f = new SimNetwork.Faults().loss(0.01).delayMillis(oneWayMillis);
    SimNetwork.Faults g = new SimNetwork.Faults().loss(0.01).delayMillis(oneWayMillis);
    f.rate(GIGABIT).queueLimitNanos = 10_000_000;
    g.rate(GIGABIT).queueLimitNanos = 10_000_000;
    long[] samples = new long[100_000];
    int[] n = {0};
    long[] next = {1_000_000_000L}; // after the start-up: one sample every 10 ms
    SimTransferTest.Result r =
        SimTransferTest.transfer(
            settings,
            f,
            g,
            bytes,
            false,
            31,
            0,
            (c, t) -> {
              if (t >= next[0] && n[0] < samples.length) {
                samples[n[0]++] = ((Bbr) c.cc).btlBw();
                next[0] += 10_000_000L;
              }
            });
    long[] s = Arrays.copyOf(samples, n[0]);
    Arrays.sort(s);
    double median = s.length == 0 ? 0 : s[s.length / 2] * 8 / 1e6;
    System.out.printf(
        "BBR 1%% loss, 1 Gbit/s, %d ms RTT, %d MiB: %.1f Mbit/s, median BtlBw %.1f Mbit/s"
            + " (%d samples), sender %s%n",
        2 * oneWayMillis, bytes >> 20, r.mbitPerSecond(), median, s.length, r.statsA);
    return new double[] {
      median,
      r.mbitPerSecond(),
      r.statsA.retransmissionTimeouts(),
      100.0 * r.statsA.retransmittedSegments() / r.statsA.segmentsSent()
    };
  }

  /**
   * The benchmark's case: a Linux receiver, whose window is megabytes from the first round trips
   * (our own receiver's window starts small and grows, and at 100 ms that, not the sender, would
   * hold the transfer). BBR v1 climbs from its start-up estimate by 5/4 per gain cycle of 8 round
   * trips, so it is slow at 100 ms, but no longer stops at 113 Mbit/s.
   */
  @Test
  void hundredMillisecondRoundTripPassesAThousandSegmentsPerRound() throws Exception {
    double[] m = run(SimTransferTest.kernelLike(8 << 20), 50, 128 << 20);
    // The ceiling was 1024 * 1380 * 8 / 100 ms = 113 Mbit/s.
    assertThat(m[0]).as("median BtlBw, Mbit/s").isGreaterThan(150);
    // With an RTO of 200 ms (2 RTTs) every lost retransmission was a timeout that resent the
    // whole flight: 12 timeouts, 6642 segments resent, 91 Mbit/s (see RttEstimator).
    assertThat(m[2]).as("timeouts").isLessThanOrEqualTo(3);
    assertThat(m[3]).as("segments resent, %").isLessThan(2.0);
    assertThat(m[1]).as("goodput, Mbit/s").isGreaterThan(150);
  }

  @Test
  void twentyMillisecondRoundTripFindsTheGigabit() throws Exception {
    double[] m = run(TcpSettings.defaults(), 10, 128 << 20);
    // The ceiling was 565 Mbit/s; the link carries 1000 less 28 bytes of headers per segment.
    assertThat(m[0]).as("median BtlBw, Mbit/s").isGreaterThan(800);
  }
}
