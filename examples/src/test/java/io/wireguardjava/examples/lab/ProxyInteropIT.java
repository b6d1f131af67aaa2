package io.wireguardjava.examples.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.wireguardjava.examples.lab.InteropLab.Underlay;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code wg-java proxy} end to end, as a user runs it: the shaded jar as nobody in a namespace
 * without a TUN (SOCKS5 on 127.0.0.1:1080, HTTP on 127.0.0.1:8080), a wireguard-go peer with a file
 * server on 10.201.0.1:8000 that is known by a name only the peer's dnsmasq answers for. curl
 * ({@code --socks5-hostname}, {@code -x http://}) fetches a {@value #BIG}-byte file, curl with
 * CONNECT ({@code --proxytunnel}) and the JDK HttpClient a {@value #SMALL}-byte one (to keep the
 * suite's time down), SHA-256 compared; a DNS query goes through SOCKS5 UDP ASSOCIATE. Fails (never
 * skips) under CI=true when something is missing.
 */
class ProxyInteropIT {
  static final long BIG = 50_000_000L;
  static final long SMALL = 10_000_000L;
  static final Duration LONG = Duration.ofSeconds(120);
  static final Duration SHORT = Duration.ofSeconds(30);
  static final String URL = "http://" + InteropLab.NAME + ":8000/big.bin";
  static final String SMALL_URL = "http://" + InteropLab.NAME + ":8000/small.bin";

  private static InteropLab lab;
  private static AgentProcess local;
  private static String sha;
  private static String smallSha;

  @BeforeAll
  static void start() throws Exception {
    InteropTools.require();
    Lab.requireTools("curl", "getent");
    lab = new InteropLab(InteropLab.currentWireguardGo(), Duration.ZERO, 0);
    sha = lab.peerFile("big.bin", BIG);
    smallSha = lab.peerFile("small.bin", SMALL);
    lab.startPeerFileServer(8000);
    Path conf = lab.nobodysConfig(Underlay.CLEAN);
    lab.startWgJavaAsNobody(
        "proxy",
        "proxy",
        conf.toString(),
        "--socks5",
        "127.0.0.1:1080",
        "--http",
        "127.0.0.1:8080");
    local = lab.startLocalAgent();
  }

  @AfterAll
  static void stop() throws Exception {
    if (lab != null) {
      lab.close();
    }
  }

  private static String ours(String script) {
    return lab.lab.exec(lab.nsOurs, LONG, "sh", "-c", script).ok(script).out();
  }

  @Test
  void theNameIsUnknownOutsideTheTunnel() {
    assertThat(lab.lab.exec(lab.nsOurs, SHORT, "getent", "hosts", InteropLab.NAME).exit())
        .isNotZero();
  }

  @Test
  void curlThroughSocks5WithTheNameResolvedInTheTunnel() {
    assertThat(ours("curl -sS --fail --socks5-hostname 127.0.0.1:1080 " + URL + " | sha256sum"))
        .startsWith(sha);
  }

  @Test
  void curlThroughTheHttpProxyAbsoluteFormAndConnect() {
    assertThat(ours("curl -sS --fail -x http://127.0.0.1:8080 " + URL + " | sha256sum"))
        .startsWith(sha);
    assertThat(
            ours(
                "curl -sS --fail --proxytunnel -x http://127.0.0.1:8080 "
                    + SMALL_URL
                    + " | sha256sum"))
        .startsWith(smallSha);
  }

  @Test
  void jdkHttpClientThroughTheHttpProxy() {
    String[] got = local.call("http-get " + SMALL_URL + " 127.0.0.1 8080", LONG).split(" ");
    assertThat(got[0]).isEqualTo(Long.toString(SMALL));
    assertThat(got[1]).isEqualTo(smallSha);
  }

  @Test
  void dnsQueryThroughSocks5UdpAssociate() {
    assertThat(
            local.call(
                "socks5-dns 127.0.0.1 1080 " + InteropLab.PEER4 + " " + InteropLab.NAME, SHORT))
        .isEqualTo(InteropLab.PEER4);
  }
}
