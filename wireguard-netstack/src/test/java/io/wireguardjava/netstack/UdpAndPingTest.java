package io.wireguardjava.netstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** UDP and ping between two tunnel networks over real in-process tunnels. */
class UdpAndPingTest {
  private static NetworkPair pair;

  @BeforeAll
  static void open() throws Exception {
    pair = new NetworkPair();
  }

  @AfterAll
  static void close() {
    pair.close();
  }

  private static String text(ByteBuffer b) {
    b.flip();
    return StandardCharsets.UTF_8.decode(b).toString();
  }

  @ParameterizedTest(name = "ipv6={0}")
  @ValueSource(booleans = {false, true})
  void datagramsBothWays(boolean v6) throws Exception {
    InetAddress aAddr = v6 ? NetworkPair.A6 : NetworkPair.A4;
    InetAddress bAddr = v6 ? NetworkPair.B6 : NetworkPair.B4;
    try (TunnelDatagramSocket server = pair.b.openDatagram(7000 + (v6 ? 1 : 0));
        TunnelDatagramSocket client = pair.a.openDatagram(0)) {
      server.setSoTimeout(Duration.ofSeconds(20));
      client.setSoTimeout(Duration.ofSeconds(20));
      client.send(
          ByteBuffer.wrap("hello".getBytes(StandardCharsets.UTF_8)),
          new InetSocketAddress(bAddr, server.localAddress().getPort()));
      ByteBuffer got = ByteBuffer.allocate(2000);
      InetSocketAddress from = server.receive(got);
      assertThat(text(got)).isEqualTo("hello");
      assertThat(from).isEqualTo(new InetSocketAddress(aAddr, client.localAddress().getPort()));
      server.send(ByteBuffer.wrap("world".getBytes(StandardCharsets.UTF_8)), from);
      got.clear();
      assertThat(client.receive(got))
          .isEqualTo(new InetSocketAddress(bAddr, server.localAddress().getPort()));
      assertThat(text(got)).isEqualTo("world");
      // The largest datagram that fits one packet at the MTU arrives whole.
      int max = pair.a.mtu() - (v6 ? 40 : 20) - 8;
      byte[] big = new byte[max];
      new java.util.Random(1).nextBytes(big);
      client.send(
          ByteBuffer.wrap(big), new InetSocketAddress(bAddr, server.localAddress().getPort()));
      got.clear();
      server.receive(got);
      got.flip();
      byte[] back = new byte[got.remaining()];
      got.get(back);
      assertThat(back).isEqualTo(big);
      assertThatThrownBy(() -> client.send(ByteBuffer.wrap(new byte[max + 1]), from))
          .isInstanceOf(SocketException.class)
          .hasMessageContaining("Message too long");
    }
  }

  @Test
  void connectedSocketSeesPortUnreachable() throws Exception {
    try (TunnelDatagramSocket client = pair.a.openDatagram(0)) {
      client.connect(new InetSocketAddress(NetworkPair.B4, 9)); // nothing bound there on b
      client.setSoTimeout(Duration.ofSeconds(20));
      client.send(ByteBuffer.wrap(new byte[] {1}));
      assertThatThrownBy(() -> client.receive(ByteBuffer.allocate(10)))
          .isInstanceOf(PortUnreachableException.class);
    }
  }

  @Test
  void receiveTimesOutAndCloseWakesAReader() throws Exception {
    TunnelDatagramSocket s = pair.a.openDatagram(0);
    s.setSoTimeout(Duration.ofMillis(50));
    assertThatThrownBy(() -> s.receive(ByteBuffer.allocate(10)))
        .isInstanceOf(SocketTimeoutException.class);
    s.setSoTimeout(Duration.ZERO);
    Thread closer =
        new Thread(
            () -> {
              try {
                Thread.sleep(100);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              s.close();
            });
    closer.start();
    assertThatThrownBy(() -> s.receive(ByteBuffer.allocate(10)))
        .isInstanceOf(SocketException.class);
    closer.join();
  }

  @Test
  void portsAreExclusive() throws Exception {
    try (TunnelDatagramSocket s = pair.a.openDatagram(7100)) {
      assertThat(s.localAddress().getPort()).isEqualTo(7100);
      assertThatThrownBy(() -> pair.a.openDatagram(7100)).isInstanceOf(BindException.class);
    }
    pair.a.openDatagram(7100).close(); // free again after close
  }

  @ParameterizedTest(name = "ipv6={0}")
  @ValueSource(booleans = {false, true})
  void pingBothWays(boolean v6) throws Exception {
    Duration ab = NetworkPair.ping(pair.a, v6 ? NetworkPair.B6 : NetworkPair.B4);
    Duration ba = NetworkPair.ping(pair.b, v6 ? NetworkPair.A6 : NetworkPair.A4);
    assertThat(ab).isPositive().isLessThan(Duration.ofSeconds(10));
    assertThat(ba).isPositive().isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void pingWithoutAnswerTimesOut() {
    // Routed to b by nobody: the tunnel has no peer for it, the request is dropped.
    assertThatThrownBy(() -> pair.a.ping(NetworkPair.literal("10.9.0.99"), Duration.ofMillis(200)))
        .isInstanceOf(SocketTimeoutException.class);
  }
}
