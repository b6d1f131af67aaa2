package io.wireguardjava.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.wireguardjava.DropReason;
import io.wireguardjava.crypto.Handshake;
import io.wireguardjava.crypto.RandomSource;
import io.wireguardjava.crypto.StaticIdentity;
import io.wireguardjava.crypto.TimeSource;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Many fake sources flood a tunnel with handshake initiations (valid MAC1, unknown keys, so each
 * would cost a Diffie-Hellman): the tunnel goes under load and answers with cookies, a real new
 * peer still completes its handshake (retrying with MAC2), and established traffic keeps flowing.
 */
class HandshakeFloodTest {
  private final ManualClock clock = new ManualClock();

  private static boolean handshakeDone(TestNet.Node b, TestNet.Node c) {
    return b.engine.peerStats(c.key.publicKey()).orElseThrow().lastHandshake().isPresent();
  }

  @Test
  void floodGetsCookiesWhileRealPeersAndDataGetThrough() throws Exception {
    List<DatagramSocket> sources = new ArrayList<>();
    AtomicBoolean flooding = new AtomicBoolean(true);
    try (TestNet net = new TestNet(clock)) {
      TestNet.Node a = net.node(1);
      TestNet.Node b = net.node(2);
      TestNet.Node c = net.node(3);
      TestNet.link(a, b, null);
      b.engine.addPeer(TestNet.peerOf(c).build());
      TestNet.roundTrip(a, b, a.v4(), b.v4(), "established".getBytes());

      // 64 sources on 127.0.0.2.., each with its own initiation (valid MAC1 for b)
      InetSocketAddress target = b.udp();
      List<byte[]> messages = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        sources.add(new DatagramSocket(0, InetAddress.getByName("127.0.0." + (2 + i))));
        Handshake h =
            Handshake.create(
                StaticIdentity.generate(RandomSource.secure()),
                b.key.publicKey().getBytes(),
                null,
                TimeSource.system(),
                RandomSource.secure());
        byte[] m = new byte[148];
        h.createInitiation(i, m, 0);
        messages.add(m);
      }
      Thread flood =
          new Thread(
              () -> {
                try {
                  while (flooding.get()) {
                    for (int i = 0; i < sources.size(); i++) {
                      byte[] m = messages.get(i);
                      sources.get(i).send(new DatagramPacket(m, m.length, target));
                    }
                    // ~20,000 initiations a second: far beyond what Diffie-Hellman could
                    // answer (~3,000/s), within what cookie replies can
                    java.util.concurrent.locks.LockSupport.parkNanos(3_000_000);
                  }
                } catch (Exception e) {
                  // sockets closed
                }
              });
      flood.start();
      TestNet.eventually(
          "under load: cookies sent",
          () -> b.engine.stats().dropped(DropReason.COOKIE_SENT) > 1000);

      // established traffic flows during the flood
      for (int i = 0; i < 20; i++) {
        TestNet.roundTrip(a, b, a.v4(), b.v4(), ("during " + i).getBytes());
        TestNet.roundTrip(b, a, b.v4(), a.v4(), ("during " + i).getBytes());
      }

      // a new real peer: its first initiation gets a cookie, its retry carries MAC2
      c.engine.addPeer(TestNet.peerOf(b).build());
      byte[] p = TestPackets.ip(c.v4(), b.v4(), "new peer".getBytes());
      c.engine.packets().send(p, 0, p.length);
      PeerState cb = c.engine.peer(b.key.publicKey());
      // A retry can still meet a full queue on a loaded machine; each REKEY_TIMEOUT brings
      // another (with MAC2), as it would in real time.
      for (int retry = 0; retry < 10 && !handshakeDone(b, c); retry++) {
        TestNet.eventually("c got a cookie reply", () -> c.engine.handshakes.hasCookie(cb));
        clock.advance(Duration.ofMillis(5500)); // REKEY_TIMEOUT: c retries, now with MAC2
        c.engine.handshakeThread.awaitIdle();
        long until = System.nanoTime() + 3_000_000_000L;
        while (!handshakeDone(b, c) && System.nanoTime() < until) {
          Thread.sleep(5);
        }
      }
      byte[] buf = new byte[2000];
      int n = b.engine.packets().receive(buf, 0, buf.length, Duration.ofSeconds(10));
      assertThat(n).as("c's packet arrived at b during the flood").isEqualTo(p.length);
      assertThat(b.engine.peerStats(c.key.publicKey()).orElseThrow().lastHandshake()).isPresent();
      assertThat(b.engine.stats().dropped(DropReason.COOKIE_SENT)).isGreaterThan(1000);

    } finally {
      flooding.set(false);
      for (DatagramSocket s : sources) {
        s.close();
      }
    }
  }
}
