package io.wireguardjava.netstack.internal.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.wireguardjava.netstack.internal.tcp.Scripted.Seg;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Out-of-order data with SACK: three ACKs at once, then held ones (see SackCompression). */
class SackCompressionTest {
  private static final int SEG = 100;

  /** Out-of-order segment number {@code i} (0-based) of SEG bytes, above a 1000-byte gap. */
  private static List<Seg> outOfOrder(Scripted t, Scripted.Connected c, int base, int i) {
    return t.in(40000, TcpHeader.ACK, base + 1000 + i * SEG, c.ourNext).payload(SEG).send();
  }

  private static Seg only(List<Seg> sent) {
    assertThat(sent).as("exactly one segment sent").hasSize(1);
    return sent.get(0);
  }

  @Test
  void theFirstThreeOutOfOrderSegmentsAreAckedAtOnceThenTheAckWaitsAtMostOneMillisecond()
      throws Exception {
    Scripted t = new Scripted();
    Scripted.Connected c = t.connect(); // SRTT 50 ms: the wait is min(1 ms, SRTT/20) = 1 ms
    int base = c.peerNext;
    for (int i = 0; i < SackCompression.AT_ONCE; i++) {
      List<Seg> r = outOfOrder(t, c, base, i);
      assertThat(r).as("out-of-order segment %d: a duplicate ACK at once", i).hasSize(1);
      assertThat(r.get(0).ack()).isEqualTo(base);
    }
    assertThat(outOfOrder(t, c, base, 3)).as("the fourth is held").isEmpty();
    assertThat(outOfOrder(t, c, base, 4)).isEmpty();
    t.now += 900_000L;
    assertThat(t.poll()).as("0.9 ms later still held").isEmpty();
    t.now += 100_000L;
    Seg held = only(t.poll());
    assertThat(held.ack()).isEqualTo(base);
    assertThat(held.sackStarts()).containsExactly(base + 1000);
    assertThat(held.sackEnds())
        .as("one ACK covers both held segments")
        .containsExactly(base + 1500);
  }

  @Test
  void atMostMaxHeldSegmentsWaitForOneAck() throws Exception {
    Scripted t = new Scripted();
    Scripted.Connected c = t.connect();
    int base = c.peerNext;
    for (int i = 0; i < SackCompression.AT_ONCE; i++) {
      assertThat(outOfOrder(t, c, base, i)).hasSize(1);
    }
    int i = SackCompression.AT_ONCE;
    for (int held = 1; held < SackCompression.MAX_HELD; held++, i++) {
      assertThat(outOfOrder(t, c, base, i)).as("held segment %d", held).isEmpty();
    }
    List<Seg> r = outOfOrder(t, c, base, i);
    assertThat(r).as("the %d-th held segment sends the ACK", SackCompression.MAX_HELD).hasSize(1);
    assertThat(r.get(0).sackEnds()).containsExactly(base + 1000 + (i + 1) * SEG);
    assertThat(t.advanceMillis(5)).as("nothing left to ACK").isEmpty();
  }

  @Test
  void fillingTheGapIsAckedAtOnceAndANewGapGetsThreeImmediateAcksAgain() throws Exception {
    Scripted t = new Scripted();
    Scripted.Connected c = t.connect();
    int base = c.peerNext;
    for (int i = 0; i < 5; i++) {
      outOfOrder(t, c, base, i);
    }
    // The first 500 bytes of the gap arrive: RCV.NXT moves, a gap stays below base + 1000.
    List<Seg> fill = t.in(40000, TcpHeader.ACK, base, c.ourNext).payload(500).send();
    assertThat(fill).as("data at RCV.NXT with gaps above: ACK at once").hasSize(1);
    assertThat(fill.get(0).ack()).isEqualTo(base + 500);
    for (int i = 5; i < 5 + SackCompression.AT_ONCE; i++) {
      assertThat(outOfOrder(t, c, base, i)).as("new RCV.NXT: at once again").hasSize(1);
    }
    assertThat(outOfOrder(t, c, base, 5 + SackCompression.AT_ONCE)).isEmpty();
    Seg rest = only(t.in(40000, TcpHeader.ACK, base + 500, c.ourNext).payload(500).send());
    assertThat(rest.ack()).isEqualTo(base + 1000 + (6 + SackCompression.AT_ONCE) * SEG);
    assertThat(rest.sackStarts()).isEmpty();
  }

  @Test
  void withoutSackEveryOutOfOrderSegmentIsAckedAtOnce() throws Exception {
    Scripted t = new Scripted();
    Scripted.Connected c = t.connect(7, false, 1380);
    int base = c.peerNext;
    for (int i = 0; i < 10; i++) {
      assertThat(outOfOrder(t, c, base, i)).as("segment %d", i).hasSize(1);
    }
  }

  @Test
  void aDuplicateIsAckedAtOnceEvenWhileAcksAreHeld() throws Exception {
    Scripted t = new Scripted();
    Scripted.Connected c = t.connect();
    int base = c.peerNext;
    for (int i = 0; i < 4; i++) {
      outOfOrder(t, c, base, i);
    }
    assertThat(outOfOrder(t, c, base, 1)).as("a duplicate of a held range").hasSize(1);
  }
}
