package io.wireguardjava.netstack.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Real clients against the proxies over the fake tunnel: curl ({@code --socks5-hostname}, {@code -x
 * http://}, {@code -p} for CONNECT) and the JDK's own SOCKS client. The name used is known only to
 * the fake tunnel's DNS, so a client or proxy that resolved it on the host fails. Without curl the
 * curl tests are skipped, except with {@code CI=true}, where they fail.
 */
@Timeout(60)
class ClientInteropTest {
  static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  static final String NAME = "web.hpx-only-in-tunnel.test";
  static final byte[] BODY = new byte[5 << 20];

  static {
    new Random(42).nextBytes(BODY);
  }

  FakeTunnel tunnel;
  HttpServer origin;
  Socks5Server socks;
  HttpProxyServer http;

  @BeforeEach
  void setUp() throws IOException {
    tunnel = new FakeTunnel().name(NAME, LOOPBACK);
    origin = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 50);
    origin.createContext(
        "/file",
        ex -> {
          ex.getRequestBody().readAllBytes();
          ex.sendResponseHeaders(200, BODY.length);
          try (OutputStream o = ex.getResponseBody()) {
            o.write(BODY);
          }
        });
    origin.start();
    socks = Socks5Server.builder(tunnel).bind(new InetSocketAddress(LOOPBACK, 0)).start();
    http = HttpProxyServer.builder(tunnel).bind(new InetSocketAddress(LOOPBACK, 0)).start();
  }

  @AfterEach
  void tearDown() {
    socks.close();
    http.close();
    origin.stop(0);
  }

  static String curl() {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      Path p = Path.of(dir, "curl");
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    if ("true".equals(System.getenv("CI"))) {
      throw new AssertionError("curl is needed for this test in CI (apt-get install curl)");
    }
    Assumptions.abort("curl is not installed");
    throw new AssertionError("unreachable");
  }

  /** Runs curl, returns the SHA-256 of what it printed. */
  static String curlSha256(String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                curl(), "--silent", "--show-error", "--fail", "--max-time", "30", "--noproxy", ""));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    MessageDigest d = MessageDigest.getInstance("SHA-256");
    try (InputStream in = p.getInputStream()) {
      byte[] buf = new byte[65536];
      int n;
      while ((n = in.read(buf)) >= 0) {
        d.update(buf, 0, n);
      }
    }
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("curl " + cmd).isZero();
    return HexFormat.of().formatHex(d.digest());
  }

  static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  String url() {
    return "http://" + NAME + ":" + origin.getAddress().getPort() + "/file";
  }

  @Test
  void curlSocks5Hostname() throws Exception {
    assertThat(curlSha256("--socks5-hostname", "127.0.0.1:" + socks.address().getPort(), url()))
        .isEqualTo(sha256(BODY));
    assertThat(tunnel.lookups).containsExactly(NAME);
  }

  @Test
  void curlHttpProxyGetAndConnect() throws Exception {
    String proxy = "http://127.0.0.1:" + http.address().getPort();
    assertThat(curlSha256("-x", proxy, url())).isEqualTo(sha256(BODY));
    assertThat(curlSha256("-x", proxy, "--proxytunnel", url())).isEqualTo(sha256(BODY));
    assertThat(http.stats().bytesIn()).isGreaterThanOrEqualTo(2L * BODY.length);
  }

  @Test
  void theJdkSocksClientWithAnUnresolvedName() throws Exception {
    Proxy proxy = new Proxy(Proxy.Type.SOCKS, socks.address());
    try (Socket s = new Socket(proxy)) {
      s.connect(InetSocketAddress.createUnresolved(NAME, origin.getAddress().getPort()), 5000);
      s.setSoTimeout(10_000);
      s.getOutputStream()
          .write(
              ("GET /file HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      byte[] all = s.getInputStream().readAllBytes();
      assertThat(new String(all, 0, 15, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200 OK");
      assertThat(all.length).isGreaterThan(BODY.length);
    }
    assertThat(tunnel.lookups).containsExactly(NAME);
  }
}
