package io.wireguardjava.netstack.proxy;

import static io.wireguardjava.netstack.proxy.Socks5ServerTest.bytes;
import static io.wireguardjava.netstack.proxy.Socks5ServerTest.greet;
import static io.wireguardjava.netstack.proxy.Socks5ServerTest.read;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** UDP ASSOCIATE (RFC 1928 §7): the encapsulation both ways, and who may use the relay. */
@Timeout(30)
class Socks5UdpTest {
  static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  FakeTunnel tunnel;
  Servers.UdpEcho echo;
  Socks5Server server;
  Socket control;
  InetSocketAddress relay;
  DatagramSocket udp;

  @BeforeEach
  void setUp() throws IOException {
    tunnel = new FakeTunnel();
    echo = new Servers.UdpEcho();
    server =
        Socks5Server.builder(tunnel)
            .bind(new InetSocketAddress(LOOPBACK, 0))
            .handshakeTimeout(Duration.ofSeconds(5))
            .start();
    udp = new DatagramSocket(0, LOOPBACK);
    udp.setSoTimeout(2000);
  }

  @AfterEach
  void tearDown() {
    server.close();
    echo.close();
    udp.close();
  }

  /** Opens the association announcing {@code port} (0: unknown) and returns the relay. */
  InetSocketAddress associate(int port) throws IOException {
    control = new Socket(LOOPBACK, server.address().getPort());
    control.setSoTimeout(5000);
    greet(control);
    control.getOutputStream().write(bytes(5, 3, 0, 1, 0, 0, 0, 0, port >> 8, port & 0xff));
    byte[] reply = read(control, 10);
    assertThat(Arrays.copyOf(reply, 4)).containsExactly(5, 0, 0, 1);
    InetAddress bound = InetAddress.getByAddress(Arrays.copyOfRange(reply, 4, 8));
    assertThat(bound).isEqualTo(LOOPBACK);
    relay = new InetSocketAddress(bound, ((reply[8] & 0xff) << 8) | (reply[9] & 0xff));
    return relay;
  }

  static byte[] datagramTo(InetSocketAddress to, byte[] payload) {
    byte[] header = new byte[Socks5UdpHeader.MAX_REPLY_LENGTH];
    int n = 3 + Socks5Codec.putAddress(header, 3, to);
    byte[] d = Arrays.copyOf(header, n + payload.length);
    System.arraycopy(payload, 0, d, n, payload.length);
    return d;
  }

  static byte[] datagramToName(String name, int port, byte[] payload) {
    byte[] n = name.getBytes(StandardCharsets.US_ASCII);
    byte[] d = new byte[7 + n.length + payload.length];
    d[3] = 3;
    d[4] = (byte) n.length;
    System.arraycopy(n, 0, d, 5, n.length);
    d[5 + n.length] = (byte) (port >> 8);
    d[6 + n.length] = (byte) port;
    System.arraycopy(payload, 0, d, 7 + n.length, payload.length);
    return d;
  }

  void send(DatagramSocket from, byte[] datagram) throws IOException {
    from.send(new DatagramPacket(datagram, datagram.length, relay));
  }

  byte[] receive(DatagramSocket on) throws IOException {
    DatagramPacket p = new DatagramPacket(new byte[70000], 70000);
    on.receive(p);
    assertThat(p.getSocketAddress()).as("replies come from the relay").isEqualTo(relay);
    return Arrays.copyOf(p.getData(), p.getLength());
  }

  @Test
  void aDatagramGoesOutAndItsReplyComesBackEncapsulated() throws IOException {
    associate(0);
    byte[] payload = "dns query, say".getBytes(StandardCharsets.US_ASCII);
    send(udp, datagramTo(echo.address(), payload));
    byte[] reply = receive(udp);
    // RSV RSV FRAG ATYP=1 127.0.0.1 PORT DATA: the source is the echo server
    assertThat(reply).isEqualTo(datagramTo(echo.address(), payload));
    assertThat(server.stats().bytesOut()).isEqualTo(payload.length);
    assertThat(server.stats().bytesIn()).isEqualTo(payload.length);
    control.close();
  }

  @Test
  void aLargeDatagramAndAnEmptyOneKeepTheirLength() throws IOException {
    associate(udp.getLocalPort());
    byte[] big = new byte[60_000];
    Arrays.fill(big, (byte) 0x5a);
    send(udp, datagramTo(echo.address(), big));
    assertThat(receive(udp)).isEqualTo(datagramTo(echo.address(), big));
    send(udp, datagramTo(echo.address(), new byte[0]));
    assertThat(receive(udp)).isEqualTo(datagramTo(echo.address(), new byte[0]));
    control.close();
  }

  @Test
  void aNameIsResolvedThroughTheTunnelOncePerAssociation() throws IOException {
    tunnel.name("dns.only-in-tunnel.test", LOOPBACK);
    associate(0);
    for (int i = 0; i < 3; i++) {
      byte[] payload = {(byte) i};
      send(udp, datagramToName("dns.only-in-tunnel.test", echo.address().getPort(), payload));
      assertThat(receive(udp)).isEqualTo(datagramTo(echo.address(), payload));
    }
    assertThat(tunnel.lookups).containsExactly("dns.only-in-tunnel.test");
    control.close();
  }

  @Test
  void malformedFragmentedStrangeAndForbiddenDatagramsAreDroppedAndCounted() throws Exception {
    server.close();
    server =
        Socks5Server.builder(tunnel)
            .bind(new InetSocketAddress(LOOPBACK, 0))
            .allow(a -> a.getPort() == echo.address().getPort())
            .start();
    associate(0);
    byte[] ok = datagramTo(echo.address(), new byte[] {1});
    byte[] fragment = ok.clone();
    fragment[2] = 1;
    byte[] reserved = ok.clone();
    reserved[0] = 1;
    byte[] forbidden = datagramTo(new InetSocketAddress(LOOPBACK, 9), new byte[] {1});
    byte[][] bad = {
      bytes(0, 0, 0),
      fragment,
      reserved,
      bytes(0, 0, 0, 9, 1, 2, 3, 4, 0, 53),
      bytes(0, 0, 0, 1, 127, 0),
      bytes(0, 0, 0, 3, 0, 0, 53),
      datagramToName("unknown.test", 53, new byte[] {1}),
      forbidden
    };
    for (byte[] d : bad) {
      send(udp, d);
    }
    send(udp, ok); // the first good datagram pins the client's port ...
    assertThat(receive(udp)).isEqualTo(ok);
    try (DatagramSocket stranger = new DatagramSocket(0, LOOPBACK)) {
      send(stranger, ok); // ... so another port of the same host is a stranger
    }
    send(udp, ok);
    assertThat(receive(udp)).isEqualTo(ok);
    udp.setSoTimeout(200);
    try {
      receive(udp);
      throw new AssertionError("a dropped datagram was relayed");
    } catch (SocketTimeoutException expected) {
      // nothing else came back
    }
    assertThat(server.stats().datagramsDropped()).isEqualTo(bad.length + 1);
    control.close();
  }

  @Test
  void anAnnouncedPortKeepsOtherPortsOut() throws IOException {
    associate(udp.getLocalPort());
    byte[] ok = datagramTo(echo.address(), new byte[] {7});
    try (DatagramSocket other = new DatagramSocket(0, LOOPBACK)) {
      other.setSoTimeout(300);
      send(other, ok);
      try {
        receive(other);
        throw new AssertionError("the relay served a port the client did not announce");
      } catch (SocketTimeoutException expected) {
        // dropped
      }
    }
    send(udp, ok);
    assertThat(receive(udp)).isEqualTo(ok);
    control.close();
  }

  @Test
  void theAssociationEndsWithTheControlConnection() throws Exception {
    associate(0);
    byte[] ok = datagramTo(echo.address(), new byte[] {3});
    send(udp, ok);
    assertThat(receive(udp)).isEqualTo(ok);
    assertThat(server.stats().active()).isEqualTo(1);
    control.close();
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (server.stats().active() != 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(server.stats().active()).isZero();
    udp.setSoTimeout(300);
    send(udp, ok);
    try {
      receive(udp);
      throw new AssertionError("the relay still works after the control connection closed");
    } catch (SocketTimeoutException | java.net.PortUnreachableException expected) {
      // the relay socket is closed
    }
  }
}
