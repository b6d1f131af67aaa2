package io.wireguardjava.netstack.internal.tcp;

import static io.wireguardjava.netstack.internal.tcp.TcpHeader.ACK;
import static io.wireguardjava.netstack.internal.tcp.TcpHeader.RST;
import static io.wireguardjava.netstack.internal.tcp.TcpHeader.SYN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wireguardjava.netstack.internal.tcp.Scripted.Seg;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Opening connections: both directions, simultaneous open, options, SYN retransmission, refusals.
 */
class HandshakeTest {

  @Test
  void activeOpenSendsSynWithOptionsAndAcksTheSynAck() throws Exception {
    Scripted t = new Scripted();
    TcpSocket s =
        t.layer.connect(
            new InetSocketAddress(Scripted.US, 0), new InetSocketAddress(Scripted.PEER, 80));
    assertThat(t.drain()).as("nothing before the stack thread polls").isEmpty();
    Seg syn = t.poll().get(0);
    assertThat(syn.flags()).isEqualTo(SYN);
    assertThat(syn.mss()).isEqualTo(1380);
    assertThat(syn.wscale()).isEqualTo(7);
    assertThat(syn.sackPermitted()).isTrue();
    assertThat(syn.window()).isEqualTo(65535);
    assertThat(syn.srcPort()).isBetween(49152, 65535);
    assertThat(s.isConnected()).isFalse();
    Seg ack =
        t.in(syn.srcPort(), SYN | ACK, 7000, syn.seq() + 1)
            .from(80)
            .mss(1200)
            .wscale(2)
            .sackPermitted()
            .send()
            .get(0);
    assertThat(ack.flags()).isEqualTo(ACK);
    assertThat(ack.seq()).isEqualTo(syn.seq() + 1);
    assertThat(ack.ack()).isEqualTo(7001);
    assertThat(s.isConnected()).isTrue();
    s.awaitConnected(1);
    assertThat(s.connection().mss).isEqualTo(1200);
    assertThat(s.connection().sndScale).isEqualTo(2);
  }

  @Test
  void passiveOpenAnswersSynAndDeliversOnTheFinalAck() throws Exception {
    Scripted t = new Scripted();
    TcpListener l = t.layer.listen(new InetSocketAddress(0), 8);
    int port = l.localAddress().getPort();
    Seg synAck =
        t.in(port, SYN, 5000, 0).mss(1000).wscale(3).sackPermitted().window(29200).send().get(0);
    assertThat(synAck.flags()).isEqualTo(SYN | ACK);
    assertThat(synAck.ack()).isEqualTo(5001);
    assertThat(synAck.mss()).isEqualTo(1380);
    assertThat(synAck.wscale()).isEqualTo(7);
    assertThat(synAck.sackPermitted()).isTrue();
    assertThat(l.acceptNow()).isEmpty();
    assertThat(t.in(port, ACK, 5001, synAck.seq() + 1).window(1000).send()).isEmpty();
    TcpSocket s = l.accept(1_000_000);
    assertThat(s.remoteAddress())
        .isEqualTo(new InetSocketAddress(Scripted.PEER, Scripted.PEER_PORT));
    assertThat(s.connection().mss).isEqualTo(1000);
    assertThat(s.connection().sndWnd).as("later windows are scaled by 2^3").isEqualTo(8000);
  }

  @Test
  void synWindowIsNotScaled() throws Exception {
    Scripted t = new Scripted();
    t.layer.listen(new InetSocketAddress(Scripted.US, 80), 8);
    t.in(80, SYN, 5000, 0).wscale(3).window(29200).send();
    TcpConnection c =
        t.layer
            .connect(
                new InetSocketAddress(Scripted.US, 41000), new InetSocketAddress(Scripted.PEER, 81))
            .connection();
    Seg syn = t.poll().get(0);
    t.in(41000, SYN | ACK, 1, syn.seq() + 1).from(81).wscale(3).window(29200).send();
    assertThat(c.sndWnd).isEqualTo(29200);
  }

  @Test
  void optionsOnlyWhenBothSidesOfferThem() throws Exception {
    Scripted t = new Scripted();
    TcpListener l = t.layer.listen(new InetSocketAddress(Scripted.US, 80), 8);
    Seg synAck = t.in(80, SYN, 5000, 0).send().get(0);
    assertThat(synAck.wscale()).as("no window scale unless the SYN had one").isEqualTo(-1);
    assertThat(synAck.sackPermitted()).isFalse();
    t.in(80, ACK, 5001, synAck.seq() + 1).window(1000).send();
    TcpSocket s = l.accept(1_000_000);
    assertThat(s.connection().mss).as("RFC 9293 default MSS 536").isEqualTo(536);
    assertThat(s.connection().rcvScale).isZero();
    assertThat(s.connection().sndWnd).isEqualTo(1000);
    // Our window is then at most 65535 and not scaled.
    List<Seg> acks = t.in(80, ACK | TcpHeader.PSH, 5001, synAck.seq() + 1).payload(500).send();
    t.runMillis(50);
    assertThat(acks.isEmpty() ? 0 : acks.get(0).window()).isLessThanOrEqualTo(65535);
  }

  @Test
  void simultaneousOpen() throws Exception {
    Scripted t = new Scripted();
    TcpSocket s =
        t.layer.connect(
            new InetSocketAddress(Scripted.US, 40000),
            new InetSocketAddress(Scripted.PEER, Scripted.PEER_PORT));
    Seg syn = t.poll().get(0);
    // The peer's SYN crosses ours.
    Seg synAck = t.in(40000, SYN, 9000, 0).mss(1380).wscale(7).sackPermitted().send().get(0);
    assertThat(synAck.flags()).isEqualTo(SYN | ACK);
    assertThat(synAck.seq()).isEqualTo(syn.seq());
    assertThat(synAck.ack()).isEqualTo(9001);
    assertThat(s.isConnected()).isFalse();
    // The peer's SYN-ACK (its SYN again, acking ours) completes it.
    t.in(40000, SYN | ACK, 9000, syn.seq() + 1).mss(1380).wscale(7).sackPermitted().send();
    assertThat(s.isConnected()).isTrue();
    assertThat(s.stateName()).isEqualTo("ESTABLISHED");
  }

  @Test
  void synRetransmittedWithBackoffThenConnectTimesOut() throws Exception {
    Scripted t = new Scripted(TcpSettings.builder().maxSynRetransmissions(2).build());
    TcpSocket s =
        t.layer.connect(
            new InetSocketAddress(Scripted.US, 0), new InetSocketAddress(Scripted.PEER, 80));
    assertThat(t.poll()).hasSize(1);
    assertThat(t.advanceMillis(999)).isEmpty();
    assertThat(t.advanceMillis(1)).hasSize(1).allMatch(x -> x.flags() == SYN);
    assertThat(t.advanceMillis(1999)).isEmpty();
    assertThat(t.advanceMillis(1)).hasSize(1);
    assertThat(t.advanceMillis(4000)).isEmpty();
    assertThatThrownBy(() -> s.awaitConnected(1))
        .isInstanceOf(ConnectException.class)
        .hasMessage("Connection timed out");
    assertThat(t.layer.stats().connections()).isZero();
  }

  @Test
  void rstAnswerRefusesTheConnection() throws Exception {
    Scripted t = new Scripted();
    TcpSocket s =
        t.layer.connect(
            new InetSocketAddress(Scripted.US, 0), new InetSocketAddress(Scripted.PEER, 80));
    Seg syn = t.poll().get(0);
    // An RST whose ACK does not acknowledge our SYN is ignored.
    assertThat(t.in(syn.srcPort(), RST | ACK, 0, syn.seq() + 5).from(80).send()).isEmpty();
    assertThat(s.connection().state).isEqualTo(TcpState.SYN_SENT);
    t.in(syn.srcPort(), RST | ACK, 0, syn.seq() + 1).from(80).send();
    assertThatThrownBy(() -> s.awaitConnected(0))
        .isInstanceOf(ConnectException.class)
        .hasMessage("Connection refused");
    assertThat(t.layer.stats().connections()).isZero();
  }

  @Test
  void icmpUnreachableFailsConnect() throws Exception {
    Scripted t = new Scripted();
    TcpSocket s =
        t.layer.connect(
            new InetSocketAddress(Scripted.US, 40001), new InetSocketAddress(Scripted.PEER, 80));
    Seg syn = t.poll().get(0);
    byte[] quoted = new byte[8 + 20];
    System.arraycopy(Scripted.US.getAddress(), 0, quoted, 0, 4);
    System.arraycopy(Scripted.PEER.getAddress(), 0, quoted, 4, 4);
    TcpHeader.write(quoted, 8, 40001, 80, syn.seq(), 0, 20, SYN, 65535);
    // A quoted sequence number not in flight is ignored (RFC 5927).
    TcpHeader.putI32(quoted, 12, syn.seq() + 100);
    t.layer.onIcmpError(quoted, 0, 4, 4, 8, 20, IcmpKind.HOST_UNREACHABLE, 0, t.now);
    assertThat(s.connection().state).isEqualTo(TcpState.SYN_SENT);
    TcpHeader.putI32(quoted, 12, syn.seq());
    t.layer.onIcmpError(quoted, 0, 4, 4, 8, 20, IcmpKind.HOST_UNREACHABLE, 0, t.now);
    assertThatThrownBy(() -> s.awaitConnected(0)).isInstanceOf(NoRouteToHostException.class);
  }

  @Test
  void connectTimeoutAbandonsTheAttempt() throws Exception {
    Scripted t = new Scripted();
    TcpSocket s =
        t.layer.connect(
            new InetSocketAddress(Scripted.US, 0), new InetSocketAddress(Scripted.PEER, 80));
    t.poll();
    assertThatThrownBy(() -> s.awaitConnected(1_000_000))
        .isInstanceOf(SocketTimeoutException.class);
    t.poll();
    assertThat(t.layer.stats().connections()).isZero();
  }

  @Test
  void segmentsToClosedPortsAreReset() throws Exception {
    Scripted t = new Scripted();
    Seg r = t.in(81, SYN, 1000, 0).send().get(0);
    assertThat(r.flags()).isEqualTo(RST | ACK);
    assertThat(r.ack()).isEqualTo(1001);
    Seg r2 = t.in(81, ACK, 1000, 4242).send().get(0);
    assertThat(r2.flags()).isEqualTo(RST);
    assertThat(r2.seq()).isEqualTo(4242);
    assertThat(t.in(81, RST, 1000, 0).send()).as("never answer an RST").isEmpty();
    assertThat(t.layer.stats().resetsSent()).isEqualTo(2);
  }

  @Test
  void bindConflictsNameTheAddress() throws Exception {
    Scripted t = new Scripted();
    t.layer.listen(new InetSocketAddress(8080), 4);
    assertThatThrownBy(() -> t.layer.listen(new InetSocketAddress(Scripted.US, 8080), 4))
        .isInstanceOf(BindException.class)
        .hasMessageContaining("10.0.0.1:8080");
    assertThatThrownBy(
            () ->
                t.layer.connect(
                    new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0),
                    new InetSocketAddress(Scripted.PEER, 80)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void synFloodKeepsBoundedState() throws Exception {
    Scripted t = new Scripted(TcpSettings.builder().synBacklog(4).build());
    TcpListener l = t.layer.listen(new InetSocketAddress(Scripted.US, 80), 16);
    int answered = 0;
    for (int i = 0; i < 1000; i++) {
      answered += t.in(80, SYN, i * 7919, 0).from(10000 + i).send().size();
    }
    assertThat(answered).isEqualTo(4);
    assertThat(t.layer.stats().droppedSynBacklog()).isEqualTo(996);
    assertThat(t.layer.stats().connections()).isEqualTo(4);
    // Half-open entries die after their SYN-ACK retries.
    t.runMillis(200_000);
    assertThat(t.layer.stats().connections()).isZero();
    assertThat(t.layer.stats().bufferBytes()).isZero();
    assertThat(t.in(80, SYN, 1, 0).from(9999).send()).hasSize(1);
    l.close();
  }

  @Test
  void isnsDifferPerFlowAndGrowWithTime() throws Exception {
    TcpLayer layer =
        new TcpLayer(
            (f, b, o, n) -> true,
            TcpSettings.defaults(),
            new java.util.SplittableRandom(1),
            () -> {});
    IsnGenerator g = new IsnGenerator(new java.util.SplittableRandom(1));
    TcpFlow f1 =
        new TcpFlow(
            new InetSocketAddress(Scripted.US, 1000), new InetSocketAddress(Scripted.PEER, 80));
    TcpFlow f2 =
        new TcpFlow(
            new InetSocketAddress(Scripted.US, 1001), new InetSocketAddress(Scripted.PEER, 80));
    assertThat(g.isn(f1, 0)).isNotEqualTo(g.isn(f2, 0));
    assertThat(g.isn(f1, 4_000_000) - g.isn(f1, 0)).as("4 µs ticks").isEqualTo(1000);
    IsnGenerator other = new IsnGenerator(new java.util.SplittableRandom(2));
    assertThat(other.isn(f1, 0)).as("keyed").isNotEqualTo(g.isn(f1, 0));
    assertThat(layer.stats().connections()).isZero();
  }

  @Test
  void sipHashMatchesTheReferenceVector() {
    // SipHash-2-4 paper, appendix A: key 00..0f, message 00..0e -> a129ca6149be45e5.
    byte[] m = new byte[15];
    for (int i = 0; i < m.length; i++) {
      m[i] = (byte) i;
    }
    long k0 = 0x0706050403020100L;
    long k1 = 0x0f0e0d0c0b0a0908L;
    assertThat(SipHash.hash(k0, k1, m, 0, 15)).isEqualTo(0xa129ca6149be45e5L);
  }

  @Test
  void ipv6MssIsMtuLessSixty() throws Exception {
    java.util.List<Seg> sent = new java.util.ArrayList<>();
    TcpLayer layer =
        new TcpLayer(
            (f, b, o, n) -> {
              assertThat(f.ipv6()).isTrue();
              sent.add(Scripted.decode(b, o, n));
              return true;
            },
            TcpSettings.defaults(),
            new java.util.SplittableRandom(1),
            () -> {});
    layer.connect(
        new InetSocketAddress(InetAddress.getByName("fd00::1"), 0),
        new InetSocketAddress(InetAddress.getByName("fd00::2"), 80));
    layer.poll(0);
    assertThat(sent).hasSize(1);
    assertThat(sent.get(0).mss()).isEqualTo(1360);
    assertThatThrownBy(
            () ->
                layer.connect(
                    new InetSocketAddress(InetAddress.getByName("fd00::1"), 0),
                    new InetSocketAddress(Scripted.PEER, 80)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mixes IPv4 and IPv6");
  }

  @Test
  void aFullAcceptQueueDropsTheFinalAckUntilTheApplicationAccepts() throws Exception {
    Scripted t = new Scripted();
    TcpListener l = t.layer.listen(new InetSocketAddress(Scripted.US, 80), 1);
    Seg a1 = t.in(80, SYN, 1000, 0).from(1001).send().get(0);
    Seg a2 = t.in(80, SYN, 2000, 0).from(1002).send().get(0);
    t.in(80, ACK, 1001, a1.seq() + 1).from(1001).send();
    assertThat(t.in(80, ACK, 2001, a2.seq() + 1).from(1002).send()).as("dropped, no RST").isEmpty();
    assertThat(t.layer.stats().droppedSynBacklog()).isEqualTo(1);
    assertThat(l.accept(1)).isNotNull();
    // The SYN-ACK is resent; the peer's ACK now completes the handshake.
    List<Seg> again = t.runMillis(1000);
    assertThat(again).anyMatch(x -> x.flags() == (SYN | ACK) && x.dstPort() == 1002);
    t.in(80, ACK, 2001, a2.seq() + 1).from(1002).send();
    assertThat(l.accept(1).remoteAddress().getPort()).isEqualTo(1002);
    assertThat(t.layer.stats().resetsSent()).isZero();
  }
}
