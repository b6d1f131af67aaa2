package io.wireguardjava.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.wireguardjava.DropReason;
import io.wireguardjava.Endpoint;
import io.wireguardjava.InetNetwork;
import io.wireguardjava.Peer;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A network that loses, duplicates and reorders datagrams between two tunnels. */
class LossyNetworkTest {
  private final ManualClock clock = new ManualClock();

  @Test
  void handshakeSurvivesLossAndDataArrivesOnceEach() throws Exception {
    try (TestNet net = new TestNet(clock)) {
      TestNet.Node a = net.node(1);
      TestNet.Node b = net.node(2);
      try (UdpShim shim = new UdpShim(a.udp(), b.udp())) {
        a.engine.addPeer(peer(b, shim.sideA()));
        b.engine.addPeer(peer(a, shim.sideB()));
        // the first initiation and the first response are lost
        shim.dropNext[1].set(1);
        shim.dropNext[2].set(1);
        byte[] p = TestPackets.ip(a.v4(), b.v4(), "first".getBytes());
        a.engine.packets().send(p, 0, p.length);
        net.advance(Duration.ofSeconds(12), Duration.ofMillis(500)); // two retransmissions
        byte[] buf = new byte[2000];
        int n = b.engine.packets().receive(buf, 0, buf.length, Duration.ofSeconds(30));
        assertThat(n).as("staged packet delivered after the handshake").isEqualTo(p.length);
        assertThat(shim.dropped.get()).isEqualTo(2);

        shim.lossRate = 0.1;
        shim.duplicateRate = 0.1;
        shim.reorderRate = 0.1;
        int total = 1000;
        int base = shim.dataFromA.get();
        Set<Integer> got = new HashSet<>();
        for (int i = 0; i < total; i++) {
          byte[] payload = ByteBuffer.allocate(64).putInt(i).array();
          byte[] q = TestPackets.ip(a.v4(), b.v4(), payload);
          a.engine.packets().send(q, 0, q.length);
          if (i % 32 == 31) {
            // flow control: the shim has had every packet so far (loss is its decision alone)
            int sent = i + 1;
            TestNet.eventually("shim got the batch", () -> shim.dataFromA.get() >= base + sent);
            drain(b, got);
          }
        }
        // the packet held back last may still be waiting in the shim
        long deadline = System.nanoTime() + 30_000_000_000L;
        do {
          drain(b, got);
        } while (got.size() < total - (shim.dropped.get() - 2) - 1 && System.nanoTime() < deadline);
        int lost = shim.dropped.get() - 2;
        assertThat(got.size()).isBetween(total - lost - 1, total - lost);
        assertThat(shim.duplicated.get()).isPositive();
        assertThat(shim.reordered.get()).isPositive();
        TestNet.eventually(
            "every duplicate rejected",
            () -> b.engine.stats().dropped(DropReason.REPLAYED) == shim.duplicated.get());
        long replayed = b.engine.stats().dropped(DropReason.REPLAYED);
        // a datagram replayed later is rejected too
        shim.injectToB(shim.lastData);
        TestNet.eventually(
            "replay rejected", () -> b.engine.stats().dropped(DropReason.REPLAYED) == replayed + 1);
      }
    }
  }

  private static void drain(TestNet.Node b, Set<Integer> got) throws Exception {
    byte[] buf = new byte[2000];
    int n;
    while ((n = b.engine.packets().receive(buf, 0, buf.length, Duration.ofMillis(20))) > 0) {
      int seq = ByteBuffer.wrap(TestPackets.payload(buf, n)).getInt();
      assertThat(got.add(seq)).as("packet %d delivered once", seq).isTrue();
    }
  }

  private static Peer peer(TestNet.Node to, java.net.InetSocketAddress via) {
    return Peer.builder()
        .publicKey(to.key.publicKey())
        .addAllowedIp(InetNetwork.parse(to.v4() + "/32"))
        .endpoint(Endpoint.of(via))
        .build();
  }
}
