package io.wireguardjava.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wireguardjava.Config;
import io.wireguardjava.DropReason;
import io.wireguardjava.Endpoint;
import io.wireguardjava.InetNetwork;
import io.wireguardjava.Peer;
import io.wireguardjava.PresharedKey;
import io.wireguardjava.PrivateKey;
import io.wireguardjava.crypto.Keypair;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Live reconfiguration with {@code wg set} semantics, while traffic flows. */
class ReconfigurationTest {

  @Test
  void changingOnePeerKeepsTheOthersSessions() throws Exception {
    try (TestNet net = new TestNet()) {
      TestNet.Node a = net.node(1);
      TestNet.Node b = net.node(2);
      TestNet.Node c = net.node(3);
      TestNet.link(a, b, null);
      TestNet.link(a, c, null);
      TestNet.roundTrip(a, b, a.v4(), b.v4(), "b".getBytes());
      TestNet.roundTrip(a, c, a.v4(), c.v4(), "c".getBytes());
      Keypair withB = a.engine.peer(b.key.publicKey()).keypairs.current();
      Keypair withC = a.engine.peer(c.key.publicKey()).keypairs.current();

      // update c: another allowed IP; its session stays, and b's is untouched
      a.engine.updatePeer(TestNet.peerOf(c, "192.168.7.0/24").build());
      assertThat(a.engine.peer(c.key.publicKey()).keypairs.current()).isSameAs(withC);
      assertThat(a.engine.peer(b.key.publicKey()).keypairs.current()).isSameAs(withB);
      TestNet.roundTrip(a, c, a.v4(), "192.168.7.9", "routed".getBytes());
      assertThat(a.engine.config().peer(c.key.publicKey()).orElseThrow().allowedIps())
          .contains(InetNetwork.parse("192.168.7.0/24"));

      // remove c: its traffic has no route any more; b still works
      assertThat(a.engine.removePeer(c.key.publicKey())).isTrue();
      assertThat(withC.isExpired()).as("removed peer's keys zeroed").isTrue();
      byte[] p = TestPackets.ip(a.v4(), c.v4(), "gone".getBytes());
      a.engine.packets().send(p, 0, p.length);
      TestNet.eventually("no route", () -> a.engine.stats().dropped(DropReason.NO_ROUTE) == 1);
      TestNet.roundTrip(a, b, a.v4(), b.v4(), "still".getBytes());
      assertThat(a.engine.peer(b.key.publicKey()).keypairs.current()).isSameAs(withB);

      // replace the list: b kept (session too), c back
      a.engine.replacePeers(List.of(TestNet.peerOf(b).build(), TestNet.peerOf(c).build()));
      assertThat(a.engine.peer(b.key.publicKey()).keypairs.current()).isSameAs(withB);
      TestNet.roundTrip(a, c, a.v4(), c.v4(), "back".getBytes());
      assertThat(a.engine.config().peers())
          .extracting(Peer::publicKey)
          .containsExactly(b.key.publicKey(), c.key.publicKey());
      assertThatThrownBy(() -> a.engine.addPeer(TestNet.peerOf(b).build()))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void newPrivateKeyDropsSessionsAndPeersFollowAfterTheyLearnIt() throws Exception {
    try (TestNet net = new TestNet()) {
      TestNet.Node a = net.node(1);
      TestNet.Node b = net.node(2);
      TestNet.link(a, b, null);
      TestNet.roundTrip(a, b, a.v4(), b.v4(), "x".getBytes());
      Keypair old = a.engine.peer(b.key.publicKey()).keypairs.current();
      PrivateKey fresh = PrivateKey.generate();
      a.engine.setPrivateKey(fresh);
      assertThat(old.isExpired()).isTrue();
      assertThat(a.engine.config().iface().privateKey()).contains(fresh);
      // b learns a's new public key
      b.engine.removePeer(a.key.publicKey());
      b.engine.addPeer(
          Peer.builder()
              .publicKey(fresh.publicKey())
              .addAllowedIp(InetNetwork.parse(a.v4() + "/32"))
              .endpoint(Endpoint.of(a.udp()))
              .build());
      TestNet.roundTrip(a, b, a.v4(), b.v4(), "new key".getBytes());
    }
  }

  @Test
  void clearedPrivateKeyStopsHandshakesUntilAKeyIsSetAgain() throws Exception {
    ManualClock clock = new ManualClock();
    try (TestNet net = new TestNet(clock)) {
      TestNet.Node a = net.node(1);
      TestNet.Node b = net.node(2);
      TestNet.link(a, b, null);
      TestNet.roundTrip(a, b, a.v4(), b.v4(), "x".getBytes());
      net.settle();
      Keypair old = a.engine.peer(b.key.publicKey()).keypairs.current();
      a.engine.clearPrivateKey();
      assertThat(old.isExpired()).as("session keys zeroed").isTrue();
      assertThat(a.engine.peer(b.key.publicKey()).keypairs.current()).isNull();
      assertThat(a.engine.config().iface().privateKey()).isEmpty();
      assertThat(a.engine.config().peers()).hasSize(1);

      // a initiates nothing: its packet waits
      long txA = txBytes(a, b);
      byte[] held = TestPackets.ip(a.v4(), b.v4(), "held".getBytes());
      a.engine.packets().send(held, 0, held.length);
      net.settle();
      assertThat(txBytes(a, b)).as("no initiation without a key").isEqualTo(txA);
      // and answers nothing: b starts over, its initiation is dropped
      b.engine.peer(a.key.publicKey()).expireSessions();
      byte[] fromB = TestPackets.ip(b.v4(), a.v4(), "from b".getBytes());
      b.engine.packets().send(fromB, 0, fromB.length);
      net.settle();
      TestNet.eventually(
          "initiation dropped", () -> a.engine.stats().dropped(DropReason.HANDSHAKE_INVALID) >= 1);
      net.advance(Duration.ofSeconds(12), Duration.ofSeconds(1)); // b retries; a stays silent
      assertThat(txBytes(a, b)).as("no response without a key").isEqualTo(txA);
      assertThat(b.engine.peer(a.key.publicKey()).keypairs.current()).isNull();

      // the key back: a's waiting packet and new ones flow, and b's reaches a
      a.engine.setPrivateKey(a.key);
      assertThat(a.engine.config().iface().privateKey()).contains(a.key);
      byte[] again = TestPackets.ip(a.v4(), b.v4(), "again".getBytes());
      a.engine.packets().send(again, 0, again.length);
      byte[] buf = new byte[2000];
      int n = b.engine.packets().receive(buf, 0, buf.length, Duration.ofSeconds(30));
      assertThat(java.util.Arrays.copyOf(buf, n)).isEqualTo(held);
      n = b.engine.packets().receive(buf, 0, buf.length, Duration.ofSeconds(30));
      assertThat(java.util.Arrays.copyOf(buf, n)).isEqualTo(again);
      n = a.engine.packets().receive(buf, 0, buf.length, Duration.ofSeconds(30));
      assertThat(java.util.Arrays.copyOf(buf, n)).isEqualTo(fromB);
      TestNet.roundTrip(b, a, b.v4(), a.v4(), "both ways".getBytes());
    }
  }

  private static long txBytes(TestNet.Node at, TestNet.Node to) {
    return at.engine.peerStats(to.key.publicKey()).orElseThrow().txBytes();
  }

  @Test
  void presharedKeyChangeAndHostNameEndpointResolvedWhenUsed() throws Exception {
    ManualClock clock = new ManualClock();
    try (TestNet net = new TestNet(clock)) {
      TestNet.Node a = net.node(1);
      TestNet.Node b = net.node(2);
      PresharedKey psk = PresharedKey.generate();
      // a reaches b by host name; resolved at the first handshake
      a.engine.addPeer(
          TestNet.peerOf(b)
              .endpoint(Endpoint.of("localhost", b.engine.listenPort()))
              .presharedKey(psk)
              .build());
      b.engine.addPeer(TestNet.peerOf(a).presharedKey(psk).build());
      assertThat(a.engine.peerStats(b.key.publicKey()).orElseThrow().endpoint()).isEmpty();
      TestNet.roundTrip(a, b, a.v4(), b.v4(), "by name".getBytes());
      assertThat(a.engine.peerStats(b.key.publicKey()).orElseThrow().endpoint()).isPresent();
      // both sides change the preshared key: the next handshake uses it
      PresharedKey psk2 = PresharedKey.generate();
      a.engine.updatePeer(TestNet.peerOf(b).presharedKey(psk2).build());
      b.engine.updatePeer(TestNet.peerOf(a).presharedKey(psk2).build());
      a.engine.peer(b.key.publicKey()).expireSessions();
      b.engine.peer(a.key.publicKey()).expireSessions();
      // an initiation's timestamp must grow (at 2^24 ns granularity) to be accepted
      clock.advance(Duration.ofSeconds(1));
      TestNet.roundTrip(a, b, a.v4(), b.v4(), "new psk".getBytes());
      Config snapshot = a.engine.config();
      assertThat(snapshot.peer(b.key.publicKey()).orElseThrow().presharedKey()).contains(psk2);
    }
  }

  @Test
  void listenPortIsLive() throws Exception {
    try (TestNet net = new TestNet()) {
      TestNet.Node a = net.node(1);
      int old = a.engine.listenPort();
      a.engine.setListenPort(0);
      assertThat(a.engine.listenPort()).isNotEqualTo(old).isPositive();
      // a FwMark is refused until the socket can be marked: FwMarkTest
      assertThat(a.engine.packets().receive(new byte[2000], 0, 2000, Duration.ZERO)).isZero();
    }
  }
}
