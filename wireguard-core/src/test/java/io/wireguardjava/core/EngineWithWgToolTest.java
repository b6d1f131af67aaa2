package io.wireguardjava.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.wireguardjava.Config;
import io.wireguardjava.DropReason;
import io.wireguardjava.Endpoint;
import io.wireguardjava.InetNetwork;
import io.wireguardjava.Interface;
import io.wireguardjava.Key;
import io.wireguardjava.Peer;
import io.wireguardjava.PresharedKey;
import io.wireguardjava.PrivateKey;
import io.wireguardjava.Tunnel;
import io.wireguardjava.TunnelListener;
import io.wireguardjava.TunnelOptions;
import io.wireguardjava.uapi.UapiServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real engine (two in-process tunnels over loopback UDP), configured and watched only with the
 * real {@code wg} through UAPI sockets: a handshake, growing counters, traffic that follows {@code
 * wg set}, and preshared keys changed at runtime. Needs root and wg (fails under CI=true without
 * them).
 */
class EngineWithWgToolTest {
  @TempDir Path tmp;

  static byte[] ipv4Udp(String src, String dst, int payload) throws Exception {
    byte[] p = new byte[28 + payload];
    p[0] = 0x45;
    p[2] = (byte) (p.length >> 8);
    p[3] = (byte) p.length;
    p[8] = 64;
    p[9] = 17;
    System.arraycopy(java.net.InetAddress.getByName(src).getAddress(), 0, p, 12, 4);
    System.arraycopy(java.net.InetAddress.getByName(dst).getAddress(), 0, p, 16, 4);
    int sum = 0;
    for (int i = 0; i < 20; i += 2) {
      sum += ((p[i] & 0xff) << 8) | (p[i + 1] & 0xff);
    }
    sum = (sum & 0xffff) + (sum >> 16);
    sum = ~((sum & 0xffff) + (sum >> 16)) & 0xffff;
    p[10] = (byte) (sum >> 8);
    p[11] = (byte) sum;
    p[21] = 9; // ports 9 -> 9
    p[23] = 9;
    p[24] = (byte) ((8 + payload) >> 8);
    p[25] = (byte) (8 + payload);
    return p;
  }

  static String dumpPeerLine(String name) throws Exception {
    String[] lines = WgTool.ok("wg", "show", name, "dump").split("\n");
    return lines.length > 1 ? lines[1] : "";
  }

  /** {@code tunnel} with its UAPI socket in /var/run/wireguard, removed when it closes. */
  static Tunnel served(Tunnel tunnel) throws java.io.IOException {
    ((Engine) tunnel).attach(UapiServer.start(UapiServer.DEFAULT_DIRECTORY, tunnel));
    return tunnel;
  }

  @Test
  void handshakeCountersAndWgSetOnTheRealEngine() throws Exception {
    WgTool.requireTools();
    String name = "wge" + ProcessHandle.current().pid() % 100000;
    PrivateKey a = PrivateKey.generate();
    PrivateKey b = PrivateKey.generate();
    Config configA = Config.builder().iface(Interface.builder().build()).build();
    try (Tunnel tunnelA =
            Tunnel.open(
                configA,
                TunnelOptions.builder()
                    .inProcessDevice()
                    .interfaceName(name)
                    .uapiDirectory(UapiServer.DEFAULT_DIRECTORY)
                    .build());
        Tunnel tunnelB =
            Tunnel.open(
                Config.builder().iface(Interface.builder().privateKey(b).build()).build(),
                TunnelOptions.inProcessDevice())) {
      // Everything about A arrives through wg.
      Path key = Files.writeString(tmp.resolve("key"), a.toBase64() + "\n");
      WgTool.ok(
          "wg",
          "set",
          name,
          "private-key",
          key.toString(),
          "peer",
          b.publicKey().toBase64(),
          "allowed-ips",
          "10.9.0.2/32",
          "endpoint",
          "127.0.0.1:" + tunnelB.listenPort());
      tunnelB.addPeer(
          Peer.builder()
              .publicKey(a.publicKey())
              .addAllowedIp(InetNetwork.parse("10.9.0.1/32"))
              .endpoint(Endpoint.of("127.0.0.1", tunnelA.listenPort()))
              .build());

      byte[] buf = new byte[2000];
      tunnelA.packets().send(ipv4Udp("10.9.0.1", "10.9.0.2", 100), 0, 128);
      assertThat(tunnelB.packets().receive(buf, 0, buf.length, Duration.ofSeconds(20)))
          .isEqualTo(128);
      tunnelB.packets().send(ipv4Udp("10.9.0.2", "10.9.0.1", 200), 0, 228);
      assertThat(tunnelA.packets().receive(buf, 0, buf.length, Duration.ofSeconds(20)))
          .isEqualTo(228);

      String[] f = dumpPeerLine(name).split("\t");
      assertThat(f[0]).isEqualTo(b.publicKey().toBase64());
      assertThat(f[2]).isEqualTo("127.0.0.1:" + tunnelB.listenPort());
      assertThat(Long.parseLong(f[4])).as("latest handshake").isPositive();
      long rx = Long.parseLong(f[5]);
      long tx = Long.parseLong(f[6]);
      assertThat(rx).isPositive();
      assertThat(tx).isPositive();
      assertThat(WgTool.ok("wg", "show", name)).contains("latest handshake:", "transfer:");

      tunnelA.packets().send(ipv4Udp("10.9.0.1", "10.9.0.2", 300), 0, 328);
      assertThat(tunnelB.packets().receive(buf, 0, buf.length, Duration.ofSeconds(20)))
          .isEqualTo(328);
      assertThat(Long.parseLong(dumpPeerLine(name).split("\t")[6]))
          .as("tx grows")
          .isGreaterThan(tx);

      // Allowed IPs replaced by wg set: a packet for the old address no longer goes out.
      WgTool.ok("wg", "set", name, "peer", b.publicKey().toBase64(), "allowed-ips", "10.9.9.0/24");
      assertThat(tunnelA.config().peers().get(0).allowedIps())
          .containsExactly(InetNetwork.parse("10.9.9.0/24"));
      tunnelA.packets().send(ipv4Udp("10.9.0.1", "10.9.0.2", 10), 0, 38);
      assertThat(tunnelB.packets().receive(buf, 0, buf.length, Duration.ofMillis(500))).isZero();

      WgTool.ok("wg", "set", name, "peer", b.publicKey().toBase64(), "remove");
      assertThat(tunnelA.config().peers()).isEmpty();
      assertThat(dumpPeerLine(name)).isEmpty();
      assertThat(UapiServer.DEFAULT_DIRECTORY.resolve(name + ".sock")).exists();
    }
    assertThat(UapiServer.DEFAULT_DIRECTORY.resolve(name + ".sock")).doesNotExist();
  }

  /**
   * {@code wg set ... preshared-key} on both real engines, as wireguard-go and the kernel do it:
   * the running session is kept (no new handshake), and the next handshake uses the new key. The
   * tunnels run on manual clocks, so "the next handshake" comes by letting the session expire
   * (REJECT_AFTER_TIME) rather than by waiting two minutes. A key changed on one side only makes
   * that handshake fail: the initiator cannot open the response, and no data passes either way
   * until the other side gets the same key.
   */
  @Test
  void presharedKeySetWithWgIsUsedByTheNextHandshakeAndMustMatch() throws Exception {
    WgTool.requireTools();
    String nameA = "wgpa" + ProcessHandle.current().pid() % 100000;
    String nameB = "wgpb" + ProcessHandle.current().pid() % 100000;
    PrivateKey a = PrivateKey.generate();
    PrivateKey b = PrivateKey.generate();
    // One clock each: only A's sessions age, so only A initiates (two simultaneous initiations
    // cancel each other until a retry, which a manual clock would not bring). B's clock moves a
    // second each time, less than any of its timers, as its initiation flood limit needs.
    ManualClockTunnels clockA = new ManualClockTunnels();
    ManualClockTunnels clockB = new ManualClockTunnels();
    Config empty = Config.builder().iface(Interface.builder().build()).build();
    try (Tunnel tunnelA =
            served(
                clockA.open(
                    empty,
                    TunnelOptions.builder().inProcessDevice().interfaceName(nameA).build()));
        Tunnel tunnelB =
            served(
                clockB.open(
                    empty,
                    TunnelOptions.builder().inProcessDevice().interfaceName(nameB).build()))) {
      AtomicInteger handshakesA = new AtomicInteger();
      CountDownLatch invalidAtA = new CountDownLatch(1);
      tunnelA.addListener(
          new TunnelListener() {
            @Override
            public void onHandshakeCompleted(Key peer, Duration took) {
              handshakesA.incrementAndGet();
            }

            @Override
            public void onPacketDropped(DropReason reason, Optional<Key> peer) {
              if (reason == DropReason.HANDSHAKE_INVALID) {
                invalidAtA.countDown();
              }
            }
          });
      // Both sides configured only through wg, with a first preshared key.
      Path keyA = Files.writeString(tmp.resolve("a"), a.toBase64() + "\n");
      Path keyB = Files.writeString(tmp.resolve("b"), b.toBase64() + "\n");
      Path psk1 = Files.writeString(tmp.resolve("psk1"), PresharedKey.generate().toBase64() + "\n");
      Path psk2 = Files.writeString(tmp.resolve("psk2"), PresharedKey.generate().toBase64() + "\n");
      Path psk3 = Files.writeString(tmp.resolve("psk3"), PresharedKey.generate().toBase64() + "\n");
      WgTool.ok(
          "wg",
          "set",
          nameA,
          "private-key",
          keyA.toString(),
          "peer",
          b.publicKey().toBase64(),
          "preshared-key",
          psk1.toString(),
          "allowed-ips",
          "10.9.0.2/32",
          "endpoint",
          "127.0.0.1:" + tunnelB.listenPort());
      WgTool.ok(
          "wg",
          "set",
          nameB,
          "private-key",
          keyB.toString(),
          "peer",
          a.publicKey().toBase64(),
          "preshared-key",
          psk1.toString(),
          "allowed-ips",
          "10.9.0.1/32",
          "endpoint",
          "127.0.0.1:" + tunnelA.listenPort());
      roundTrip(tunnelA, tunnelB, 100);
      assertThat(handshakesA.get()).isEqualTo(1);

      // A new key on both sides: the running session goes on, no handshake.
      WgTool.ok(
          "wg", "set", nameA, "peer", b.publicKey().toBase64(), "preshared-key", psk2.toString());
      WgTool.ok(
          "wg", "set", nameB, "peer", a.publicKey().toBase64(), "preshared-key", psk2.toString());
      assertThat(tunnelA.config().peers().get(0).presharedKey()).contains(psk(psk2));
      assertThat(WgTool.ok("wg", "show", nameB)).contains("preshared key: (hidden)");
      roundTrip(tunnelA, tunnelB, 110);
      assertThat(handshakesA.get()).as("a preshared key change keeps the session").isEqualTo(1);

      // The session expires (for A): A's next handshake, with the new key, succeeds.
      clockA.advance(Duration.ofSeconds(181));
      clockB.advance(Duration.ofSeconds(1));
      roundTrip(tunnelA, tunnelB, 120);
      int afterPsk2 = handshakesA.get();
      assertThat(afterPsk2).as("a new handshake").isGreaterThan(1);

      // A third key on A only: that session expires, A's next handshake fails, no data either way.
      WgTool.ok(
          "wg", "set", nameA, "peer", b.publicKey().toBase64(), "preshared-key", psk3.toString());
      clockA.advance(Duration.ofSeconds(181));
      clockB.advance(Duration.ofSeconds(1));
      byte[] buf = new byte[2000];
      tunnelA.packets().send(ipv4Udp("10.9.0.1", "10.9.0.2", 130), 0, 158);
      assertThat(invalidAtA.await(20, TimeUnit.SECONDS)).as("A cannot open B's response").isTrue();
      assertThat(tunnelB.packets().receive(buf, 0, buf.length, Duration.ofMillis(500))).isZero();
      tunnelB.packets().send(ipv4Udp("10.9.0.2", "10.9.0.1", 140), 0, 168);
      assertThat(tunnelA.packets().receive(buf, 0, buf.length, Duration.ofMillis(500))).isZero();
      assertThat(handshakesA.get()).as("no handshake with different keys").isEqualTo(afterPsk2);

      // B gets the same key: A's next attempt (REKEY_TIMEOUT later) succeeds, and the packet A
      // staged during the failed handshake goes out first.
      WgTool.ok(
          "wg", "set", nameB, "peer", a.publicKey().toBase64(), "preshared-key", psk3.toString());
      clockA.advance(Duration.ofSeconds(6));
      clockB.advance(Duration.ofSeconds(1));
      tunnelA.packets().send(ipv4Udp("10.9.0.1", "10.9.0.2", 150), 0, 178);
      assertThat(tunnelB.packets().receive(buf, 0, buf.length, Duration.ofSeconds(20)))
          .as("staged")
          .isEqualTo(158);
      assertThat(tunnelB.packets().receive(buf, 0, buf.length, Duration.ofSeconds(20)))
          .isEqualTo(178);
      roundTrip(tunnelA, tunnelB, 160);
      assertThat(handshakesA.get()).isGreaterThan(afterPsk2);
    }
    assertThat(UapiServer.DEFAULT_DIRECTORY.resolve(nameA + ".sock")).doesNotExist();
    assertThat(UapiServer.DEFAULT_DIRECTORY.resolve(nameB + ".sock")).doesNotExist();
  }

  private static PresharedKey psk(Path file) throws Exception {
    return PresharedKey.fromBase64(Files.readString(file).trim());
  }

  /** A packet from A to B, and one back (each must arrive). */
  private static void roundTrip(Tunnel tunnelA, Tunnel tunnelB, int payload) throws Exception {
    byte[] buf = new byte[2000];
    tunnelA.packets().send(ipv4Udp("10.9.0.1", "10.9.0.2", payload), 0, 28 + payload);
    assertThat(tunnelB.packets().receive(buf, 0, buf.length, Duration.ofSeconds(20)))
        .as("A -> B")
        .isEqualTo(28 + payload);
    tunnelB.packets().send(ipv4Udp("10.9.0.2", "10.9.0.1", payload + 1), 0, 29 + payload);
    assertThat(tunnelA.packets().receive(buf, 0, buf.length, Duration.ofSeconds(20)))
        .as("B -> A")
        .isEqualTo(29 + payload);
  }
}
