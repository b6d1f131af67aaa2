package io.wireguardjava.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.wireguardjava.Key;
import io.wireguardjava.TunnelListener;
import java.net.InetSocketAddress;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A peer's endpoint follows the source of its latest authenticated packet. */
class RoamingTest {

  @Test
  void sideThatMovesToANewPortIsFollowedAndTrafficContinues() throws Exception {
    try (TestNet net = new TestNet()) {
      TestNet.Node a = net.node(1);
      TestNet.Node b = net.node(2);
      TestNet.link(a, b, null);
      CopyOnWriteArrayList<InetSocketAddress> seenByA = new CopyOnWriteArrayList<>();
      a.engine.addListener(
          new TunnelListener() {
            @Override
            public void onEndpointChanged(Key peer, InetSocketAddress endpoint) {
              seenByA.add(endpoint);
            }
          });
      for (int i = 0; i < 5; i++) {
        TestNet.roundTrip(a, b, a.v4(), b.v4(), ("before " + i).getBytes());
        TestNet.roundTrip(b, a, b.v4(), a.v4(), ("before " + i).getBytes());
      }
      int oldPort = b.engine.listenPort();
      b.engine.setListenPort(0); // b "moves": a new port chosen by the OS
      int newPort = b.engine.listenPort();
      assertThat(newPort).isNotEqualTo(oldPort);
      // b speaks first from its new address; a follows it
      TestNet.roundTrip(b, a, b.v4(), a.v4(), "from the new port".getBytes());
      assertThat(
              a.engine
                  .peerStats(b.key.publicKey())
                  .orElseThrow()
                  .endpoint()
                  .orElseThrow()
                  .getPort())
          .isEqualTo(newPort);
      assertThat(seenByA).extracting(InetSocketAddress::getPort).contains(newPort);
      for (int i = 0; i < 5; i++) {
        TestNet.roundTrip(a, b, a.v4(), b.v4(), ("after " + i).getBytes());
        TestNet.roundTrip(b, a, b.v6(), a.v6(), ("after " + i).getBytes());
      }
      assertThat(b.engine.config().iface().listenPort()).contains(newPort);
    }
  }
}
