package io.wireguardjava.netstack.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The HTTP proxy against the JDK's own HTTP server and client, and raw bytes. */
@Timeout(30)
class HttpProxyServerTest {
  static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  FakeTunnel tunnel;
  HttpServer origin;
  HttpProxyServer proxy;

  /** The remote port of every request the origin served: one per upstream connection. */
  final Set<Integer> upstreamPorts = ConcurrentHashMap.newKeySet();

  final List<Map<String, List<String>>> seenHeaders = new CopyOnWriteArrayList<>();
  final List<String> seenPaths = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() throws IOException {
    tunnel = new FakeTunnel();
    origin = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 50);
    origin.createContext(
        "/",
        ex -> {
          upstreamPorts.add(ex.getRemoteAddress().getPort());
          seenHeaders.add(ex.getRequestHeaders());
          seenPaths.add(ex.getRequestURI().toString());
          byte[] in = ex.getRequestBody().readAllBytes();
          String path = ex.getRequestURI().getPath();
          byte[] body =
              path.equals("/echo") ? in : ("hello " + path).getBytes(StandardCharsets.UTF_8);
          if (path.equals("/chunked")) {
            ex.sendResponseHeaders(200, 0); // chunked
          } else {
            ex.sendResponseHeaders(200, body.length);
          }
          try (OutputStream o = ex.getResponseBody()) {
            o.write(body);
          }
        });
    origin.start();
    proxy =
        HttpProxyServer.builder(tunnel)
            .bind(new InetSocketAddress(LOOPBACK, 0))
            .handshakeTimeout(Duration.ofSeconds(3))
            .connectTimeout(Duration.ofSeconds(3))
            .idleTimeout(Duration.ofSeconds(5))
            .start();
  }

  @AfterEach
  void tearDown() {
    proxy.close();
    origin.stop(0);
  }

  String originUrl(String path) {
    return "http://127.0.0.1:" + origin.getAddress().getPort() + path;
  }

  Socket open() throws IOException {
    Socket s = new Socket(LOOPBACK, proxy.address().getPort());
    s.setSoTimeout(5000);
    return s;
  }

  static void write(Socket s, String text) throws IOException {
    s.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** One response: head text and body (by Content-Length, chunked raw, or until close). */
  record Response(int status, String head, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    boolean has(String field) {
      return head.toLowerCase(Locale.ROOT).contains("\r\n" + field.toLowerCase(Locale.ROOT));
    }
  }

  static Response read(Socket s) throws IOException {
    InputStream in = s.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed inside the head: " + head);
      }
      head.write(b);
    }
    String h = head.toString(StandardCharsets.ISO_8859_1);
    int status = Integer.parseInt(h.substring(9, 12));
    String lower = h.toLowerCase(Locale.ROOT);
    int cl = lower.indexOf("\r\ncontent-length: ");
    byte[] body;
    if (cl >= 0) {
      int end = lower.indexOf("\r\n", cl + 2);
      int n = Integer.parseInt(h.substring(cl + 18, end).trim());
      body = in.readNBytes(n);
    } else if (lower.contains("\r\ntransfer-encoding: chunked")) {
      ByteArrayOutputStream raw = new ByteArrayOutputStream();
      while (!raw.toString(StandardCharsets.ISO_8859_1).endsWith("0\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          throw new IOException("closed inside a chunked body");
        }
        raw.write(b);
      }
      body = raw.toByteArray();
    } else {
      body = in.readAllBytes();
    }
    return new Response(status, h, body);
  }

  @Test
  void absoluteFormGetsWithKeepAliveReuseOneUpstreamConnection() throws IOException {
    try (Socket s = open()) {
      for (int i = 0; i < 3; i++) {
        write(
            s,
            "GET "
                + originUrl("/a" + i + "?q=" + i)
                + " HTTP/1.1\r\nHost: wrong.example\r\n"
                + "Proxy-Connection: keep-alive\r\nConnection: X-Secret\r\nX-Secret: hop\r\n"
                + "X-End: to-end\r\n\r\n");
        Response r = read(s);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("hello /a" + i);
        assertThat(r.has("Connection: keep-alive")).isTrue();
      }
    }
    assertThat(upstreamPorts).as("one upstream connection for three requests").hasSize(1);
    assertThat(seenPaths).containsExactly("/a0?q=0", "/a1?q=1", "/a2?q=2");
    Map<String, List<String>> h = seenHeaders.get(0);
    assertThat(h.get("Host")).containsExactly("127.0.0.1:" + origin.getAddress().getPort());
    assertThat(h.get("X-end")).containsExactly("to-end");
    assertThat(h).doesNotContainKeys("Proxy-connection", "X-secret", "Connection");
  }

  @Test
  void theJdkHttpClientThroughTheProxyWithANameOnlyTheTunnelKnows() throws Exception {
    tunnel.name("web.only-in-tunnel.test", LOOPBACK);
    HttpClient client = HttpClient.newBuilder().proxy(ProxySelector.of(proxy.address())).build();
    URI uri = URI.create("http://web.only-in-tunnel.test:" + origin.getAddress().getPort() + "/x");
    for (int i = 0; i < 2; i++) {
      HttpResponse<String> r =
          client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("hello /x");
    }
    HttpResponse<String> post =
        client.send(
            HttpRequest.newBuilder(uri.resolve("/echo"))
                .expectContinue(true)
                .POST(HttpRequest.BodyPublishers.ofString("posted body"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(post.body()).isEqualTo("posted body");
    assertThat(tunnel.lookups).contains("web.only-in-tunnel.test");
  }

  @Test
  void requestBodiesByLengthAndChunked() throws IOException {
    try (Socket s = open()) {
      write(s, "POST " + originUrl("/echo") + " HTTP/1.1\r\nContent-Length: 5\r\n\r\nabcde");
      assertThat(read(s).text()).isEqualTo("abcde");
      write(
          s,
          "POST "
              + originUrl("/echo")
              + " HTTP/1.1\r\nTransfer-Encoding: chunked\r\n"
              + "Content-Length: 999\r\n\r\n3\r\nabc\r\n2;ext=1\r\nde\r\n0\r\n\r\n");
      assertThat(read(s).text()).isEqualTo("abcde");
    }
  }

  @Test
  void aChunkedResponseStaysChunkedForHttp11AndIsDechunkedForHttp10() throws IOException {
    try (Socket s = open()) {
      write(s, "GET " + originUrl("/chunked") + " HTTP/1.1\r\n\r\n");
      Response r = read(s);
      assertThat(r.has("Transfer-Encoding: chunked")).isTrue();
      assertThat(new String(r.body(), StandardCharsets.US_ASCII))
          .endsWith("0\r\n\r\n")
          .contains("hello /chunked");
    }
    try (Socket s = open()) {
      write(s, "GET " + originUrl("/chunked") + " HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
      Response r = read(s);
      assertThat(r.has("Transfer-Encoding")).isFalse();
      assertThat(r.has("Connection: close")).isTrue();
      assertThat(r.text()).isEqualTo("hello /chunked");
      assertThat(s.getInputStream().read()).isEqualTo(-1);
    }
  }

  @Test
  void aCloseDelimitedResponseEndsTheClientConnection() throws Exception {
    try (ServerSocket raw = new ServerSocket(0, 5, LOOPBACK)) {
      Thread t =
          new Thread(
              () -> {
                try (Socket c = raw.accept()) {
                  c.getInputStream().read(new byte[4096]);
                  c.getOutputStream()
                      .write(
                          "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil close"
                              .getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                  throw new AssertionError(e);
                }
              });
      t.start();
      try (Socket s = open()) {
        write(s, "GET http://127.0.0.1:" + raw.getLocalPort() + "/ HTTP/1.1\r\n\r\n");
        Response r = read(s);
        assertThat(r.has("Connection: close")).isTrue();
        assertThat(r.text()).isEqualTo("until close");
      }
      t.join();
    }
  }

  @Test
  void connectSplicesAndKeepsBytesSentBehindTheRequest() throws IOException {
    try (Servers.Echo echo = new Servers.Echo();
        Socket s = open()) {
      write(s, "CONNECT 127.0.0.1:" + echo.port() + " HTTP/1.1\r\nHost: x\r\n\r\nearly bytes");
      Response r = readHeadOnly(s);
      assertThat(r.status()).isEqualTo(200);
      assertThat(s.getInputStream().readNBytes(11))
          .isEqualTo("early bytes".getBytes(StandardCharsets.US_ASCII));
      write(s, "more");
      assertThat(s.getInputStream().readNBytes(4))
          .isEqualTo("more".getBytes(StandardCharsets.US_ASCII));
    }
  }

  static Response readHeadOnly(Socket s) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    InputStream in = s.getInputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed inside the head: " + head);
      }
      head.write(b);
    }
    String h = head.toString(StandardCharsets.ISO_8859_1);
    return new Response(Integer.parseInt(h.substring(9, 12)), h, new byte[0]);
  }

  @Test
  void unreachableDestinationsGetTheirStatus() throws IOException {
    InetAddress blackHole = InetAddress.getByName("127.0.0.3");
    tunnel.blackHoles.add(blackHole);
    proxy.close();
    proxy =
        HttpProxyServer.builder(tunnel)
            .bind(new InetSocketAddress(LOOPBACK, 0))
            .connectTimeout(Duration.ofMillis(300))
            .handshakeTimeout(Duration.ofSeconds(3))
            .allow(a -> a.getPort() != 4444)
            .start();
    Object[][] cases = {
      {"CONNECT 127.0.0.1:" + Servers.closedPort() + " HTTP/1.1", 502, "refused"},
      {"CONNECT nowhere.test:443 HTTP/1.1", 502, "unknown host nowhere.test"},
      {"CONNECT 127.0.0.3:443 HTTP/1.1", 504, "timed out"},
      {"CONNECT 127.0.0.1:4444 HTTP/1.1", 403, "not allowed"},
      {"GET http://127.0.0.1:4444/ HTTP/1.1", 403, "not allowed"},
      {"GET http://127.0.0.1:" + Servers.closedPort() + "/ HTTP/1.1", 502, "refused"}
    };
    for (Object[] c : cases) {
      try (Socket s = open()) {
        write(s, c[0] + "\r\n\r\n");
        Response r = read(s);
        assertThat(r.status()).as((String) c[0]).isEqualTo(c[1]);
        assertThat(r.text()).containsIgnoringCase((String) c[2]);
        assertThat(r.has("Connection: close")).isTrue();
      }
    }
    assertThat(proxy.stats().failed()).isEqualTo(cases.length);
  }

  @Test
  void malformedRequestsGetAClearStatusAndAClose() throws IOException {
    Object[][] cases = {
      {"hello\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\n\r\n", 400},
      {"GET https://example.test/ HTTP/1.1\r\n\r\n", 400},
      {"GET http://user@127.0.0.1/ HTTP/1.1\r\n\r\n", 400},
      {"GET http://127.0.0.1:99999/ HTTP/1.1\r\n\r\n", 400},
      {"GET http://[::1/ HTTP/1.1\r\n\r\n", 400},
      {"CONNECT 127.0.0.1 HTTP/1.1\r\n\r\n", 400},
      {"CONNECT a b:1 HTTP/1.1\r\n\r\n", 400},
      {"GET http://x.test/ HTTP/2.0\r\n\r\n", 505},
      {"GET http://x.test/ HTTP/1.1\r\nBad Field: x\r\n\r\n", 400},
      {"GET http://x.test/ HTTP/1.1\r\nA: b\r\n folded\r\n\r\n", 400},
      {"GET http://x.test/ HTTP/1.1\r\nContent-Length: 1, 2\r\n\r\n", 400},
      {"GET http://x.test/ HTTP/1.1\r\nContent-Length: -1\r\n\r\n", 400},
      {"POST http://x.test/ HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", 400},
      {"GET http://x.test/ HTTP/1.1\r\nX: " + "a".repeat(9000) + "\r\n\r\n", 431},
      {"GET http://x.test/" + "a".repeat(9000) + " HTTP/1.1\r\n\r\n", 431}
    };
    for (Object[] c : cases) {
      try (Socket s = open()) {
        write(s, (String) c[0]);
        Response r = read(s);
        assertThat(r.status()).as(Printable.of((String) c[0])).isEqualTo(c[1]);
        assertThat(r.has("Connection: close")).isTrue();
        assertThat(s.getInputStream().read()).isEqualTo(-1);
      }
    }
    assertThat(tunnel.lookups).isEmpty();
    assertThat(proxy.stats().malformed()).isEqualTo(cases.length);
  }

  @Test
  void aTruncatedHeadEndsInATimeoutAndABadChunkedBodyInAClose() throws IOException {
    proxy.close();
    proxy =
        HttpProxyServer.builder(tunnel)
            .bind(new InetSocketAddress(LOOPBACK, 0))
            .handshakeTimeout(Duration.ofMillis(500))
            .start();
    try (Socket s = open()) {
      write(s, "GET http://127.0.0.1/ HTTP/1.1\r\nHost: x");
      long t0 = System.nanoTime();
      assertThat(s.getInputStream().read()).isEqualTo(-1);
      assertThat(Duration.ofNanos(System.nanoTime() - t0))
          .isBetween(Duration.ofMillis(400), Duration.ofSeconds(10));
    }
    try (Socket s = open()) {
      write(
          s,
          "POST "
              + originUrl("/echo")
              + " HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
              + "zz\r\n");
      // the origin waits for the rest of the body: the proxy stops both and says why
      Response r = read(s);
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.text()).contains("chunk size");
    }
  }

  @Test
  void aClosedKeepAliveUpstreamIsReopenedForTheNextRequest() throws Exception {
    try (ServerSocket raw = new ServerSocket(0, 5, LOOPBACK)) {
      Thread t =
          new Thread(
              () -> {
                try {
                  for (int i = 0; i < 2; i++) {
                    try (Socket c = raw.accept()) {
                      c.getInputStream().read(new byte[4096]);
                      // keep-alive promised, then closed once the response is out
                      c.getOutputStream()
                          .write(
                              ("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nr" + i)
                                  .getBytes(StandardCharsets.US_ASCII));
                    }
                  }
                } catch (IOException e) {
                  throw new AssertionError(e);
                }
              });
      t.start();
      try (Socket s = open()) {
        String get = "GET http://127.0.0.1:" + raw.getLocalPort() + "/ HTTP/1.1\r\n\r\n";
        write(s, get);
        assertThat(read(s).text()).isEqualTo("r0");
        Thread.sleep(100); // the server's FIN reaches the proxy
        write(s, get);
        assertThat(read(s).text()).isEqualTo("r1");
      }
      t.join();
    }
  }
}
