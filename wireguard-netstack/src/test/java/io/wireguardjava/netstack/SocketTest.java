package io.wireguardjava.netstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** java.net.Socket / ServerSocket semantics over the tunnel network. */
class SocketTest {
  private static final Duration T = Duration.ofSeconds(20);
  private static NetworkPair pair;

  @BeforeAll
  static void open() throws Exception {
    pair = new NetworkPair();
  }

  @AfterAll
  static void close() {
    pair.close();
  }

  private static <V> CompletableFuture<V> async(java.util.concurrent.Callable<V> c) {
    CompletableFuture<V> f = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                f.complete(c.call());
              } catch (Throwable e) {
                f.completeExceptionally(e);
              }
            });
    t.setDaemon(true);
    t.start();
    return f;
  }

  @ParameterizedTest(name = "ipv6={0}")
  @ValueSource(booleans = {false, true})
  void echoWithAddressesHalfCloseAndEof(boolean v6) throws Exception {
    try (ServerSocket server = pair.b.listen(8000 + (v6 ? 1 : 0))) {
      assertThat(server.getLocalPort()).isEqualTo(8000 + (v6 ? 1 : 0));
      CompletableFuture<String> served =
          async(
              () -> {
                try (Socket s = server.accept()) {
                  byte[] all = s.getInputStream().readAllBytes(); // until the client's FIN
                  s.getOutputStream()
                      .write(
                          ("got " + new String(all, StandardCharsets.UTF_8))
                              .getBytes(StandardCharsets.UTF_8));
                  return s.getInetAddress().getHostAddress()
                      + " "
                      + s.getLocalAddress().getHostAddress();
                }
              });
      InetSocketAddress to =
          new InetSocketAddress(v6 ? NetworkPair.B6 : NetworkPair.B4, server.getLocalPort());
      try (Socket c = pair.a.connect(to, T)) {
        assertThat(c.isConnected()).isTrue();
        assertThat(c.getInetAddress()).isEqualTo(to.getAddress());
        assertThat(c.getPort()).isEqualTo(to.getPort());
        assertThat(c.getLocalAddress()).isEqualTo(v6 ? NetworkPair.A6 : NetworkPair.A4);
        assertThat(c.getLocalPort()).isPositive();
        c.setSoTimeout((int) T.toMillis());
        c.getOutputStream().write("ping".getBytes(StandardCharsets.UTF_8));
        c.shutdownOutput(); // half close: we can still read the answer
        assertThat(c.isOutputShutdown()).isTrue();
        String answer = new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(answer).isEqualTo("got ping");
        assertThat(c.getInputStream().read()).isEqualTo(-1); // EOF stays EOF
      }
      String addrs = served.get(30, TimeUnit.SECONDS);
      assertThat(addrs)
          .isEqualTo(
              (v6 ? NetworkPair.A6 : NetworkPair.A4).getHostAddress()
                  + " "
                  + (v6 ? NetworkPair.B6 : NetworkPair.B4).getHostAddress());
    }
  }

  @Test
  void sixteenMiBEachWayThroughRealTunnelsArriveIntact() throws Exception {
    int size = 16 << 20;
    try (ServerSocket server = pair.b.listen(8050)) {
      CompletableFuture<Socket> accepted = async(server::accept);
      try (Socket c = pair.a.connect(new InetSocketAddress(NetworkPair.B6, 8050), T);
          Socket s = accepted.get(30, TimeUnit.SECONDS)) {
        c.setSoTimeout(60_000);
        s.setSoTimeout(60_000);
        long start = System.nanoTime();
        CompletableFuture<byte[]> aSent = async(() -> sendRandom(c, size, 1));
        CompletableFuture<byte[]> bSent = async(() -> sendRandom(s, size, 2));
        CompletableFuture<byte[]> bGot = async(() -> digestToEof(s, size));
        byte[] aGot = digestToEof(c, size);
        assertThat(bGot.get(120, TimeUnit.SECONDS)).isEqualTo(aSent.get(120, TimeUnit.SECONDS));
        assertThat(aGot).isEqualTo(bSent.get(120, TimeUnit.SECONDS));
        System.out.printf(
            "16 MiB each way over IPv6 through two tunnels: %.1f s%n",
            (System.nanoTime() - start) / 1e9);
      }
    }
  }

  private static byte[] sendRandom(Socket s, int size, long seed) throws Exception {
    java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
    java.util.Random r = new java.util.Random(seed);
    byte[] buf = new byte[32 * 1024];
    OutputStream out = s.getOutputStream();
    for (int left = size; left > 0; left -= buf.length) {
      r.nextBytes(buf);
      int n = Math.min(left, buf.length);
      out.write(buf, 0, n);
      md.update(buf, 0, n);
    }
    s.shutdownOutput();
    return md.digest();
  }

  private static byte[] digestToEof(Socket s, int size) throws Exception {
    java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
    byte[] buf = new byte[32 * 1024];
    InputStream in = s.getInputStream();
    long total = 0;
    for (int n; (n = in.read(buf)) >= 0; ) {
      md.update(buf, 0, n);
      total += n;
    }
    assertThat(total).isEqualTo(size);
    return md.digest();
  }

  @Test
  void soTimeoutOnReadAndAccept() throws Exception {
    try (ServerSocket server = pair.b.listen(8010)) {
      server.setSoTimeout(100);
      assertThat(server.getSoTimeout()).isEqualTo(100);
      assertThatThrownBy(server::accept).isInstanceOf(SocketTimeoutException.class);
      server.setSoTimeout(0);
      CompletableFuture<Socket> accepted = async(server::accept);
      try (Socket c = pair.a.connect(new InetSocketAddress(NetworkPair.B4, 8010), T);
          Socket s = accepted.get(30, TimeUnit.SECONDS)) {
        c.setSoTimeout(100);
        long start = System.nanoTime();
        assertThatThrownBy(() -> c.getInputStream().read())
            .isInstanceOf(SocketTimeoutException.class);
        assertThat(System.nanoTime() - start)
            .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(90));
        // The socket is still usable after a timeout, as a kernel socket.
        s.getOutputStream().write(42);
        c.setSoTimeout((int) T.toMillis());
        assertThat(c.getInputStream().read()).isEqualTo(42);
      }
    }
  }

  @Test
  void refusedConnectionAndReset() throws Exception {
    assertThatThrownBy(() -> pair.a.connect(new InetSocketAddress(NetworkPair.B4, 8999), T))
        .isInstanceOf(ConnectException.class)
        .hasMessageContaining("refused");
    try (ServerSocket server = pair.b.listen(8020)) {
      CompletableFuture<Socket> accepted = async(server::accept);
      try (Socket c = pair.a.connect(new InetSocketAddress(NetworkPair.B4, 8020), T)) {
        Socket s = accepted.get(30, TimeUnit.SECONDS);
        s.setSoLinger(true, 0);
        s.close(); // linger 0: RST
        c.setSoTimeout((int) T.toMillis());
        assertThatThrownBy(() -> c.getInputStream().read())
            .isInstanceOf(SocketException.class)
            .hasMessageContaining("reset");
      }
    }
  }

  @Test
  void optionsReachTheConnection() throws Exception {
    try (ServerSocket server = pair.b.listen(8030)) {
      CompletableFuture<Socket> accepted = async(server::accept);
      Socket c = pair.a.socketFactory().createSocket(); // unconnected, as OkHttp does
      c.setTcpNoDelay(true);
      c.setKeepAlive(true);
      c.setReceiveBufferSize(1 << 20);
      c.connect(new InetSocketAddress(NetworkPair.B4, 8030), (int) T.toMillis());
      try (c;
          Socket s = accepted.get(30, TimeUnit.SECONDS)) {
        assertThat(c.getTcpNoDelay()).isTrue();
        assertThat(c.getKeepAlive()).isTrue();
        assertThat(c.getReceiveBufferSize()).isGreaterThanOrEqualTo(1 << 20);
        c.setTcpNoDelay(false);
        assertThat(c.getTcpNoDelay()).isFalse();
        assertThat(s.getRemoteSocketAddress()).isEqualTo(c.getLocalSocketAddress());
      }
      assertThat(c.isClosed()).isTrue();
    }
  }

  @Test
  void unresolvedAddressesAreResolvedThroughTheTunnelOnly() {
    // a has b as DNS server, and nothing answers DNS on b here: the name is not found through
    // the tunnel, and the host's resolver (which knows "localhost") is never asked.
    assertThatThrownBy(
            () ->
                pair.a.connect(
                    InetSocketAddress.createUnresolved("localhost", 80), Duration.ofSeconds(30)))
        .isInstanceOf(java.net.UnknownHostException.class);
  }

  @Test
  void closingTheNetworkResetsItsConnections() throws Exception {
    try (NetworkPair p = new NetworkPair();
        ServerSocket server = p.b.listen(8040)) {
      CompletableFuture<Socket> accepted = async(server::accept);
      Socket c = p.a.connect(new InetSocketAddress(NetworkPair.B4, 8040), T);
      Socket s = accepted.get(30, TimeUnit.SECONDS);
      s.setSoTimeout((int) T.toMillis());
      p.a.close();
      assertThatThrownBy(() -> s.getInputStream().read())
          .isInstanceOf(SocketException.class)
          .hasMessageContaining("reset");
      assertThatThrownBy(() -> c.getOutputStream().write(1)).isInstanceOf(SocketException.class);
      assertThatThrownBy(() -> p.a.listen(1)).isInstanceOf(SocketException.class);
    }
  }
}
