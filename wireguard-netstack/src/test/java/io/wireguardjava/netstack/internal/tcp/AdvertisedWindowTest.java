package io.wireguardjava.netstack.internal.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wireguardjava.netstack.internal.tcp.Scripted.Seg;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A window once advertised is honoured (RFC 9293 §3.8.6), even where scaling rounded it up. */
class AdvertisedWindowTest {
  private static final int MSS = 1380;

  @Test
  void dataUpToTheAdvertisedEdgeIsTakenWhenScalingRoundedTheWindowUp() throws Exception {
    Scripted t = new Scripted();
    Scripted.Connected c = t.connect();
    c.data(MSS);
    List<Seg> acks = t.runMillis(50);
    assertThat(acks).isNotEmpty();
    Seg ack = acks.get(acks.size() - 1);
    TcpConnection conn = c.socket.connection();
    int free = conn.receiveSpace();
    int advertised = ack.window() << conn.rcvScale;
    // The premise: the field, in units of 2^7, promises more than the ring has free.
    assertThat(advertised).isGreaterThan(free);
    int edge = ack.ack() + advertised;
    // The peer fills exactly what we advertised; the application reads nothing.
    while (c.peerNext != edge) {
      c.data(Math.min(MSS, edge - c.peerNext));
    }
    assertThat(conn.rcvNxt).isEqualTo(edge);
    assertThat(conn.readable()).isEqualTo(MSS + advertised);
    assertThat(t.layer.stats().droppedOutOfWindow()).isZero();
    assertThat(t.layer.stats().droppedMemoryLimit()).isZero();
    // Nothing more is offered until the application reads.
    assertThat(t.poll())
        .allSatisfy(s -> assertThat(s.ack() + (s.window() << conn.rcvScale)).isEqualTo(edge));
  }

  @Test
  void withTheMemoryBudgetSpentTheRoundedUpPartIsDroppedAndCountedAsMemoryPressure()
      throws Exception {
    TcpSettings settings =
        TcpSettings.builder()
            .initialReceiveBuffer(16 * 1024)
            .initialSendBuffer(16 * 1024)
            .maxTotalBufferBytes(64 * 1024)
            .build();
    Scripted t = new Scripted(settings);
    Scripted.Connected c = t.connect();
    t.layer.connect(
        new InetSocketAddress(Scripted.US, 40001),
        new InetSocketAddress(Scripted.PEER, Scripted.PEER_PORT));
    assertThatThrownBy(
            () ->
                t.layer.connect(
                    new InetSocketAddress(Scripted.US, 40002),
                    new InetSocketAddress(Scripted.PEER, Scripted.PEER_PORT)))
        .isInstanceOf(SocketException.class)
        .hasMessageContaining("memory");
    assertThat(t.layer.stats().droppedMemoryLimit()).isEqualTo(1);
    assertThat(t.layer.stats().droppedConnectionLimit()).isZero();
    c.data(MSS);
    List<Seg> acks = t.runMillis(50);
    Seg ack = acks.get(acks.size() - 1);
    TcpConnection conn = c.socket.connection();
    int free = conn.receiveSpace();
    int edge = ack.ack() + (ack.window() << conn.rcvScale);
    assertThat(edge - conn.rcvNxt).isGreaterThan(free);
    while (c.peerNext != edge) {
      c.data(Math.min(MSS, edge - c.peerNext));
    }
    // The ring could not grow: what lies past its space is dropped, as memory pressure.
    assertThat(conn.rcvNxt).isEqualTo(ack.ack() + free);
    assertThat(t.layer.stats().droppedMemoryLimit()).isEqualTo(2);
    assertThat(t.layer.stats().droppedOutOfWindow()).isZero();
  }

  @Test
  void readingAClosedWindowOpenSendsAWindowUpdate() throws Exception {
    Scripted t = new Scripted();
    Scripted.Connected c = t.connect();
    TcpConnection conn = c.socket.connection();
    c.data(MSS);
    Seg first = t.runMillis(50).get(0);
    int edge = first.ack() + (first.window() << conn.rcvScale);
    while (c.peerNext != edge) {
      c.data(Math.min(MSS, edge - c.peerNext));
    }
    List<Seg> closing = t.runMillis(50);
    // Closed, or all but: less than one scale unit of 2^7 bytes (rounded up, never retracted).
    assertThat(closing).isNotEmpty().allSatisfy(s -> assertThat(s.window()).isLessThanOrEqualTo(1));
    // Two segments' worth read: the window reopens and the peer is told at once, unasked.
    byte[] sink = new byte[2 * MSS];
    assertThat(c.socket.readNow(sink, 0, sink.length)).isEqualTo(sink.length);
    List<Seg> update = t.poll();
    assertThat(update).hasSize(1);
    assertThat(update.get(0).ack()).isEqualTo(edge);
    assertThat(update.get(0).window() << conn.rcvScale).isGreaterThanOrEqualTo(2 * MSS - 127);
  }
}
