package io.wireguardjava.netstack.internal.tcp;

import static io.wireguardjava.netstack.internal.tcp.TcpHeader.ACK;
import static io.wireguardjava.netstack.internal.tcp.TcpHeader.FIN;
import static io.wireguardjava.netstack.internal.tcp.TcpHeader.RST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wireguardjava.netstack.internal.tcp.Scripted.Seg;
import java.net.SocketException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Closing: active, passive, simultaneous, TIME-WAIT, half-close, RST on unread data, closeAll. */
class CloseTest {
  private final Scripted t = new Scripted(TcpSettings.builder().msl(Duration.ofSeconds(5)).build());

  @Test
  void activeCloseThroughTimeWait() throws Exception {
    Scripted.Connected c = t.connect();
    c.socket.close();
    Seg fin = t.poll().get(0);
    assertThat(fin.flags()).isEqualTo(FIN | ACK);
    assertThat(fin.seq()).isEqualTo(c.ourNext);
    assertThat(c.socket.stateName()).isEqualTo("FIN_WAIT_1");
    assertThat(c.ack(c.ourNext + 1).send()).isEmpty();
    assertThat(c.socket.stateName()).isEqualTo("FIN_WAIT_2");
    Seg ack = c.seg(FIN | ACK, c.ourNext + 1).send().get(0);
    assertThat(ack.ack()).isEqualTo(c.peerNext + 1);
    assertThat(c.socket.stateName()).isEqualTo("TIME_WAIT");
    // A retransmitted FIN in TIME-WAIT is ACKed again.
    assertThat(c.seg(FIN | ACK, c.ourNext + 1).send()).hasSize(1);
    assertThat(t.layer.stats().connections()).isEqualTo(1);
    t.advanceMillis(9_999);
    assertThat(t.layer.stats().connections()).isEqualTo(1);
    t.advanceMillis(1);
    assertThat(t.layer.stats().connections()).as("gone after 2*MSL").isZero();
    assertThat(t.layer.stats().bufferBytes()).isZero();
    assertThat(t.layer.nextDeadlineNanos()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void passiveClose() throws Exception {
    Scripted.Connected c = t.connect();
    Seg ack = c.seg(FIN | ACK, c.ourNext).send().get(0);
    assertThat(ack.ack()).isEqualTo(c.peerNext + 1);
    assertThat(c.socket.read(new byte[10], 0, 10, 1)).isEqualTo(-1);
    assertThat(c.socket.stateName()).isEqualTo("CLOSE_WAIT");
    c.socket.write(new byte[] {1, 2, 3}, 0, 3);
    Seg data = t.poll().get(0);
    assertThat(data.len()).isEqualTo(3);
    c.socket.close();
    Seg fin = t.poll().get(0);
    assertThat(fin.has(FIN)).isTrue();
    assertThat(fin.seq()).isEqualTo(c.ourNext + 3);
    assertThat(c.socket.stateName()).isEqualTo("LAST_ACK");
    c.peerNext++;
    c.ack(c.ourNext + 4).send();
    assertThat(c.socket.stateName()).isEqualTo("CLOSED");
    assertThat(t.layer.stats().connections()).isZero();
    assertThat(t.layer.stats().bufferBytes()).isZero();
  }

  @Test
  void simultaneousClose() throws Exception {
    Scripted.Connected c = t.connect();
    c.socket.close();
    Seg fin = t.poll().get(0);
    // The peer's FIN crosses ours (it does not acknowledge our FIN).
    Seg ack = c.seg(FIN | ACK, c.ourNext).send().get(0);
    assertThat(ack.ack()).isEqualTo(c.peerNext + 1);
    assertThat(c.socket.stateName()).isEqualTo("CLOSING");
    c.peerNext++;
    c.ack(fin.seq() + 1).send();
    assertThat(c.socket.stateName()).isEqualTo("TIME_WAIT");
    t.advanceMillis(10_000);
    assertThat(t.layer.stats().connections()).isZero();
  }

  @Test
  void halfCloseKeepsReading() throws Exception {
    Scripted.Connected c = t.connect();
    c.socket.shutdownOutput();
    assertThat(t.poll().get(0).has(FIN)).isTrue();
    c.ack(c.ourNext + 1).send();
    assertThatThrownBy(() -> c.socket.write(new byte[1], 0, 1)).isInstanceOf(SocketException.class);
    c.data(100);
    byte[] b = new byte[200];
    assertThat(c.socket.read(b, 0, 200, 1)).isEqualTo(100);
    assertThat(c.socket.stateName()).isEqualTo("FIN_WAIT_2");
  }

  @Test
  void closeWithUnreadDataResets() throws Exception {
    Scripted.Connected c = t.connect();
    c.data(10);
    t.drain();
    c.socket.close();
    Seg rst = t.poll().get(0);
    assertThat(rst.flags()).isEqualTo(RST);
    assertThat(rst.seq()).isEqualTo(c.ourNext);
    assertThat(t.layer.stats().connections()).isZero();
  }

  @Test
  void dataAfterCloseResets() throws Exception {
    Scripted.Connected c = t.connect();
    c.socket.close();
    t.poll();
    c.ack(c.ourNext + 1).send();
    Seg rst = c.data(10).get(0);
    assertThat(rst.flags()).isEqualTo(RST);
    assertThat(t.layer.stats().connections()).isZero();
  }

  @Test
  void closedSocketInFinWait2TimesOut() throws Exception {
    Scripted.Connected c = t.connect();
    c.socket.close();
    t.poll();
    c.ack(c.ourNext + 1).send();
    assertThat(c.socket.stateName()).isEqualTo("FIN_WAIT_2");
    t.advanceMillis(60_000);
    assertThat(t.layer.stats().connections()).isZero();
  }

  @Test
  void abortSendsRstAndCloseAllResetsEverything() throws Exception {
    Scripted.Connected c = t.connect();
    c.socket.abort();
    assertThat(t.poll().get(0).flags()).isEqualTo(RST);
    assertThatThrownBy(() -> c.socket.read(new byte[1], 0, 1, 1))
        .isInstanceOf(SocketException.class)
        .hasMessage("Socket closed");
    TcpListener l = t.layer.listen(new java.net.InetSocketAddress(Scripted.US, 90), 4);
    TcpSocket s =
        t.layer.connect(
            new java.net.InetSocketAddress(Scripted.US, 40002),
            new java.net.InetSocketAddress(Scripted.PEER, 80));
    Seg syn = t.poll().get(0);
    t.in(40002, TcpHeader.SYN | ACK, 1, syn.seq() + 1).from(80).send();
    t.layer.closeAll();
    assertThat(l.isClosed()).isTrue();
    assertThat(t.poll()).hasSize(1).allMatch(x -> x.flags() == RST);
    assertThatThrownBy(() -> s.read(new byte[1], 0, 1, 1)).isInstanceOf(SocketException.class);
    assertThat(t.layer.stats().connections()).isZero();
    assertThatThrownBy(() -> t.layer.listen(new java.net.InetSocketAddress(Scripted.US, 91), 4))
        .isInstanceOf(SocketException.class);
  }
}
