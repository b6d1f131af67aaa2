package io.wireguardjava.netstack.internal.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The delivery-rate records must cover a whole flight, however many segments it holds. */
class DeliveryRateTest {
  private static final int MSS = 1000;
  private static final long T0 = 1_000_000_000L;

  /**
   * 3000 segments in flight (3 MB, 1 Gbit/s at 24 ms), then the first ones are ACKed: each ACK must
   * sample the segment it covers. A ring of 1024 records had dropped them by then, so no sample
   * came while more than 1024 segments were in flight: BBR's BtlBw stopped at 1024 segments per
   * round trip.
   */
  @Test
  void samplesTheFirstSegmentsOfAFlightOfThreeThousand() {
    DeliveryRate r = new DeliveryRate();
    int n = 3000;
    for (int i = 0; i < n; i++) {
      r.onSent(i * MSS, MSS, i * MSS, T0 + i * 8_000L); // 8 us apart: 1 Gbit/s
    }
    long ackAt = T0 + 24_000_000L;
    for (int i = 0; i < 10; i++) {
      assertThat(r.onAck(MSS, (i + 1) * MSS, (i + 1) * MSS, ackAt + i * 8_000L))
          .as("sample for segment %d", i)
          .isTrue();
      assertThat(r.sampleRttNanos).isEqualTo(24_000_000L);
      assertThat(r.samplePriorDelivered).isEqualTo(0);
    }
    assertThat(r.capacity()).isGreaterThanOrEqualTo(n);
  }

  /** The same through SACKs above a hole at SND.UNA, as in loss recovery. */
  @Test
  void sackAboveAHoleSamplesTheNewestSackedSegmentOfALargeFlight() {
    DeliveryRate r = new DeliveryRate();
    int n = 2500;
    for (int i = 0; i < n; i++) {
      r.onSent(i * MSS, MSS, i * MSS, T0 + i * 8_000L);
    }
    // Segment 0 lost; segments 1..5 SACKed, the cumulative ACK stays at 0.
    for (int i = 1; i <= 5; i++) {
      assertThat(r.onAck(MSS, 0, (i + 1) * MSS, T0 + 24_000_000L + i * 8_000L)).isTrue();
      assertThat(r.sampleRttNanos).isEqualTo(24_000_000L);
      assertThat(r.sampleDelivered).isEqualTo((long) i * MSS);
    }
  }

  /** Growing while the ring has wrapped keeps the records in order, oldest first. */
  @Test
  void growingAWrappedRingKeepsTheOrder() {
    DeliveryRate r = new DeliveryRate();
    int cap = DeliveryRate.INITIAL_CAPACITY;
    long t = T0;
    int seq = 0;
    // Fill, then ACK half so that head sits in the middle, then refill past the end: it wraps.
    for (int i = 0; i < cap; i++, seq += MSS) {
      r.onSent(seq, MSS, seq, t += 1_000L);
    }
    assertThat(r.onAck(cap / 2 * MSS, cap / 2 * MSS, cap / 2 * MSS, t += 1_000_000L)).isTrue();
    int unaSeg = cap / 2;
    for (int i = 0; i < cap; i++, seq += MSS) {
      r.onSent(seq, MSS, seq - unaSeg * MSS, t += 1_000L); // the ring grows on the way
    }
    assertThat(r.capacity()).isGreaterThan(cap);
    // Every remaining segment, ACKed one by one, samples exactly itself (RTT = its own age).
    int last = seq / MSS;
    for (int k = unaSeg; k < last; k++) {
      long ackAt = t + 1_000_000L + k;
      assertThat(r.onAck(MSS, (k + 1) * MSS, (k + 1) * MSS, ackAt)).as("segment %d", k).isTrue();
      long sentAt = T0 + (k + 1) * 1_000L + (k >= cap ? 1_000_000L : 0);
      assertThat(r.sampleRttNanos).as("segment %d", k).isEqualTo(ackAt - sentAt);
    }
  }
}
