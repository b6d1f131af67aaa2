package io.wireguardjava.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.wireguardjava.Config;
import io.wireguardjava.DropReason;
import io.wireguardjava.Endpoint;
import io.wireguardjava.InetNetwork;
import io.wireguardjava.Interface;
import io.wireguardjava.Peer;
import io.wireguardjava.PresharedKey;
import io.wireguardjava.PrivateKey;
import io.wireguardjava.Tunnel;
import io.wireguardjava.TunnelOptions;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Two tunnels in one JVM over loopback UDP, in-process devices. */
class TwoTunnelsTest {

  @ParameterizedTest(name = "psk={0}")
  @ValueSource(booleans = {false, true})
  void exchangeBothWaysIpv4AndIpv6(boolean psk) throws Exception {
    try (TestNet net = new TestNet()) {
      TestNet.Node a = net.node(1);
      TestNet.Node b = net.node(2);
      TestNet.link(a, b, psk ? PresharedKey.generate() : null);
      TestNet.roundTrip(a, b, a.v4(), b.v4(), "ping".getBytes());
      TestNet.roundTrip(b, a, b.v4(), a.v4(), "pong".getBytes());
      TestNet.roundTrip(a, b, a.v6(), b.v6(), "ping6".getBytes());
      TestNet.roundTrip(b, a, b.v6(), a.v6(), "pong6".getBytes());
      assertThat(a.engine.peerStats(b.key.publicKey()).orElseThrow().lastHandshake()).isPresent();
      assertThat(b.engine.peerStats(a.key.publicKey()).orElseThrow().rxBytes()).isPositive();
      assertThat(a.engine.stats().droppedTotal()).isZero();
      assertThat(b.engine.stats().droppedTotal()).isZero();
    }
  }

  @ParameterizedTest(name = "ipv6={0}")
  @ValueSource(booleans = {false, true})
  void tenThousandPacketsArriveInOrderAndIntact(boolean ipv6) throws Exception {
    try (TestNet net = new TestNet()) {
      TestNet.Node a = net.node(1);
      TestNet.Node b = net.node(2);
      TestNet.link(a, b, null);
      String src = ipv6 ? a.v6() : a.v4();
      String dst = ipv6 ? b.v6() : b.v4();
      int total = 10_000;
      int inFlight = 128; // UDP has no flow control: keep the socket buffers from overflowing
      MessageDigest sent = MessageDigest.getInstance("SHA-256");
      MessageDigest got = MessageDigest.getInstance("SHA-256");
      AtomicReference<Throwable> failure = new AtomicReference<>();
      AtomicInteger received = new AtomicInteger();
      Thread reader =
          new Thread(
              () -> {
                byte[] buf = new byte[2000];
                try {
                  for (int i = 0; i < total; i++) {
                    int n = b.engine.packets().receive(buf, 0, buf.length, Duration.ofSeconds(10));
                    assertThat(n).as("packet %d", i).isPositive();
                    byte[] payload = TestPackets.payload(buf, n);
                    assertThat(ByteBuffer.wrap(payload).getInt()).as("order").isEqualTo(i);
                    got.update(payload);
                    received.incrementAndGet();
                  }
                } catch (Throwable t) {
                  failure.set(t);
                }
              });
      reader.start();
      Random rnd = new Random(1);
      for (int i = 0; i < total; i++) {
        byte[] payload = new byte[4 + rnd.nextInt(1200)];
        rnd.nextBytes(payload);
        ByteBuffer.wrap(payload).putInt(i);
        sent.update(payload);
        byte[] p = TestPackets.ip(src, dst, payload);
        while (i - received.get() >= inFlight && failure.get() == null && reader.isAlive()) {
          Thread.onSpinWait();
        }
        a.engine.packets().send(p, 0, p.length);
      }
      reader.join(20_000);
      assertThat(failure.get()).isNull();
      assertThat(reader.isAlive()).isFalse();
      assertThat(got.digest()).isEqualTo(sent.digest());
      assertThat(b.engine.stats().dropped(DropReason.DECRYPTION_FAILED)).isZero();
    }
  }

  @Test
  void dualStackSocketTalksIpv4AndIpv6Outside() throws Exception {
    InetAddress v6 = InetAddress.getByName("::1");
    Assumptions.assumeTrue(NetworkInterface.getByInetAddress(v6) != null, "no IPv6 loopback here");
    PrivateKey ka = PrivateKey.generate();
    PrivateKey kb = PrivateKey.generate();
    TunnelOptions dual = TunnelOptions.inProcessDevice();
    try (Tunnel a = Tunnel.open(config(ka), dual);
        Tunnel b = Tunnel.open(config(kb), dual)) {
      // a reaches b over IPv6, b reaches a over IPv4: one socket each, both families
      a.addPeer(peer(kb, "10.0.0.2/32", "[::1]:" + b.listenPort()));
      b.addPeer(peer(ka, "10.0.0.1/32", "127.0.0.1:" + a.listenPort()));
      byte[] buf = new byte[2000];
      byte[] p = TestPackets.ip("10.0.0.1", "10.0.0.2", "over v6".getBytes());
      a.packets().send(p, 0, p.length);
      assertThat(b.packets().receive(buf, 0, buf.length, Duration.ofSeconds(30)))
          .isEqualTo(p.length);
      byte[] q = TestPackets.ip("10.0.0.2", "10.0.0.1", "over v4".getBytes());
      b.packets().send(q, 0, q.length);
      assertThat(a.packets().receive(buf, 0, buf.length, Duration.ofSeconds(30)))
          .isEqualTo(q.length);
      assertThat(b.peerStats(ka.publicKey()).orElseThrow().endpoint().orElseThrow().getAddress())
          .as("b saw a's IPv6 source")
          .isEqualTo(v6);
    }
  }

  private static Config config(PrivateKey k) {
    return Config.builder().iface(Interface.builder().privateKey(k).build()).build();
  }

  private static Peer peer(PrivateKey k, String allowed, String endpoint) {
    return Peer.builder()
        .publicKey(k.publicKey())
        .addAllowedIp(InetNetwork.parse(allowed))
        .endpoint(Endpoint.parse(endpoint))
        .build();
  }
}
