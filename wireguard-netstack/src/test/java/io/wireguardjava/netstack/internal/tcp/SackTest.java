package io.wireguardjava.netstack.internal.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.wireguardjava.netstack.internal.tcp.Scripted.Seg;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SACK: blocks we emit for gaps (RFC 2018) and the sender scoreboard (RFC 6675). */
class SackTest {
  private static final int MSS = 1380;

  @Test
  void gapsAreAckedAtOnceWithSackBlocksMostRecentFirst() throws Exception {
    Scripted t = new Scripted();
    Scripted.Connected c = t.connect();
    int base = c.peerNext;
    Seg a = t.in(40000, TcpHeader.ACK, base + 1000, c.ourNext).payload(500).send().get(0);
    assertThat(a.ack()).isEqualTo(base);
    assertThat(a.sackStarts()).containsExactly(base + 1000);
    assertThat(a.sackEnds()).containsExactly(base + 1500);
    Seg b = t.in(40000, TcpHeader.ACK, base + 3000, c.ourNext).payload(500).send().get(0);
    assertThat(b.sackStarts()).containsExactly(base + 3000, base + 1000);
    Seg d = t.in(40000, TcpHeader.ACK, base + 1500, c.ourNext).payload(500).send().get(0);
    assertThat(d.sackStarts())
        .as("the grown block first")
        .containsExactly(base + 1000, base + 3000);
    assertThat(d.sackEnds()).containsExactly(base + 2000, base + 3500);
    // Filling the first gap acks up to the next one, at once.
    Seg e = t.in(40000, TcpHeader.ACK, base, c.ourNext).payload(1000).send().get(0);
    assertThat(e.ack()).isEqualTo(base + 2000);
    assertThat(e.sackStarts()).containsExactly(base + 3000);
    byte[] got = new byte[5000];
    assertThat(c.socket.readNow(got, 0, 5000)).isEqualTo(2000);
  }

  /**
   * RFC 2883: a first SACK block below the cumulative ACK, or inside the second block, reports a
   * segment the peer received twice. Counted (the benchmark's spurious retransmissions), and never
   * taken as news: no duplicate ACK, no recovery.
   */
  @Test
  void dsackBlocksAreCountedAndChangeNothingElse() throws Exception {
    Scripted t = new Scripted();
    Scripted.Connected c = t.connect();
    c.socket.setNoDelay(true);
    c.socket.write(new byte[10 * MSS], 0, 10 * MSS);
    assertThat(t.poll()).hasSize(10);
    int s0 = c.ourNext;
    c.ack(s0 + 2 * MSS).send();
    // Below the cumulative ACK: segment 0 arrived twice.
    c.ack(s0 + 2 * MSS).sack(s0, s0 + MSS).send();
    assertThat(t.layer.stats().dsacksReceived()).isEqualTo(1);
    // Inside the second block: segment 5 arrived twice, 4-5 are SACKed.
    c.ack(s0 + 2 * MSS).sack(s0 + 5 * MSS, s0 + 6 * MSS, s0 + 4 * MSS, s0 + 6 * MSS).send();
    assertThat(t.layer.stats().dsacksReceived()).isEqualTo(2);
    // An ordinary SACK block is none.
    c.ack(s0 + 2 * MSS).sack(s0 + 4 * MSS, s0 + 6 * MSS).send();
    assertThat(t.layer.stats().dsacksReceived()).isEqualTo(2);
    // Four ACKs at SND.UNA, two of them D-SACKs, one SACKing nothing new: a single duplicate
    // ACK by RFC 6675 (one SACKed new data), no recovery, nothing resent.
    c.ack(s0 + 2 * MSS).sack(s0, s0 + MSS, s0 + 4 * MSS, s0 + 6 * MSS).send();
    assertThat(t.layer.stats().dsacksReceived()).isEqualTo(3);
    assertThat(t.layer.stats().fastRetransmits()).isZero();
    assertThat(t.layer.stats().retransmittedSegments()).isZero();
    assertThat(c.socket.connection().dupAcks).isEqualTo(1);
  }

  @Test
  void noSackBlocksWhenNotNegotiated() throws Exception {
    Scripted t = new Scripted();
    Scripted.Connected c = t.connect(7, false, 1380);
    Seg a = t.in(40000, TcpHeader.ACK, c.peerNext + 1000, c.ourNext).payload(500).send().get(0);
    assertThat(a.sackStarts()).isEmpty();
  }

  @Test
  void scoreboardRetransmitsOnlyTheHoles() throws Exception {
    Scripted t = new Scripted();
    Scripted.Connected c = t.connect();
    c.socket.setNoDelay(true);
    c.socket.write(new byte[10 * MSS], 0, 10 * MSS);
    List<Seg> burst = t.poll();
    assertThat(burst).hasSize(10);
    int s0 = c.ourNext;
    // Segments 1 and 5 lost: the peer acks 0 and SACKs 2-4, then 6-9.
    List<Seg> r1 = c.ack(s0 + MSS).sack(s0 + 2 * MSS, s0 + 5 * MSS).send();
    assertThat(r1)
        .as("3 segments SACKed above the hole: lost at once (RFC 6675 IsLost)")
        .hasSize(1);
    assertThat(r1.get(0).seq()).isEqualTo(s0 + MSS);
    assertThat(t.layer.stats().fastRetransmits()).isEqualTo(1);
    List<Seg> r2 =
        c.ack(s0 + MSS).sack(s0 + 6 * MSS, s0 + 10 * MSS, s0 + 2 * MSS, s0 + 5 * MSS).send();
    assertThat(r2)
        .extracting(Seg::seq)
        .as("only the hole at segment 5")
        .containsExactly(s0 + 5 * MSS);
    // Nothing SACKed is ever resent.
    List<Seg> r3 = c.ack(s0 + 5 * MSS).sack(s0 + 6 * MSS, s0 + 10 * MSS).send();
    assertThat(r3).noneMatch(s -> s.seq() >= s0 + 6 * MSS && s.seq() < s0 + 10 * MSS);
    c.ack(s0 + 10 * MSS).send();
    assertThat(c.socket.connection().inRecovery).isFalse();
    assertThat(t.layer.stats().retransmittedSegments()).isEqualTo(2);
  }

  @Test
  void aLostRetransmissionIsSentAgainWithoutWaitingForTheTimeout() throws Exception {
    Scripted t = new Scripted();
    Scripted.Connected c = t.connect();
    c.socket.setNoDelay(true);
    c.socket.write(new byte[20 * MSS], 0, 20 * MSS);
    assertThat(t.poll()).hasSize(10);
    int s0 = c.ourNext;
    List<Seg> r1 = c.ack(s0 + MSS).sack(s0 + 2 * MSS, s0 + 5 * MSS).send();
    assertThat(r1).extracting(Seg::seq).containsExactly(s0 + MSS);
    // Everything but segment 1 arrives; new data goes out as the pipe drains.
    List<Seg> r2 = c.ack(s0 + MSS).sack(s0 + 2 * MSS, s0 + 10 * MSS).send();
    assertThat(r2).isNotEmpty().allMatch(x -> x.seq() >= s0 + 10 * MSS);
    // Three segments sent after the retransmission are SACKed, segment 1 still is not: within a
    // round trip and a quarter (SRTT 50 ms) of the retransmission that may be reordering...
    t.advanceMillis(60);
    List<Seg> early = c.ack(s0 + MSS).sack(s0 + 2 * MSS, s0 + 12 * MSS).send();
    assertThat(early).extracting(Seg::seq).doesNotContain(s0 + MSS);
    // ... after it, the retransmission is lost: resend segment 1 alone, not the holes after it.
    t.advanceMillis(3);
    List<Seg> r3 = c.ack(s0 + MSS).sack(s0 + 2 * MSS, s0 + 13 * MSS).send();
    assertThat(r3).extracting(Seg::seq).contains(s0 + MSS);
    assertThat(r3).filteredOn(x -> x.seq() < s0 + 10 * MSS).hasSize(1);
    assertThat(t.layer.stats().retransmissionTimeouts()).isZero();
  }

  /**
   * A recovery episode retransmits every lost hole it finds, also above its recovery point (new
   * data sent during it). When the next episode starts right after, those retransmissions are still
   * in flight: sending them again from SND.UNA (HighRxt reset to it) made duplicates the receiver
   * reported by D-SACK, about a quarter of all retransmissions on the benchmark's impaired path.
   */
  @Test
  void aNewEpisodeDoesNotResendWhatThePreviousOneResent() throws Exception {
    Scripted t = new Scripted();
    Scripted.Connected c = t.connect();
    c.socket.setNoDelay(true);
    c.socket.write(new byte[30 * MSS], 0, 30 * MSS);
    assertThat(t.poll()).hasSize(10);
    int s0 = c.ourNext;
    // Segment 1 lost: recovery, recovery point at segment 10.
    assertThat(c.ack(s0 + MSS).sack(s0 + 2 * MSS, s0 + 5 * MSS).send())
        .extracting(Seg::seq)
        .containsExactly(s0 + MSS);
    // 2-9 arrive; new data 10-12 goes out as the pipe drains.
    assertThat(c.ack(s0 + MSS).sack(s0 + 2 * MSS, s0 + 10 * MSS).send())
        .extracting(Seg::seq)
        .contains(s0 + 10 * MSS, s0 + 12 * MSS);
    // Segment 10 lost too: 11-12 SACKed (not yet proof), more new data; then 11-13 SACKed:
    // segment 10 is resent in this episode, above its recovery point.
    assertThat(
            c.ack(s0 + MSS).sack(s0 + 11 * MSS, s0 + 13 * MSS, s0 + 2 * MSS, s0 + 10 * MSS).send())
        .extracting(Seg::seq)
        .doesNotContain(s0 + 10 * MSS);
    assertThat(
            c.ack(s0 + MSS).sack(s0 + 11 * MSS, s0 + 14 * MSS, s0 + 2 * MSS, s0 + 10 * MSS).send())
        .extracting(Seg::seq)
        .contains(s0 + 10 * MSS);
    // Segment 1's retransmission arrives: the episode ends, and the next starts at once (segment
    // 10 is still missing), while segment 10's retransmission is on its way.
    List<Seg> next = c.ack(s0 + 10 * MSS).sack(s0 + 11 * MSS, s0 + 14 * MSS).send();
    assertThat(t.layer.stats().fastRetransmits()).isEqualTo(2);
    assertThat(next).extracting(Seg::seq).doesNotContain(s0 + 10 * MSS);
    assertThat(t.layer.stats().retransmittedSegments()).isEqualTo(2);
  }

  @Test
  void scoreboardBookkeeping() {
    SackScoreboard sb = new SackScoreboard(8);
    assertThat(sb.add(200, 300, 100, 1000)).isTrue();
    assertThat(sb.add(200, 300, 100, 1000)).as("nothing new").isFalse();
    assertThat(sb.add(500, 2000, 100, 1000)).as("beyond what was sent").isFalse();
    assertThat(sb.add(50, 90, 100, 1000)).as("below the cumulative ACK").isFalse();
    sb.add(400, 500, 100, 1000);
    sb.add(300, 350, 100, 1000);
    assertThat(sb.sackedBytes()).isEqualTo(250);
    assertThat(sb.nextHole(100, 1000)).isEqualTo(100);
    assertThat(sb.holeEnd).isEqualTo(200);
    assertThat(sb.nextHole(200, 1000)).isEqualTo(350);
    assertThat(sb.holeEnd).isEqualTo(400);
    assertThat(sb.holeBytes(100, 500)).isEqualTo(100 + 50);
    assertThat(sb.lostBoundary(100, 50)).as("more than 2*MSS SACKed above 200").isEqualTo(200);
    sb.acknowledge(320);
    assertThat(sb.sackedBytes()).isEqualTo(30 + 100);
    assertThat(sb.isSacked(330)).isTrue();
    assertThat(sb.isSacked(360)).isFalse();
  }
}
