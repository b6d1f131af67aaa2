package io.wireguardjava.netstack.internal.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * BBR's model and state machine driven by a scripted bottleneck: the sender sends what cwnd and
 * pacing allow, each segment is delivered after a fixed RTT at the bottleneck rate, on a manual
 * clock. Checks the filters (BtlBw, RTprop), the states and the pacing rate.
 */
class BbrTest {
  private static final int MSS = 1000;

  /** A fluid model of one bottleneck: rate bytes/s, propagation RTT; optional random-ish loss. */
  private static final class Path {
    final Bbr bbr = new Bbr(MSS, 42);
    final long rate;
    final long rttNanos;
    long now;
    int una;
    int nxt;
    long nextPacedSend;
    long linkFreeAt;
    // arrival time of each in-flight segment at the sender as an ACK, in send order
    final long[] ackAt = new long[1 << 16];
    final int[] segEnd = new int[1 << 16];
    int head;
    int tail;

    Path(long rateBytesPerSecond, long rttMillis) {
      now = 1L << 50; // an arbitrary origin, as System.nanoTime
      linkFreeAt = now;
      rate = rateBytesPerSecond;
      rttNanos = rttMillis * 1_000_000L;
    }

    void run(long untilNanos) {
      while (now < untilNanos) {
        long step = 100_000; // 100 us
        now += step;
        while (head < tail && ackAt[head & 0xffff] <= now) {
          int end = segEnd[head & 0xffff];
          head++;
          int acked = end - una;
          una = end;
          bbr.onAck(acked, nxt - una + acked, rttNanos, now);
          bbr.onDelivered(acked, una, una, nxt - una, now);
        }
        while (nxt - una + MSS <= bbr.cwnd() && now >= nextPacedSend) {
          bbr.onSent(nxt, MSS, nxt - una, now);
          nxt += MSS;
          // Serialized at the bottleneck, then half an RTT there and half back.
          linkFreeAt = Math.max(linkFreeAt, now) + MSS * 1_000_000_000L / rate;
          ackAt[tail & 0xffff] = linkFreeAt + rttNanos;
          segEnd[tail & 0xffff] = nxt;
          tail++;
          long pr = bbr.pacingRate();
          if (pr > 0) {
            nextPacedSend = Math.max(nextPacedSend, now - 1_000_000) + MSS * 1_000_000_000L / pr;
          }
        }
      }
    }
  }

  @Test
  void startupFindsTheBottleneckThenDrainsIntoProbeBw() {
    Path p = new Path(1_250_000, 40); // 10 Mbit/s, 40 ms
    assertThat(p.bbr.mode()).isEqualTo(Bbr.Mode.STARTUP);
    assertThat(p.bbr.pacingGain()).isEqualTo(Bbr.HIGH_GAIN);
    p.run(p.now + 200_000_000L);
    // The first RTT sample starts the RTprop window; it is not an expired one (PROBE_RTT).
    assertThat(p.bbr.mode()).isEqualTo(Bbr.Mode.STARTUP);
    assertThat(p.bbr.cwnd()).isGreaterThan(NewReno.initialWindow(MSS));
    p.run(p.now + 2_800_000_000L);
    assertThat(p.bbr.fullBandwidthReached()).isTrue();
    assertThat(p.bbr.mode()).isEqualTo(Bbr.Mode.PROBE_BW);
    // BtlBw within 10 % of the bottleneck; RTprop the propagation RTT plus one serialization.
    assertThat(p.bbr.btlBw()).isBetween(1_125_000L, 1_375_000L);
    assertThat(p.bbr.rtProp()).isBetween(40_000_000L, 42_000_000L);
    // cwnd = 2 BDP + 3 quanta (2 segments each at this rate) + the little ACK aggregation of this
    // path, once the model stands: BDP = 1.25 MB/s * 40 ms = 50 kB.
    assertThat(p.bbr.cwnd()).isBetween(100_000, 115_000);
    // Pacing at gain * BtlBw with the 1 % margin; the gain is one of the cycle's.
    assertThat(p.bbr.pacingRate())
        .isEqualTo((long) (p.bbr.pacingGain() * p.bbr.btlBw() * Bbr.PACING_MARGIN));
    // Delivered about the link rate over the 3 s (startup costs a few round trips).
    assertThat(p.una).isGreaterThan((int) (1_250_000 * 3 * 0.8));
  }

  @Test
  void probeBwCyclesThroughTheGains() {
    Path p = new Path(1_250_000, 40);
    p.run(p.now + 3_000_000_000L);
    java.util.Set<Double> seen = new java.util.HashSet<>();
    for (int i = 0; i < 100; i++) {
      p.run(p.now + 10_000_000L);
      seen.add(p.bbr.pacingGain());
    }
    assertThat(seen).containsExactlyInAnyOrder(1.25, 0.75, 1.0);
  }

  @Test
  void probeRttAfterTenSecondsWithoutANewMinimum() {
    Path p = new Path(1_250_000, 40);
    p.run(p.now + 3_000_000_000L);
    long start = p.now;
    boolean sawProbeRtt = false;
    int minCwnd = Integer.MAX_VALUE;
    long probeRttAt = 0;
    while (p.now < start + 12_000_000_000L) {
      p.run(p.now + 1_000_000L);
      if (p.bbr.mode() == Bbr.Mode.PROBE_RTT) {
        if (!sawProbeRtt) {
          probeRttAt = p.now;
        }
        sawProbeRtt = true;
        minCwnd = Math.min(minCwnd, p.bbr.cwnd());
      } else if (sawProbeRtt) {
        // Left PROBE_RTT after at least 200 ms, back to PROBE_BW with the old cwnd.
        assertThat(p.now - probeRttAt).isGreaterThanOrEqualTo(Bbr.PROBE_RTT_NANOS);
        assertThat(p.bbr.mode()).isEqualTo(Bbr.Mode.PROBE_BW);
        assertThat(p.bbr.cwnd()).isGreaterThan(50_000);
        break;
      }
    }
    assertThat(sawProbeRtt).isTrue();
    assertThat(minCwnd).isEqualTo(Bbr.MIN_CWND_SEGMENTS * MSS);
  }

  @Test
  void lossDoesNotShrinkTheModel() {
    Path p = new Path(1_250_000, 40);
    p.run(p.now + 3_000_000_000L);
    long bw = p.bbr.btlBw();
    int cwnd = p.bbr.cwnd();
    p.bbr.onEnterRecovery(cwnd, p.now);
    p.run(p.now + 100_000_000L);
    p.bbr.onExitRecovery(p.now);
    assertThat(p.bbr.btlBw()).isGreaterThan(bw * 9 / 10);
    assertThat(p.bbr.cwnd()).isGreaterThanOrEqualTo(cwnd * 9 / 10);
  }

  /**
   * A timeout restarts cwnd at one segment; once everything outstanding at the timeout is
   * acknowledged the cwnd from before it is back (tcp_bbr.c restores prior_cwnd when leaving
   * TCP_CA_Loss). Before, cwnd grew from one segment for as many round trips as that took, while
   * the small rounds aged the bandwidth filter out.
   */
  @Test
  void theCwndFromBeforeATimeoutIsRestoredWhenItsResendingEnds() {
    Path p = new Path(1_250_000, 40);
    p.run(p.now + 3_000_000_000L);
    int before = p.bbr.cwnd();
    assertThat(before).isGreaterThan(50 * MSS);
    p.bbr.onRetransmissionTimeout(p.nxt - p.una, p.now);
    assertThat(p.bbr.cwnd()).isEqualTo(MSS);
    // One round trip of the resending: cwnd grows by what is delivered, far from where it was.
    p.run(p.now + 40_000_000L);
    assertThat(p.bbr.cwnd()).isLessThan(before);
    p.bbr.onExitLoss(p.now);
    assertThat(p.bbr.cwnd()).isGreaterThanOrEqualTo(before);
    // A second timeout before the first one's resending ended keeps the first one's cwnd.
    p.bbr.onRetransmissionTimeout(p.nxt - p.una, p.now);
    p.bbr.onRetransmissionTimeout(p.nxt - p.una, p.now);
    p.bbr.onExitLoss(p.now);
    assertThat(p.bbr.cwnd()).isGreaterThanOrEqualTo(before);
  }

  @Test
  void deliveryRateSampleIsDeliveredOverTheLongerInterval() {
    DeliveryRate r = new DeliveryRate();
    long t = 1_000_000_000L;
    // 10 segments of 1000 bytes sent 1 ms apart, ACKed 2 ms apart after 50 ms.
    for (int i = 0; i < 10; i++) {
      r.onSent(i * 1000, 1000, i * 1000, t + i * 1_000_000L);
    }
    for (int i = 0; i < 10; i++) {
      assertThat(r.onAck(1000, (i + 1) * 1000, (i + 1) * 1000, t + 50_000_000L + i * 2_000_000L))
          .isTrue();
    }
    // Last sample: the 10th segment, sent with nothing delivered yet: 10000 bytes over
    // max(send 9 ms, ack 68 ms since the connection started) (draft §3.3).
    assertThat(r.sampleDelivered).isEqualTo(10_000);
    assertThat(r.sampleRttNanos).isEqualTo(50_000_000L + 18_000_000L - 9_000_000L);
    assertThat(r.delivered()).isEqualTo(10_000);
    // A SACK covering a later segment samples that one; an ACK delivering nothing none.
    assertThat(r.onAck(0, 10_000, 10_000, t + 100_000_000L)).isFalse();
    r.onSent(10_000, 1000, 0, t + 100_000_000L);
    r.onSent(11_000, 1000, 1000, t + 101_000_000L);
    assertThat(r.onAck(1000, 10_000, 12_000, t + 141_000_000L)).isTrue();
    assertThat(r.sampleRttNanos).isEqualTo(40_000_000L);
    assertThat(r.sampleAppLimited).isFalse();
    r.markAppLimited(1000);
    r.onSent(12_000, 1000, 1000, t + 142_000_000L);
    assertThat(r.onAck(1000, 13_000, 13_000, t + 182_000_000L)).isTrue();
    assertThat(r.sampleAppLimited).isTrue();
  }
}
