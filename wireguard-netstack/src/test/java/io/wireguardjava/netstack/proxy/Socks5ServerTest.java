package io.wireguardjava.netstack.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** SOCKS5 over the fake tunnel, byte for byte against RFC 1928 and RFC 1929. */
@Timeout(30)
class Socks5ServerTest {
  static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  FakeTunnel tunnel;
  Servers.Echo echo;
  Socks5Server server;

  @BeforeEach
  void setUp() throws IOException {
    tunnel = new FakeTunnel();
    echo = new Servers.Echo();
  }

  @AfterEach
  void tearDown() throws IOException {
    if (server != null) {
      server.close();
    }
    echo.close();
  }

  /** Timeouts long enough for a loaded machine; tests that measure one set their own. */
  Socks5Server.Builder socks() {
    return Socks5Server.builder(tunnel)
        .handshakeTimeout(Duration.ofSeconds(3))
        .connectTimeout(Duration.ofSeconds(3));
  }

  Socks5Server start(Socks5Server.Builder b) throws IOException {
    server = b.bind(new InetSocketAddress(LOOPBACK, 0)).start();
    return server;
  }

  Socket open() throws IOException {
    Socket s = new Socket(LOOPBACK, server.address().getPort());
    s.setSoTimeout(5000);
    return s;
  }

  static byte[] bytes(int... v) {
    byte[] b = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = (byte) v[i];
    }
    return b;
  }

  static byte[] read(Socket s, int n) throws IOException {
    byte[] b = s.getInputStream().readNBytes(n);
    assertThat(b).as("reply of %d bytes", n).hasSize(n);
    return b;
  }

  static byte[] connectIpv4(int port) {
    return bytes(5, 1, 0, 1, 127, 0, 0, 1, port >> 8, port & 0xff);
  }

  static byte[] connectName(String name, int port) {
    byte[] n = name.getBytes(StandardCharsets.ISO_8859_1);
    byte[] b = new byte[7 + n.length];
    b[0] = 5;
    b[1] = 1;
    b[3] = 3;
    b[4] = (byte) n.length;
    System.arraycopy(n, 0, b, 5, n.length);
    b[5 + n.length] = (byte) (port >> 8);
    b[6 + n.length] = (byte) port;
    return b;
  }

  /** Greets without authentication and checks the choice {@code 05 00}. */
  static void greet(Socket s) throws IOException {
    s.getOutputStream().write(bytes(5, 1, 0));
    assertThat(read(s, 2)).containsExactly(5, 0);
  }

  /** The reply code of a request, checking the layout {@code 05 REP 00 ATYP ADDR PORT}. */
  static int request(Socket s, byte[] request) throws IOException {
    s.getOutputStream().write(request);
    byte[] head = read(s, 4);
    assertThat(head[0]).isEqualTo((byte) 5);
    assertThat(head[2]).isZero();
    int addressLength = head[3] == 1 ? 4 : head[3] == 4 ? 16 : -1;
    assertThat(addressLength).as("ATYP of the reply").isPositive();
    read(s, addressLength + 2);
    return head[1] & 0xff;
  }

  static void assertClosed(Socket s) throws IOException {
    assertThat(s.getInputStream().read()).as("the server closed").isEqualTo(-1);
  }

  static void assertEchoes(Socket s) throws IOException {
    byte[] msg = "hello through socks".getBytes(StandardCharsets.US_ASCII);
    s.getOutputStream().write(msg);
    assertThat(read(s, msg.length)).isEqualTo(msg);
  }

  @Test
  void connectIpv4RepliesWithTheBoundAddressAndSplices() throws IOException {
    start(socks());
    try (Socket s = open()) {
      greet(s);
      s.getOutputStream().write(connectIpv4(echo.port()));
      byte[] reply = read(s, 10);
      assertThat(Arrays.copyOf(reply, 4)).containsExactly(5, 0, 0, 1);
      assertThat(Arrays.copyOfRange(reply, 4, 8)).containsExactly(127, 0, 0, 1);
      assertThat(((reply[8] & 0xff) << 8) | (reply[9] & 0xff)).isPositive();
      assertEchoes(s);
    }
    assertThat(server.stats().accepted()).isEqualTo(1);
  }

  @Test
  void connectIpv6() throws IOException {
    Servers.Echo echo6;
    try {
      echo6 = new Servers.Echo(InetAddress.getByName("::1"));
    } catch (IOException e) {
      throw new AssertionError("this machine has no IPv6 loopback", e);
    }
    try (echo6) {
      start(socks());
      try (Socket s = open()) {
        greet(s);
        byte[] req = new byte[22];
        req[0] = 5;
        req[1] = 1;
        req[3] = 4;
        req[19] = 1; // ::1
        req[20] = (byte) (echo6.port() >> 8);
        req[21] = (byte) echo6.port();
        s.getOutputStream().write(req);
        byte[] reply = read(s, 22);
        assertThat(Arrays.copyOf(reply, 4)).containsExactly(5, 0, 0, 4);
        assertEchoes(s);
      }
    }
  }

  @Test
  void domainNamesAreResolvedByTheTunnelNotTheHost() throws IOException {
    tunnel.name("db.only-in-tunnel.test", LOOPBACK);
    start(socks());
    try (Socket s = open()) {
      greet(s);
      assertThat(request(s, connectName("db.only-in-tunnel.test", echo.port()))).isZero();
      assertEchoes(s);
    }
    assertThat(tunnel.lookups).containsExactly("db.only-in-tunnel.test");
  }

  @Test
  void aLiteralSentAsADomainNameIsNotLookedUp() throws IOException {
    start(socks());
    try (Socket s = open()) {
      greet(s);
      assertThat(request(s, connectName("127.0.0.1", echo.port()))).isZero();
      assertEchoes(s);
    }
    assertThat(tunnel.lookups).isEmpty();
  }

  @Test
  void refusedIsReply05() throws IOException {
    start(socks());
    try (Socket s = open()) {
      greet(s);
      assertThat(request(s, connectIpv4(Servers.closedPort()))).isEqualTo(0x05);
      assertClosed(s);
    }
    assertThat(server.stats().failed()).isEqualTo(1);
  }

  @Test
  void unreachableUnknownAndSilentHostsAreReply04() throws IOException {
    InetAddress unreachable = InetAddress.getByName("127.0.0.2");
    InetAddress blackHole = InetAddress.getByName("127.0.0.3");
    tunnel.unreachable.add(unreachable);
    tunnel.blackHoles.add(blackHole);
    tunnel.name("gone.test", unreachable);
    start(socks());
    for (byte[] req :
        new byte[][] {
          bytes(5, 1, 0, 1, 127, 0, 0, 2, 0, 80),
          bytes(5, 1, 0, 1, 127, 0, 0, 3, 0, 80),
          connectName("gone.test", 80),
          connectName("unknown.test", 80)
        }) {
      try (Socket s = open()) {
        greet(s);
        assertThat(request(s, req)).as(Arrays.toString(req)).isEqualTo(0x04);
        assertClosed(s);
      }
    }
  }

  @Test
  void thePolicyRefusalIsReply02() throws IOException {
    tunnel.name("forbidden.test", LOOPBACK);
    start(socks().allow(a -> a.getPort() != echo.port()));
    try (Socket s = open()) {
      greet(s);
      assertThat(request(s, connectIpv4(echo.port()))).isEqualTo(0x02);
    }
    try (Socket s = open()) {
      greet(s);
      assertThat(request(s, connectName("forbidden.test", echo.port()))).isEqualTo(0x02);
    }
  }

  @Test
  void bindAndUnknownCommandsAreReply07() throws IOException {
    start(socks());
    for (int cmd : new int[] {2, 9}) {
      try (Socket s = open()) {
        greet(s);
        assertThat(request(s, bytes(5, cmd, 0, 1, 127, 0, 0, 1, 0, 80))).isEqualTo(0x07);
        assertClosed(s);
      }
    }
  }

  @Test
  void udpAssociateSwitchedOffIsReply07() throws IOException {
    start(socks().udpAssociate(false));
    try (Socket s = open()) {
      greet(s);
      assertThat(request(s, bytes(5, 3, 0, 1, 0, 0, 0, 0, 0, 0))).isEqualTo(0x07);
    }
  }

  @Test
  void anUnknownAddressTypeIsReply08AndClose() throws IOException {
    start(socks());
    try (Socket s = open()) {
      greet(s);
      assertThat(request(s, bytes(5, 1, 0, 7, 1, 2, 3, 4, 0, 80))).isEqualTo(0x08);
      assertClosed(s);
    }
    assertThat(server.stats().malformed()).isEqualTo(1);
  }

  @Test
  void badRequestVersionAndBadNamesAreGeneralFailures() throws IOException {
    start(socks());
    for (byte[] req :
        new byte[][] {
          bytes(4, 1, 0, 1, 127, 0, 0, 1, 0, 80),
          bytes(5, 1, 0, 3, 0, 0, 80),
          connectName("a b.test", 80),
          connectName("evil\r\n.test", 80)
        }) {
      try (Socket s = open()) {
        greet(s);
        assertThat(request(s, req)).as(Arrays.toString(req)).isEqualTo(0x01);
        assertClosed(s);
      }
    }
    assertThat(tunnel.lookups).isEmpty();
  }

  @Test
  void anotherProtocolIsClosedWithoutReply() throws IOException {
    start(socks());
    for (byte[] hello :
        new byte[][] {
          "GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
          bytes(4, 1, 0, 80, 127, 0, 0, 1, 0), // SOCKS4
          bytes(5, 0)
        }) { // no methods
      try (Socket s = open()) {
        s.getOutputStream().write(hello);
        assertClosed(s);
      }
    }
    assertThat(server.stats().malformed()).isEqualTo(3);
  }

  @Test
  void noAcceptableMethodIsFF() throws IOException {
    start(socks());
    try (Socket s = open()) {
      s.getOutputStream().write(bytes(5, 2, 1, 2)); // GSSAPI, username/password
      assertThat(read(s, 2)).containsExactly(5, 0xff);
      assertClosed(s);
    }
  }

  @Test
  void truncatedMessagesEndInATimeoutNotAStuckThread() throws IOException {
    start(socks().handshakeTimeout(Duration.ofMillis(500)));
    byte[][] partial = {
      bytes(5),
      bytes(5, 3, 0),
      bytes(5, 1, 0, 5, 1, 0),
      bytes(5, 1, 0, 5, 1, 0, 3, 10, 'a', 'b'),
      bytes(5, 1, 0, 5, 1, 0, 1, 127, 0)
    };
    for (byte[] p : partial) {
      try (Socket s = open()) {
        s.getOutputStream().write(p);
        long t0 = System.nanoTime();
        // the server may have answered the greeting; after that it must close
        InputStream in = s.getInputStream();
        while (in.read() >= 0) {
          // skip the method choice
        }
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
      }
    }
    awaitNoActive();
    assertThat(server.stats().malformed()).isEqualTo(partial.length);
  }

  @Test
  void truncatedThenClosedIsClosedAtOnce() throws IOException {
    start(socks().handshakeTimeout(Duration.ofSeconds(20)));
    try (Socket s = open()) {
      greet(s);
      s.getOutputStream().write(bytes(5, 1, 0, 1, 127));
      s.shutdownOutput();
      long t0 = System.nanoTime();
      assertClosed(s);
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    }
  }

  @Test
  void usernamePasswordSuccess() throws IOException {
    start(
        socks()
            .credentials(Socks5Credentials.of("alice", "s3cret".getBytes(StandardCharsets.UTF_8))));
    try (Socket s = open()) {
      s.getOutputStream().write(bytes(5, 2, 0, 2));
      assertThat(read(s, 2)).containsExactly(5, 2);
      s.getOutputStream()
          .write(bytes(1, 5, 'a', 'l', 'i', 'c', 'e', 6, 's', '3', 'c', 'r', 'e', 't'));
      assertThat(read(s, 2)).containsExactly(1, 0);
      assertThat(request(s, connectIpv4(echo.port()))).isZero();
      assertEchoes(s);
    }
  }

  @Test
  void usernamePasswordFailureClosesAfterStatus01() throws IOException {
    start(
        socks()
            .credentials(Socks5Credentials.of("alice", "s3cret".getBytes(StandardCharsets.UTF_8))));
    byte[][] attempts = {
      bytes(1, 5, 'a', 'l', 'i', 'c', 'e', 6, 's', '3', 'c', 'r', 'e', 'T'),
      bytes(1, 3, 'b', 'o', 'b', 6, 's', '3', 'c', 'r', 'e', 't'),
      bytes(1, 0, 0)
    };
    for (byte[] attempt : attempts) {
      try (Socket s = open()) {
        s.getOutputStream().write(bytes(5, 1, 2));
        assertThat(read(s, 2)).containsExactly(5, 2);
        s.getOutputStream().write(attempt);
        assertThat(read(s, 2)).containsExactly(1, 1);
        assertClosed(s);
      }
    }
    try (Socket s = open()) {
      s.getOutputStream().write(bytes(5, 1, 0)); // no auth offered when it is required
      assertThat(read(s, 2)).containsExactly(5, 0xff);
    }
    assertThat(server.stats().failed()).isEqualTo(4);
  }

  @Test
  void credentialsNeverShowThePassword() {
    Socks5Credentials c = Socks5Credentials.of("alice", "s3cret".getBytes(StandardCharsets.UTF_8));
    assertThat(c.toString()).contains("alice").doesNotContain("s3cret");
    assertThat(c)
        .isEqualTo(Socks5Credentials.of("alice", "s3cret".getBytes(StandardCharsets.UTF_8)));
    assertThat(c)
        .isNotEqualTo(Socks5Credentials.of("alice", "other".getBytes(StandardCharsets.UTF_8)));
    assertThatThrownBy(() -> Socks5Credentials.of("", new byte[1]))
        .hasMessageContaining("username");
    assertThatThrownBy(() -> Socks5Credentials.of("a", new byte[256]))
        .hasMessageContaining("password")
        .hasMessageContaining("256");
  }

  @Test
  void aSilentClientIsClosedAfterTheHandshakeTimeout() throws IOException {
    start(socks().handshakeTimeout(Duration.ofMillis(500)));
    try (Socket s = open()) {
      long t0 = System.nanoTime();
      assertClosed(s);
      assertThat(Duration.ofNanos(System.nanoTime() - t0))
          .isBetween(Duration.ofMillis(400), Duration.ofSeconds(10));
    }
  }

  @Test
  void closingTheServerResetsOpenConnections() throws IOException {
    start(socks());
    Socket s = open();
    greet(s);
    assertThat(request(s, connectIpv4(echo.port()))).isZero();
    server.close();
    try (s) {
      assertThatThrownBy(
              () -> {
                int b = s.getInputStream().read();
                if (b == -1) {
                  throw new IOException("clean EOF instead of a reset");
                }
              })
          .isInstanceOf(java.net.SocketException.class)
          .hasMessageContaining("reset");
    }
    assertThatThrownBy(() -> new Socket(LOOPBACK, server.address().getPort()).close())
        .isInstanceOf(java.net.ConnectException.class);
  }

  @Test
  @Timeout(120) // 3,000 threads on two shared CPUs
  void aThousandConcurrentConnects() throws Exception {
    start(socks().handshakeTimeout(Duration.ofSeconds(20)).connectTimeout(Duration.ofSeconds(20)));
    int n = 1000;
    Socket[] clients = new Socket[n];
    try {
      // every client is mid-conversation at the same time: open all, then greet all ...
      for (int i = 0; i < n; i++) {
        clients[i] = open();
        clients[i].getOutputStream().write(bytes(5, 1, 0));
        clients[i].getOutputStream().write(connectIpv4(echo.port()));
      }
      for (int i = 0; i < n; i++) {
        assertThat(read(clients[i], 2)).containsExactly(5, 0);
        assertThat(read(clients[i], 10)[1]).as("reply of client %d", i).isZero();
      }
      assertThat(server.stats().active()).isEqualTo(n);
      for (int i = 0; i < n; i++) {
        clients[i].getOutputStream().write(new byte[] {(byte) i, (byte) (i >> 8)});
      }
      for (int i = 0; i < n; i++) {
        assertThat(read(clients[i], 2)).containsExactly((byte) i, (byte) (i >> 8));
      }
    } finally {
      for (Socket c : clients) {
        if (c != null) {
          c.close();
        }
      }
    }
    awaitNoActive();
    assertThat(server.stats().accepted()).isEqualTo(n);
    assertThat(server.stats().rejected()).isZero();
  }

  @Test
  void overTheConnectionLimitIsClosedAndCounted() throws IOException {
    start(socks().maxConnections(2).handshakeTimeout(Duration.ofSeconds(20)));
    try (Socket a = open();
        Socket b = open()) {
      greet(a);
      greet(b);
      try (Socket c = open()) {
        assertThat(c.getInputStream().read()).isEqualTo(-1);
      } catch (java.net.SocketException reset) {
        // closed with a reset: as good
      }
      assertThat(server.stats().rejected()).isEqualTo(1);
    }
  }

  void awaitNoActive() {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (server.stats().active() != 0 && System.nanoTime() < deadline) {
      sleep(10);
    }
    assertThat(server.stats().active()).isZero();
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
