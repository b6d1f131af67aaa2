package io.wireguardjava.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.wireguardjava.DropReason;
import io.wireguardjava.Peer;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A packet for a peer that has no endpoint, configured or learned, is dropped, counted NO_ENDPOINT
 * and answered with ICMP host unreachable (the kernel's -EDESTADDRREQ path), instead of waiting
 * silently for a handshake that cannot be sent.
 */
class NoEndpointTest {

  @Test
  void packetForAPeerWithoutEndpointIsCountedAndAnswered() throws Exception {
    try (TestNet net = new TestNet()) {
      TestNet.Node a = net.node(1);
      TestNet.Node b = net.node(2);
      Peer noEndpoint =
          Peer.builder()
              .publicKey(b.key.publicKey())
              .addAllowedIp(io.wireguardjava.InetNetwork.parse(b.v4() + "/32"))
              .build();
      a.engine.addPeer(noEndpoint);

      byte[] p = TestPackets.ip(a.v4(), b.v4(), "anyone there?".getBytes());
      a.engine.packets().send(p, 0, p.length);
      byte[] buf = new byte[2000];
      int n = a.engine.packets().receive(buf, 0, buf.length, Duration.ofSeconds(30));
      assertThat(n).isEqualTo(28 + p.length);
      assertThat(buf[20]).as("destination unreachable").isEqualTo((byte) 3);
      assertThat(buf[21]).as("host unreachable").isEqualTo((byte) 1);
      assertThat(Arrays.copyOfRange(buf, 28, n)).isEqualTo(p);
      assertThat(a.engine.stats().dropped(DropReason.NO_ENDPOINT)).isEqualTo(1);
      assertThat(a.engine.pool.inUse()).as("nothing staged").isZero();

      // once the peer has an endpoint, the same packet goes through
      b.engine.addPeer(TestNet.peerOf(a).build());
      a.engine.updatePeer(TestNet.peerOf(b).build());
      TestNet.roundTrip(a, b, a.v4(), b.v4(), "now".getBytes());
    }
  }
}
