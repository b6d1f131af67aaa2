package io.wireguardjava.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.wireguardjava.DropReason;
import io.wireguardjava.Endpoint;
import io.wireguardjava.Key;
import io.wireguardjava.TunnelListener;
import io.wireguardjava.crypto.Keypair;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The protocol's timers end to end: two real tunnels over loopback whose clocks are one manual
 * clock, moved by the test. Nothing sleeps for protocol time.
 */
class EngineTimersTest {
  private final ManualClock clock = new ManualClock();

  private static long rx(TestNet.Node at, TestNet.Node from) {
    return at.engine.peerStats(from.key.publicKey()).orElseThrow().rxBytes();
  }

  private static long tx(TestNet.Node at, TestNet.Node to) {
    return at.engine.peerStats(to.key.publicKey()).orElseThrow().txBytes();
  }

  private static Keypair current(TestNet.Node at, TestNet.Node peer) {
    return at.engine.peer(peer.key.publicKey()).keypairs.current();
  }

  private static AtomicInteger countHandshakes(TestNet.Node n) {
    AtomicInteger c = new AtomicInteger();
    n.engine.addListener(
        new TunnelListener() {
          @Override
          public void onHandshakeCompleted(Key peer, Duration took) {
            c.incrementAndGet();
          }
        });
    return c;
  }

  @Test
  void idleTunnelsStaySilentAndTheInitiatorRekeysAfter120Seconds() throws Exception {
    try (TestNet net = new TestNet(clock)) {
      TestNet.Node a = net.node(1);
      TestNet.Node b = net.node(2);
      TestNet.link(a, b, null);
      AtomicInteger handshakes = countHandshakes(a);
      TestNet.roundTrip(a, b, a.v4(), b.v4(), "x".getBytes());
      net.settle();
      Keypair first = current(a, b);
      assertThat(handshakes.get()).isEqualTo(1);
      // b got data and sent nothing: one passive keepalive after 10 s, then silence
      net.advance(Duration.ofSeconds(11), Duration.ofSeconds(1));
      long rxA = rx(a, b);
      long txA = tx(a, b);
      net.advance(Duration.ofSeconds(100), Duration.ofSeconds(5));
      assertThat(rx(a, b)).as("silence when idle").isEqualTo(rxA);
      assertThat(tx(a, b)).as("silence when idle").isEqualTo(txA);
      // at 121 s, sending with the old session asks for a new handshake
      net.advance(Duration.ofSeconds(10), Duration.ofSeconds(5));
      TestNet.roundTrip(a, b, a.v4(), b.v4(), "y".getBytes());
      net.settle();
      TestNet.eventually("rekeyed", () -> handshakes.get() == 2);
      assertThat(current(a, b)).isNotSameAs(first);
      TestNet.roundTrip(a, b, a.v4(), b.v4(), "z".getBytes());
    }
  }

  @Test
  void sessionsAreRejectedAfter180SecondsAndANewHandshakeCarriesTheData() throws Exception {
    try (TestNet net = new TestNet(clock)) {
      TestNet.Node a = net.node(1);
      TestNet.Node b = net.node(2);
      TestNet.link(a, b, null);
      TestNet.roundTrip(a, b, a.v4(), b.v4(), "x".getBytes());
      TestNet.roundTrip(b, a, b.v4(), a.v4(), "x".getBytes());
      net.settle();
      Keypair ab = current(a, b);
      Keypair ba = current(b, a);
      net.advance(Duration.ofSeconds(181), Duration.ofSeconds(10));
      assertThat(ab.isExpired()).isTrue();
      assertThat(ba.isExpired()).isTrue();
      // b (the responder, which never rekeys on its own) sends: the stale session is not
      // used; a new handshake is made and the packet arrives
      TestNet.roundTrip(b, a, b.v4(), a.v4(), "after".getBytes());
      assertThat(current(b, a)).isNotSameAs(ba);
    }
  }

  @Test
  void persistentKeepaliveEveryInterval() throws Exception {
    try (TestNet net = new TestNet(clock)) {
      TestNet.Node a = net.node(1);
      TestNet.Node b = net.node(2);
      a.engine.addPeer(TestNet.peerOf(b).build());
      b.engine.addPeer(TestNet.peerOf(a).persistentKeepalive(25).build());
      // b sends a keepalive at once (it needs a handshake first), then one every 25 s
      net.settle();
      TestNet.eventually("first keepalive", () -> rx(a, b) >= 148 + 32);
      net.settle();
      long base = rx(a, b);
      net.advance(Duration.ofSeconds(24), Duration.ofSeconds(2));
      assertThat(rx(a, b)).isEqualTo(base);
      net.advance(Duration.ofSeconds(2), Duration.ofSeconds(1));
      TestNet.eventually("keepalive at 25 s", () -> rx(a, b) == base + 32);
      net.advance(Duration.ofSeconds(25), Duration.ofSeconds(1));
      TestNet.eventually("keepalive at 50 s", () -> rx(a, b) == base + 64);
    }
  }

  @Test
  void switchingPersistentKeepaliveOnOrChangingItSendsOneAtOnce() throws Exception {
    try (TestNet net = new TestNet(clock)) {
      TestNet.Node a = net.node(1);
      TestNet.Node b = net.node(2);
      TestNet.link(a, b, null);
      net.settle();
      assertThat(rx(a, b)).as("no session, no traffic yet").isZero();
      // on, without a session: the keepalive starts a handshake at once, no clock movement
      b.engine.updatePeer(TestNet.peerOf(a).persistentKeepalive(25).build());
      TestNet.eventually("handshake and keepalive", () -> rx(a, b) == 148 + 32);
      net.settle();
      long base = rx(a, b);
      // another interval, with a session: one keepalive at once, then every 10 s
      b.engine.updatePeer(TestNet.peerOf(a).persistentKeepalive(10).build());
      TestNet.eventually("keepalive at once", () -> rx(a, b) == base + 32);
      net.advance(Duration.ofSeconds(9), Duration.ofSeconds(1));
      assertThat(rx(a, b)).isEqualTo(base + 32);
      net.advance(Duration.ofSeconds(2), Duration.ofSeconds(1));
      TestNet.eventually("keepalive at 10 s", () -> rx(a, b) == base + 64);
      // the same interval again: nothing extra
      b.engine.updatePeer(TestNet.peerOf(a).persistentKeepalive(10).build());
      net.settle();
      assertThat(rx(a, b)).isEqualTo(base + 64);
      // off, then on again from a session: at once
      b.engine.updatePeer(TestNet.peerOf(a).build());
      net.advance(Duration.ofSeconds(30), Duration.ofSeconds(5));
      long off = rx(a, b);
      assertThat(off).as("off: silence").isEqualTo(base + 64);
      b.engine.updatePeer(TestNet.peerOf(a).persistentKeepalive(25).build());
      TestNet.eventually("keepalive when switched on", () -> rx(a, b) == off + 32);
    }
  }

  @Test
  void newHandshakeWhenSentDataGetsNoAnswer() throws Exception {
    try (TestNet net = new TestNet(clock)) {
      TestNet.Node a = net.node(1);
      TestNet.Node b = net.node(2);
      TestNet.link(a, b, null);
      AtomicInteger handshakes = countHandshakes(a);
      TestNet.roundTrip(a, b, a.v4(), b.v4(), "x".getBytes());
      net.settle();
      // b goes deaf: its peer entry for a disappears, so nothing comes back
      b.engine.removePeer(a.key.publicKey());
      byte[] p = TestPackets.ip(a.v4(), b.v4(), "unanswered".getBytes());
      a.engine.packets().send(p, 0, p.length);
      net.settle();
      long tx = tx(a, b);
      net.advance(Duration.ofSeconds(14), Duration.ofSeconds(1));
      assertThat(tx(a, b)).as("nothing before 15 s").isEqualTo(tx);
      net.advance(Duration.ofSeconds(2), Duration.ofMillis(200));
      assertThat(tx(a, b)).as("an initiation at 15 s + jitter").isEqualTo(tx + 148);
      assertThat(handshakes.get()).isEqualTo(1);
    }
  }

  @Test
  void handshakeRetriesEveryFiveSecondsGivesUpAfter90AndZeroesKeys() throws Exception {
    try (TestNet net = new TestNet(clock);
        DatagramSocket blackHole = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      TestNet.Node a = net.node(1);
      TestNet.Node b = new TestNet.Node(2); // never started: a's packets go into a black hole
      AtomicInteger stale = new AtomicInteger();
      a.engine.addListener(
          new TunnelListener() {
            @Override
            public void onPeerStale(Key peer) {
              stale.incrementAndGet();
            }
          });
      a.engine.addPeer(
          io.wireguardjava.Peer.builder()
              .publicKey(b.key.publicKey())
              .addAllowedIp(io.wireguardjava.InetNetwork.parse("10.0.0.2/32"))
              .endpoint(Endpoint.of((InetSocketAddress) blackHole.getLocalSocketAddress()))
              .build());
      byte[] p = TestPackets.ip(a.v4(), "10.0.0.2", "hello?".getBytes());
      a.engine.packets().send(p, 0, p.length);
      net.settle();
      assertThat(tx(a, b)).isEqualTo(148);
      net.advance(Duration.ofSeconds(89), Duration.ofMillis(500));
      long attempts = tx(a, b) / 148;
      assertThat(attempts).as("one every REKEY_TIMEOUT + jitter").isBetween(17L, 18L);
      assertThat(stale.get()).isZero();
      net.advance(Duration.ofSeconds(30), Duration.ofMillis(500));
      assertThat(tx(a, b) / 148).as("20 initiations, then it gives up").isEqualTo(20);
      assertThat(stale.get()).isEqualTo(1);
      assertThat(a.engine.stats().dropped(DropReason.HANDSHAKE_GAVE_UP)).isEqualTo(1);
      long before = tx(a, b);
      net.advance(Duration.ofMinutes(10), Duration.ofSeconds(5));
      assertThat(tx(a, b)).as("silence after giving up").isEqualTo(before);
    }
  }

  @Test
  void keysAreZeroedAfterThreeTimesRejectAfterTime() throws Exception {
    try (TestNet net = new TestNet(clock)) {
      TestNet.Node a = net.node(1);
      TestNet.Node b = net.node(2);
      TestNet.link(a, b, null);
      TestNet.roundTrip(a, b, a.v4(), b.v4(), "x".getBytes());
      net.settle();
      Keypair k = current(a, b);
      net.advance(Duration.ofSeconds(530), Duration.ofSeconds(10));
      assertThat(current(a, b)).isSameAs(k);
      net.advance(Duration.ofSeconds(20), Duration.ofSeconds(2));
      assertThat(current(a, b)).isNull();
      assertThat(current(b, a)).isNull();
      assertThat(k.isExpired()).isTrue();
    }
  }
}
