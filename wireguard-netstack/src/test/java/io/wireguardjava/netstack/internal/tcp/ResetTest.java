package io.wireguardjava.netstack.internal.tcp;

import static io.wireguardjava.netstack.internal.tcp.TcpHeader.ACK;
import static io.wireguardjava.netstack.internal.tcp.TcpHeader.RST;
import static io.wireguardjava.netstack.internal.tcp.TcpHeader.SYN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wireguardjava.netstack.internal.tcp.Scripted.Seg;
import java.net.SocketException;
import org.junit.jupiter.api.Test;

/** RST and SYN handling of RFC 9293 with the RFC 5961 defences. */
class ResetTest {

  @Test
  void exactRstResetsTheConnection() throws Exception {
    Scripted t = new Scripted();
    Scripted.Connected c = t.connect();
    c.data(5);
    t.drain();
    assertThat(c.seg(RST, 0).send()).isEmpty();
    // Data already received is still delivered, then the reset is reported.
    assertThat(c.socket.read(new byte[10], 0, 10, 1)).isEqualTo(5);
    assertThatThrownBy(() -> c.socket.read(new byte[10], 0, 10, 1))
        .isInstanceOf(SocketException.class)
        .hasMessage("Connection reset");
    assertThatThrownBy(() -> c.socket.write(new byte[1], 0, 1))
        .isInstanceOf(SocketException.class)
        .hasMessage("Connection reset");
    assertThat(t.layer.stats().resetsReceived()).isEqualTo(1);
    assertThat(t.layer.stats().connections()).isZero();
  }

  @Test
  void inWindowRstGetsAChallengeAck() throws Exception {
    Scripted t = new Scripted();
    Scripted.Connected c = t.connect();
    Seg challenge = t.in(40000, RST, c.peerNext + 1000, 0).send().get(0);
    assertThat(challenge.flags()).isEqualTo(ACK);
    assertThat(challenge.ack()).isEqualTo(c.peerNext);
    assertThat(challenge.seq()).isEqualTo(c.ourNext);
    assertThat(c.socket.stateName()).isEqualTo("ESTABLISHED");
    assertThat(t.layer.stats().challengeAcks()).isEqualTo(1);
  }

  @Test
  void outOfWindowRstIsIgnored() throws Exception {
    Scripted t = new Scripted();
    Scripted.Connected c = t.connect();
    assertThat(t.in(40000, RST, c.peerNext - 10, 0).send()).isEmpty();
    assertThat(t.in(40000, RST, c.peerNext + 10_000_000, 0).send()).isEmpty();
    assertThat(c.socket.stateName()).isEqualTo("ESTABLISHED");
  }

  @Test
  void synInEstablishedGetsAChallengeAck() throws Exception {
    Scripted t = new Scripted();
    Scripted.Connected c = t.connect();
    Seg challenge = t.in(40000, SYN, c.peerNext + 5, 0).send().get(0);
    assertThat(challenge.flags()).isEqualTo(ACK);
    assertThat(challenge.ack()).isEqualTo(c.peerNext);
    assertThat(c.socket.stateName()).isEqualTo("ESTABLISHED");
  }

  @Test
  void ackBelowTheWindowGetsAChallengeAckAndAboveGetsAnAck() throws Exception {
    Scripted t = new Scripted();
    Scripted.Connected c = t.connect();
    Seg a = c.ack(c.ourNext - 2_000_000).send().get(0);
    assertThat(a.flags()).isEqualTo(ACK);
    assertThat(t.layer.stats().challengeAcks()).isEqualTo(1);
    Seg b = c.ack(c.ourNext + 100).send().get(0);
    assertThat(b.flags()).isEqualTo(ACK);
    assertThat(t.layer.stats().challengeAcks()).isEqualTo(1);
    assertThat(c.socket.stateName()).isEqualTo("ESTABLISHED");
  }

  @Test
  void challengeAcksAreRateLimited() throws Exception {
    Scripted t = new Scripted(TcpSettings.builder().challengeAcksPerSecond(3).build());
    Scripted.Connected c = t.connect();
    int replies = 0;
    for (int i = 0; i < 10; i++) {
      replies += t.in(40000, RST, c.peerNext + 1 + i, 0).send().size();
    }
    assertThat(replies).isEqualTo(3);
    assertThat(t.layer.stats().challengeAcksSuppressed()).isEqualTo(7);
    t.advanceMillis(1000);
    assertThat(t.in(40000, RST, c.peerNext + 1, 0).send()).hasSize(1);
  }

  @Test
  void outOfWindowDataIsAckedAndDropped() throws Exception {
    Scripted t = new Scripted();
    Scripted.Connected c = t.connect();
    Seg a = t.in(40000, ACK, c.peerNext - 5000, c.ourNext).payload(100).send().get(0);
    assertThat(a.ack()).isEqualTo(c.peerNext);
    assertThat(c.socket.available()).isZero();
    assertThat(t.layer.stats().droppedOutOfWindow()).isEqualTo(1);
  }

  @Test
  void malformedSegmentsAreCountedNotThrown() {
    Scripted t = new Scripted();
    byte[] p = new byte[8 + 24];
    TcpHeader.write(p, 8, 1, 80, 0, 0, 24, SYN, 100);
    p[28] = 2;
    p[29] = 9; // MSS option with a length past the header
    t.layer.onSegment(p, 0, 4, 4, 8, 24, t.now);
    t.layer.onSegment(p, 0, 4, 4, 8, 10, t.now);
    TcpHeader.write(p, 8, 1, 80, 0, 0, 60, SYN, 100); // header longer than the segment
    t.layer.onSegment(p, 0, 4, 4, 8, 24, t.now);
    assertThat(t.layer.stats().droppedMalformed()).isEqualTo(3);
    assertThat(t.drain()).isEmpty();
  }
}
