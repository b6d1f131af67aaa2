package io.wireguardjava.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.wireguardjava.Endpoint;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A host-name endpoint first resolves to an address where nobody answers; after {@link
 * Limits#RERESOLVE_AFTER_ATTEMPTS} failed attempts it is resolved again, now to the peer, and the
 * handshake completes. Manual clock; the resolver is a stub, no DNS.
 */
class ReresolveTest {
  private final ManualClock clock = new ManualClock();

  @Test
  void hostNameIsResolvedAgainAfterFailedHandshakes() throws Exception {
    try (TestNet net = new TestNet(clock);
        DatagramSocket blackHole = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      TestNet.Node a = net.node(1);
      TestNet.Node b = net.node(2);
      b.engine.addPeer(TestNet.peerOf(a).build());
      InetSocketAddress dead = (InetSocketAddress) blackHole.getLocalSocketAddress();
      AtomicInteger calls = new AtomicInteger();
      a.engine.resolver =
          e -> {
            assertThat(e.host()).isEqualTo("peer-b.example");
            return calls.incrementAndGet() == 1 ? dead : b.udp(); // "the DNS record changed"
          };
      a.engine.addPeer(TestNet.peerOf(b).endpoint(Endpoint.parse("peer-b.example:51820")).build());

      byte[] p = TestPackets.ip(a.v4(), b.v4(), "after re-resolution".getBytes());
      a.engine.packets().send(p, 0, p.length); // staged; the initiation goes to the dead address
      TestNet.eventually("first resolution", () -> calls.get() == 1);
      net.settle();
      assertThat(a.engine.peer(b.key.publicKey()).endpoint).isEqualTo(dead);

      // two retries (at ~5 s and ~10 s) still go to the old address
      net.advance(Duration.ofSeconds(12), Duration.ofSeconds(1));
      assertThat(calls.get()).as("not yet resolved again").isEqualTo(1);
      assertThat(a.engine.peer(b.key.publicKey()).lastHandshake).isNull();

      // the third retry (~15 s) resolves again: the peer is found and the handshake completes
      net.advance(Duration.ofSeconds(6), Duration.ofSeconds(1));
      assertThat(calls.get()).as("resolved again").isEqualTo(2);
      TestNet.eventually("handshake", () -> a.engine.peer(b.key.publicKey()).lastHandshake != null);
      assertThat(a.engine.peer(b.key.publicKey()).endpoint).isEqualTo(b.udp());
      byte[] buf = new byte[2000];
      int n = b.engine.packets().receive(buf, 0, buf.length, Duration.ofSeconds(30));
      assertThat(n).as("the staged packet arrived").isEqualTo(p.length);
    }
  }
}
