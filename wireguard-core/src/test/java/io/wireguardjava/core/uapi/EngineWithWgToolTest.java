package io.wireguardjava.core.uapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.wireguardjava.Config;
import io.wireguardjava.Endpoint;
import io.wireguardjava.InetNetwork;
import io.wireguardjava.Interface;
import io.wireguardjava.Peer;
import io.wireguardjava.PrivateKey;
import io.wireguardjava.Tunnel;
import io.wireguardjava.TunnelOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real engine (two in-process tunnels over loopback UDP), one of them configured and watched
 * only with the real {@code wg} through its UAPI socket: a handshake, growing counters, and
 * traffic that follows {@code wg set}. Needs root and wg (fails under CI=true without them).
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
    String[] lines = WgToolInteropTest.ok("wg", "show", name, "dump").split("\n");
    return lines.length > 1 ? lines[1] : "";
  }

  @Test
  void handshakeCountersAndWgSetOnTheRealEngine() throws Exception {
    WgToolInteropTest.requireTools();
    String name = "wge" + ProcessHandle.current().pid() % 100000;
    PrivateKey a = PrivateKey.generate();
    PrivateKey b = PrivateKey.generate();
    Config configA = Config.builder().iface(Interface.builder().build()).build();
    try (ServedTunnel tunnelA = ServedTunnel.serve(
            Tunnel.open(configA, TunnelOptions.builder().inProcessDevice().interfaceName(name).build()),
            UapiServer.DEFAULT_DIRECTORY);
        Tunnel tunnelB = Tunnel.open(
            Config.builder().iface(Interface.builder().privateKey(b).build()).build(),
            TunnelOptions.inProcessDevice())) {
      // Everything about A arrives through wg.
      Path key = Files.writeString(tmp.resolve("key"), a.toBase64() + "\n");
      WgToolInteropTest.ok("wg", "set", name, "private-key", key.toString(), "peer", b.publicKey().toBase64(),
          "allowed-ips", "10.9.0.2/32", "endpoint", "127.0.0.1:" + tunnelB.listenPort());
      tunnelB.addPeer(Peer.builder().publicKey(a.publicKey()).addAllowedIp(InetNetwork.parse("10.9.0.1/32"))
          .endpoint(Endpoint.of("127.0.0.1", tunnelA.listenPort())).build());

      byte[] buf = new byte[2000];
      tunnelA.packets().send(ipv4Udp("10.9.0.1", "10.9.0.2", 100), 0, 128);
      assertThat(tunnelB.packets().receive(buf, 0, buf.length, Duration.ofSeconds(20))).isEqualTo(128);
      tunnelB.packets().send(ipv4Udp("10.9.0.2", "10.9.0.1", 200), 0, 228);
      assertThat(tunnelA.packets().receive(buf, 0, buf.length, Duration.ofSeconds(20))).isEqualTo(228);

      String[] f = dumpPeerLine(name).split("\t");
      assertThat(f[0]).isEqualTo(b.publicKey().toBase64());
      assertThat(f[2]).isEqualTo("127.0.0.1:" + tunnelB.listenPort());
      assertThat(Long.parseLong(f[4])).as("latest handshake").isPositive();
      long rx = Long.parseLong(f[5]);
      long tx = Long.parseLong(f[6]);
      assertThat(rx).isPositive();
      assertThat(tx).isPositive();
      assertThat(WgToolInteropTest.ok("wg", "show", name)).contains("latest handshake:", "transfer:");

      tunnelA.packets().send(ipv4Udp("10.9.0.1", "10.9.0.2", 300), 0, 328);
      assertThat(tunnelB.packets().receive(buf, 0, buf.length, Duration.ofSeconds(20))).isEqualTo(328);
      assertThat(Long.parseLong(dumpPeerLine(name).split("\t")[6])).as("tx grows").isGreaterThan(tx);

      // Allowed IPs replaced by wg set: a packet for the old address no longer goes out.
      WgToolInteropTest.ok("wg", "set", name, "peer", b.publicKey().toBase64(), "allowed-ips", "10.9.9.0/24");
      assertThat(tunnelA.config().peers().get(0).allowedIps()).containsExactly(InetNetwork.parse("10.9.9.0/24"));
      tunnelA.packets().send(ipv4Udp("10.9.0.1", "10.9.0.2", 10), 0, 38);
      assertThat(tunnelB.packets().receive(buf, 0, buf.length, Duration.ofMillis(500))).isZero();

      WgToolInteropTest.ok("wg", "set", name, "peer", b.publicKey().toBase64(), "remove");
      assertThat(tunnelA.config().peers()).isEmpty();
      assertThat(dumpPeerLine(name)).isEmpty();
      assertThat(tunnelA.socketPath()).exists();
    }
    assertThat(UapiServer.DEFAULT_DIRECTORY.resolve(name + ".sock")).doesNotExist();
  }
}
