package io.wireguardjava.netstack.proxy;

import static io.wireguardjava.netstack.proxy.Socks5ServerTest.bytes;
import static io.wireguardjava.netstack.proxy.Socks5ServerTest.connectName;
import static io.wireguardjava.netstack.proxy.Socks5ServerTest.greet;
import static io.wireguardjava.netstack.proxy.Socks5ServerTest.read;
import static io.wireguardjava.netstack.proxy.Socks5ServerTest.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.wireguardjava.netstack.proxy.ForwardSpec.Protocol;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The proxies over a real {@link io.wireguardjava.netstack.TunnelNetwork}: two in-process tunnels,
 * the services on the peer's side, names only the peer's DNS knows.
 */
@Timeout(120)
class TunnelProxyTest {
  static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  static final InetSocketAddress ANY_LOOPBACK_PORT = new InetSocketAddress(LOOPBACK, 0);
  static TunnelPair pair;

  @BeforeAll
  static void open() throws IOException {
    pair = new TunnelPair();
  }

  @AfterAll
  static void close() {
    pair.close();
  }

  static Socket open(InetSocketAddress at) throws IOException {
    Socket s = new Socket(at.getAddress(), at.getPort());
    s.setSoTimeout(30_000);
    return s;
  }

  @Test
  void socks5ConnectToANameOnlyThePeersDnsKnowsCarries8MiBIntact() throws Exception {
    try (Socks5Server socks = Socks5Server.builder(pair.a).bind(ANY_LOOPBACK_PORT).start();
        Socket s = open(socks.address())) {
      greet(s);
      assertThat(request(s, connectName(TunnelPair.NAME, 7))).isZero();
      byte[] sent = sendAndCheckEcho(s, 8 << 20);
      assertThat(sent).isNotNull();
      assertThat(socks.stats().bytesOut()).isEqualTo(8 << 20);
    }
  }

  /** Writes {@code n} random bytes on a thread, reads the echo, compares SHA-256. */
  static byte[] sendAndCheckEcho(Socket s, int n) throws Exception {
    CompletableFuture<byte[]> sent =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                MessageDigest d = MessageDigest.getInstance("SHA-256");
                Random r = new Random(n);
                byte[] buf = new byte[32 * 1024];
                OutputStream out = s.getOutputStream();
                for (int left = n; left > 0; left -= buf.length) {
                  r.nextBytes(buf);
                  int k = Math.min(left, buf.length);
                  out.write(buf, 0, k);
                  d.update(buf, 0, k);
                }
                s.shutdownOutput();
                return d.digest();
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            },
            runnable -> {
              Thread t = new Thread(runnable, "hpx-writer");
              t.setDaemon(true);
              t.start();
            });
    MessageDigest d = MessageDigest.getInstance("SHA-256");
    InputStream in = s.getInputStream();
    byte[] buf = new byte[32 * 1024];
    long total = 0;
    int k;
    while ((k = in.read(buf)) >= 0) {
      d.update(buf, 0, k);
      total += k;
    }
    assertThat(total).isEqualTo(n);
    byte[] digest = sent.get(60, TimeUnit.SECONDS);
    assertThat(d.digest()).isEqualTo(digest);
    return digest;
  }

  @Test
  void socks5RepliesRefusedForAClosedPortInTheTunnel() throws IOException {
    try (Socks5Server socks = Socks5Server.builder(pair.a).bind(ANY_LOOPBACK_PORT).start();
        Socket s = open(socks.address())) {
      greet(s);
      assertThat(request(s, bytes(5, 1, 0, 1, 10, 77, 0, 2, 0x1f, 0x90))).isEqualTo(0x05);
    }
  }

  @Test
  void socks5UdpAssociateReachesThePeersDnsServer() throws IOException {
    try (Socks5Server socks = Socks5Server.builder(pair.a).bind(ANY_LOOPBACK_PORT).start();
        Socket control = open(socks.address());
        DatagramSocket udp = new DatagramSocket(0, LOOPBACK)) {
      greet(control);
      control.getOutputStream().write(bytes(5, 3, 0, 1, 0, 0, 0, 0, 0, 0));
      byte[] reply = read(control, 10);
      assertThat(reply[1]).isZero();
      InetSocketAddress relay =
          new InetSocketAddress(
              InetAddress.getByAddress(Arrays.copyOfRange(reply, 4, 8)),
              ((reply[8] & 0xff) << 8) | (reply[9] & 0xff));
      byte[] query = dnsQuery(TunnelPair.NAME);
      byte[] d = Socks5UdpTest.datagramTo(new InetSocketAddress(TunnelPair.B4, 53), query);
      udp.setSoTimeout(10_000);
      udp.send(new DatagramPacket(d, d.length, relay));
      DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
      udp.receive(p);
      byte[] got = Arrays.copyOf(p.getData(), p.getLength());
      // the header names the DNS server as the source; the answer's last 4 bytes are B4
      assertThat(Arrays.copyOf(got, 10)).containsExactly(0, 0, 0, 1, 10, 77, 0, 2, 0, 53);
      assertThat(Arrays.copyOfRange(got, got.length - 4, got.length))
          .isEqualTo(TunnelPair.B4.getAddress());
    }
  }

  static byte[] dnsQuery(String name) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(512);
    b.putShort((short) 0x1234)
        .putShort((short) 0x0100)
        .putShort((short) 1)
        .putShort((short) 0)
        .putShort((short) 0)
        .putShort((short) 0);
    for (String label : name.split("\\.")) {
      b.put((byte) label.length()).put(label.getBytes(StandardCharsets.US_ASCII));
    }
    b.put((byte) 0).putShort((short) 1).putShort((short) 1);
    return Arrays.copyOf(b.array(), b.position());
  }

  @Test
  void httpConnectAndAbsoluteFormThroughTheTunnel() throws Exception {
    try (HttpProxyServer http = HttpProxyServer.builder(pair.a).bind(ANY_LOOPBACK_PORT).start();
        Socket s = open(http.address())) {
      s.getOutputStream()
          .write(
              ("CONNECT " + TunnelPair.NAME + ":7 HTTP/1.1\r\nHost: x\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      HttpProxyServerTest.Response r = HttpProxyServerTest.readHeadOnly(s);
      assertThat(r.status()).isEqualTo(200);
      sendAndCheckEcho(s, 1 << 20);
    }
    // a web server on the peer, reached with GET http://name:port/
    try (java.net.ServerSocket web = pair.b.listen(80);
        HttpProxyServer http = HttpProxyServer.builder(pair.a).bind(ANY_LOOPBACK_PORT).start();
        Socket s = open(http.address())) {
      CompletableFuture<String> served =
          CompletableFuture.supplyAsync(
              () -> {
                try (Socket c = web.accept()) {
                  byte[] head = new byte[4096];
                  int n = c.getInputStream().read(head);
                  c.getOutputStream()
                      .write(
                          "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\npong"
                              .getBytes(StandardCharsets.US_ASCII));
                  return new String(head, 0, n, StandardCharsets.US_ASCII);
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                }
              });
      s.getOutputStream()
          .write(
              ("GET http://" + TunnelPair.NAME + "/ping HTTP/1.1\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      HttpProxyServerTest.Response r = HttpProxyServerTest.read(s);
      assertThat(r.text()).isEqualTo("pong");
      assertThat(served.get(30, TimeUnit.SECONDS))
          .startsWith("GET /ping HTTP/1.1\r\nHost: " + TunnelPair.NAME + "\r\n");
    }
  }

  @Test
  void forwardLocalTcpAndUdpIntoTheTunnel() throws Exception {
    try (PortForward tcp =
            PortForward.builder(
                    pair.a, ForwardSpec.local(Protocol.TCP, ANY_LOOPBACK_PORT, TunnelPair.NAME, 7))
                .start();
        PortForward udp =
            PortForward.builder(
                    pair.a, ForwardSpec.local(Protocol.UDP, ANY_LOOPBACK_PORT, "10.77.0.2", 7))
                .start();
        Socket s = open(tcp.address());
        DatagramSocket c = new DatagramSocket(0, LOOPBACK)) {
      sendAndCheckEcho(s, 1 << 20);
      c.setSoTimeout(10_000);
      byte[] payload = "udp through -L".getBytes(StandardCharsets.US_ASCII);
      assertThat(PortForwardTest.exchange(c, udp.address(), payload)).isEqualTo(payload);
    }
  }

  @Test
  void forwardRemoteTcpReachedFromThePeer() throws Exception {
    try (Servers.Echo hostEcho = new Servers.Echo();
        PortForward r =
            PortForward.builder(
                    pair.a, ForwardSpec.remote(Protocol.TCP, 2222, "127.0.0.1", hostEcho.port()))
                .start();
        Socket fromPeer =
            pair.b.connect(new InetSocketAddress(TunnelPair.A4, 2222), Duration.ofSeconds(20))) {
      assertThat(r.address().getPort()).isEqualTo(2222);
      fromPeer.setSoTimeout(30_000);
      sendAndCheckEcho(fromPeer, 1 << 20);
    }
  }

  @Test
  void aResetInTheTunnelReachesTheClientAsAReset() throws Exception {
    try (ServerSocket server = pair.b.listen(9009);
        PortForward f =
            PortForward.builder(
                    pair.a, ForwardSpec.local(Protocol.TCP, ANY_LOOPBACK_PORT, "10.77.0.2", 9009))
                .start();
        Socket s = open(f.address())) {
      s.getOutputStream().write(1);
      try (Socket peerSide = server.accept()) {
        assertThat(peerSide.getInputStream().read()).isEqualTo(1);
        peerSide.setSoLinger(true, 0);
      }
      SpliceTest.assertReset(s);
    }
  }
}
