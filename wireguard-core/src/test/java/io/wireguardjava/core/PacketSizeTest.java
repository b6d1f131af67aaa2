package io.wireguardjava.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.wireguardjava.Config;
import io.wireguardjava.DropReason;
import io.wireguardjava.InetNetwork;
import io.wireguardjava.Interface;
import io.wireguardjava.Peer;
import io.wireguardjava.PrivateKey;
import io.wireguardjava.TunnelOptions;
import io.wireguardjava.crypto.TimeSource;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * One packet-size rule on every path: a packet over the tunnel's MTU is dropped, counted TOO_LARGE,
 * and answered with ICMP "fragmentation needed" (IPv4) or "packet too big" (IPv6) carrying the MTU,
 * so path-MTU discovery works through the tunnel; no buffer leaks and no handshake is asked for.
 */
class PacketSizeTest {

  /** The ICMP answer's type, code and announced MTU, after checking both checksums. */
  private static int[] icmp(byte[] p, int n) {
    if ((p[0] >> 4) == 4) {
      assertThat(p[9]).as("ICMP").isEqualTo((byte) 1);
      assertThat(IcmpUnreachable.checksum(p, 0, 20, 0)).as("IP checksum").isZero();
      assertThat(IcmpUnreachable.checksum(p, 20, n - 20, 0)).as("ICMP checksum").isZero();
      return new int[] {p[20] & 0xFF, p[21] & 0xFF, ((p[26] & 0xFF) << 8) | (p[27] & 0xFF)};
    }
    assertThat(p[6]).as("ICMPv6").isEqualTo((byte) 58);
    int mtu =
        ((p[44] & 0xFF) << 24) | ((p[45] & 0xFF) << 16) | ((p[46] & 0xFF) << 8) | (p[47] & 0xFF);
    return new int[] {p[40] & 0xFF, p[41] & 0xFF, mtu};
  }

  private static int receive(TestNet.Node n, byte[] buf) throws Exception {
    return n.engine.packets().receive(buf, 0, buf.length, Duration.ofSeconds(30));
  }

  @Test
  void receivedPacketOverTheMtuIsDroppedAndTheSenderToldTheMtu() throws Exception {
    try (TestNet net = new TestNet()) {
      TestNet.Node a = net.node(1, 2000);
      TestNet.Node b = net.node(2, 1420);
      TestNet.link(a, b, null);
      TestNet.roundTrip(a, b, a.v4(), b.v4(), "hello".getBytes()); // a session
      byte[] buf = new byte[4000];

      byte[] big = TestPackets.ip(a.v4(), b.v4(), new byte[1800 - 20]);
      a.engine.packets().send(big, 0, big.length);
      int n = receive(a, buf);
      assertThat(icmp(buf, n)).as("fragmentation needed, MTU 1420").containsExactly(3, 4, 1420);
      assertThat(Arrays.copyOfRange(buf, 12, 16)).as("from b").isEqualTo(new byte[] {10, 0, 0, 2});
      assertThat(Arrays.copyOfRange(buf, 28, 48))
          .as("quotes the header")
          .isEqualTo(Arrays.copyOf(big, 20));

      byte[] big6 = TestPackets.ip(a.v6(), b.v6(), new byte[1500]);
      a.engine.packets().send(big6, 0, big6.length);
      n = receive(a, buf);
      assertThat(icmp(buf, n)).as("packet too big, MTU 1420").containsExactly(2, 0, 1420);

      assertThat(b.engine.stats().dropped(DropReason.TOO_LARGE)).isEqualTo(2);
      // exactly the MTU still passes
      TestNet.roundTrip(a, b, a.v4(), b.v4(), new byte[1420 - 20]);
      assertThat(b.engine.stats().dropped(DropReason.INTERNAL_ERROR)).isZero();
    }
  }

  @Test
  void forwardedPacketOverTheMtuLeaksNoBufferAndIsAnswered() throws Exception {
    try (TestNet net = new TestNet()) {
      TestNet.Node a = net.node(1, 2000);
      net.forwarding = true;
      TestNet.Node bounce = net.node(2, 1420);
      net.forwarding = false;
      TestNet.Node c = net.node(3, 2000); // never answers bounce: packets for it stay staged
      a.engine.addPeer(TestNet.peerOf(bounce, c.v4() + "/32").build());
      bounce.engine.addPeer(TestNet.peerOf(a).build());
      bounce.engine.addPeer(TestNet.peerOf(c).build());
      TestNet.roundTrip(a, bounce, a.v4(), bounce.v4(), "hello".getBytes());

      byte[] big = TestPackets.ip(a.v4(), c.v4(), new byte[1800 - 20]);
      a.engine.packets().send(big, 0, big.length);
      byte[] buf = new byte[4000];
      int n = receive(a, buf);
      assertThat(icmp(buf, n)).containsExactly(3, 4, 1420);
      assertThat(bounce.engine.stats().dropped(DropReason.TOO_LARGE)).isEqualTo(1);
      assertThat(bounce.engine.stats().dropped(DropReason.INTERNAL_ERROR)).isZero();
      assertThat(bounce.engine.pool.inUse()).as("no pool buffer lost").isZero();
    }
  }

  @Test
  void packetFromTheDeviceOverTheMtuIsAnsweredOnTheDevice() throws Exception {
    ScriptedDevice device = new ScriptedDevice("big0", 1420);
    Config c =
        Config.builder()
            .iface(
                Interface.builder()
                    .privateKey(PrivateKey.generate())
                    .addAddress(InetNetwork.parse("10.9.0.1/24"))
                    .build())
            .addPeer(
                Peer.builder()
                    .publicKey(PrivateKey.generate().publicKey())
                    .addAllowedIp(InetNetwork.parse("10.9.0.2/32"))
                    .endpoint(io.wireguardjava.Endpoint.parse("127.0.0.1:9"))
                    .build())
            .build();
    try (Engine e =
        CoreTunnelProvider.open(
            c, TunnelOptions.builder().device(device).build(), TimeSource.system())) {
      byte[] big = TestPackets.ip("10.9.0.1", "10.9.0.2", new byte[1500 - 20]);
      device.inject(big);
      byte[] answer = device.nextWritten();
      assertThat(icmp(answer, answer.length)).containsExactly(3, 4, 1420);
      assertThat(e.stats().dropped(DropReason.TOO_LARGE)).isEqualTo(1);
      assertThat(e.pool.inUse()).as("not staged").isZero();
    }
  }
}
