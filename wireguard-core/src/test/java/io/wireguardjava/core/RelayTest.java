package io.wireguardjava.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.wireguardjava.InetNetwork;
import io.wireguardjava.Peer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A and C, each peered only with B, reach each other through B (a bounce server). */
class RelayTest {

  /** A and C know B (with both tunnel addresses behind it); B knows them without endpoints. */
  private static void wire(TestNet.Node a, TestNet.Node b, TestNet.Node c) {
    for (TestNet.Node edge : new TestNet.Node[] {a, c}) {
      b.engine.addPeer(
          Peer.builder()
              .publicKey(edge.key.publicKey())
              .addAllowedIp(InetNetwork.parse(edge.v4() + "/32"))
              .addAllowedIp(InetNetwork.parse(edge.v6() + "/128"))
              .build());
    }
    for (TestNet.Node edge : new TestNet.Node[] {a, c}) {
      TestNet.Node other = edge == a ? c : a;
      edge.engine.addPeer(
          TestNet.peerOf(b, other.v4() + "/32", other.v6() + "/128")
              .persistentKeepalive(25) // NATed: tell B where we are
              .build());
    }
  }

  @Test
  void relayForwardsBetweenPeersWhenForwardingIsOn() throws Exception {
    try (TestNet net = new TestNet()) {
      net.forwarding = true;
      TestNet.Node a = net.node(1);
      TestNet.Node b = net.node(2);
      TestNet.Node c = net.node(3);
      wire(a, b, c);
      // B learns both endpoints from the persistent keepalives' handshakes
      TestNet.eventually("B knows A", () -> endpointKnown(b, a));
      TestNet.eventually("B knows C", () -> endpointKnown(b, c));
      for (int i = 0; i < 20; i++) {
        TestNet.roundTrip(a, c, a.v4(), c.v4(), ("a->c " + i).getBytes());
        TestNet.roundTrip(c, a, c.v6(), a.v6(), ("c->a " + i).getBytes());
      }
      byte[] buf = new byte[2000];
      assertThat(b.engine.packets().receive(buf, 0, buf.length, Duration.ZERO))
          .as("B's own device saw nothing")
          .isZero();
      // packets for B itself are still delivered to B
      TestNet.roundTrip(a, b, a.v4(), b.v4(), "for b".getBytes());
    }
  }

  @Test
  void withoutForwardingTheRelayKeepsPacketsForItself() throws Exception {
    try (TestNet net = new TestNet()) {
      TestNet.Node a = net.node(1);
      TestNet.Node b = net.node(2);
      TestNet.Node c = net.node(3);
      wire(a, b, c);
      TestNet.eventually("B knows C", () -> endpointKnown(b, c));
      // off by default: B's application receives the packet addressed to C, C gets nothing
      TestNet.roundTrip(a, b, a.v4(), c.v4(), "not forwarded".getBytes());
      byte[] buf = new byte[2000];
      assertThat(c.engine.packets().receive(buf, 0, buf.length, Duration.ofMillis(200))).isZero();
    }
  }

  private static boolean endpointKnown(TestNet.Node at, TestNet.Node peer) {
    return at.engine.peerStats(peer.key.publicKey()).orElseThrow().endpoint().isPresent();
  }
}
