package io.wireguardjava.tun.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.wireguardjava.Config;
import io.wireguardjava.Endpoint;
import io.wireguardjava.InetNetwork;
import io.wireguardjava.Interface;
import io.wireguardjava.Peer;
import io.wireguardjava.PrivateKey;
import io.wireguardjava.Tunnel;
import io.wireguardjava.TunnelOptions;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The engine on the Linux UDP transport (found by {@code Tunnel.open} through ServiceLoader, as an
 * application gets it), with in-process devices, so it runs without root: bursts in both directions
 * arrive complete and in order (the receive loop's batches, GRO split), and, as root, FwMark is
 * applied to the socket with SO_MARK and follows a change of port.
 */
@Timeout(60)
class LinuxTransportTunnelTest {
  private static final int PACKETS = 3000;
  private static final int WINDOW = 100;

  private static Config config(PrivateKey self, PrivateKey peer, int peerPort, String addr) {
    String peerAddr = addr.equals("10.9.0.1") ? "10.9.0.2" : "10.9.0.1";
    Peer.Builder p =
        Peer.builder()
            .publicKey(peer.publicKey())
            .addAllowedIp(InetNetwork.parse(peerAddr + "/32"));
    if (peerPort > 0) {
      p.endpoint(Endpoint.parse("127.0.0.1:" + peerPort));
    }
    return Config.builder()
        .iface(
            Interface.builder()
                .privateKey(self)
                .addAddress(InetNetwork.parse(addr + "/24"))
                .build())
        .addPeer(p.build())
        .build();
  }

  private static byte[] packet(String src, String dst, int seq, int size) throws Exception {
    ByteBuffer b = ByteBuffer.allocate(size);
    b.put((byte) 0x45).put((byte) 0).putShort((short) size);
    b.putInt(0).put((byte) 64).put((byte) 253).putShort((short) 0);
    b.put(InetAddress.getByName(src).getAddress()).put(InetAddress.getByName(dst).getAddress());
    b.putInt(seq);
    return b.array();
  }

  @Test
  void burstsBothWaysArriveCompleteAndInOrder() throws Exception {
    PrivateKey ka = PrivateKey.generate();
    PrivateKey kb = PrivateKey.generate();
    TunnelOptions in = TunnelOptions.builder().inProcessDevice().noUapi().build();
    try (Tunnel b = Tunnel.open(config(kb, ka, 0, "10.9.0.2"), in);
        Tunnel a = Tunnel.open(config(ka, kb, b.listenPort(), "10.9.0.1"), in)) {
      burst(a, b, "10.9.0.1", "10.9.0.2");
      burst(b, a, "10.9.0.2", "10.9.0.1"); // b learned a's endpoint from its datagrams
      for (Tunnel t : new Tunnel[] {a, b}) {
        assertThat(t.stats().drops())
            .as("nothing dropped at %s", t.name())
            .allSatisfy((r, n) -> assertThat(n).as(r.toString()).isZero());
      }
    }
  }

  /**
   * Sends {@link #PACKETS} in a window of {@link #WINDOW} (smaller than the 1024-packet queue of an
   * in-process device and than what the default socket buffer holds, so nothing may be lost); the
   * receiver sees every one, in order.
   */
  private static void burst(Tunnel from, Tunnel to, String src, String dst) throws Exception {
    byte[] first = packet(src, dst, -1, 100);
    from.packets().send(first, 0, first.length); // the handshake, then the rest
    byte[] buf = new byte[2000];
    assertThat(to.packets().receive(buf, 0, buf.length, Duration.ofSeconds(10))).isEqualTo(100);
    Semaphore window = new Semaphore(WINDOW);
    Thread sender =
        new Thread(
            () -> {
              try {
                for (int i = 0; i < PACKETS; i++) {
                  byte[] p = packet(src, dst, i, 1400);
                  window.acquire();
                  from.packets().send(p, 0, p.length);
                }
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    sender.setDaemon(true);
    sender.start();
    for (int expected = 0; expected < PACKETS; expected++) {
      int n = to.packets().receive(buf, 0, buf.length, Duration.ofSeconds(10));
      assertThat(n).as("packet %d arrived", expected).isEqualTo(1400);
      assertThat(ByteBuffer.wrap(buf, 20, 4).getInt()).as("in order").isEqualTo(expected);
      window.release();
    }
    sender.join(TimeUnit.SECONDS.toMillis(10));
  }

  @Test
  void fwMarkIsAppliedToTheSocketAndFollowsAPortChange() throws Exception {
    assumeTrue(
        "root".equals(System.getProperty("user.name")) || "true".equals(System.getenv("CI")),
        "SO_MARK needs CAP_NET_ADMIN");
    PrivateKey k = PrivateKey.generate();
    Config c = config(k, PrivateKey.generate(), 9, "10.9.0.1");
    c = c.toBuilder().iface(c.iface().toBuilder().fwMark(0x1234).build()).build();
    TunnelOptions in = TunnelOptions.builder().inProcessDevice().noUapi().build();
    try (Tunnel t = Tunnel.open(c, in)) {
      assertThat(t.config().iface().fwMark()).contains(0x1234);
      assertThat(markOf(t.listenPort())).isEqualTo("0x1234");
      t.setFwMark(0x77);
      t.setListenPort(0);
      assertThat(t.config().iface().fwMark()).contains(0x77);
      assertThat(markOf(t.listenPort())).isEqualTo("0x77");
      t.setFwMark(0);
      assertThat(t.config().iface().fwMark()).isEmpty();
      assertThat(markOf(t.listenPort())).isEqualTo("none");
    }
  }

  /** The SO_MARK of the UDP socket on {@code port}, as {@code ss -e} shows it. */
  private static String markOf(int port) throws Exception {
    Process p =
        new ProcessBuilder("ss", "-H", "-u", "-a", "-n", "-e", "sport = :" + port)
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(out).as("ss: our socket").contains(":" + port);
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("fwmark:(0x[0-9a-f]+)").matcher(out);
    return m.find() ? m.group(1) : "none";
  }
}
