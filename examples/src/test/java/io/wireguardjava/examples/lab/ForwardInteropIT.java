package io.wireguardjava.examples.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.wireguardjava.examples.lab.InteropLab.Underlay;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code wg-java forward} end to end: the shaded jar as nobody in a namespace without a TUN, a
 * wireguard-go peer with the kernel's TCP/UDP. {@code -L} TCP (to a name only the peer's dnsmasq
 * knows) both ways and {@code -L udp:}, {@code -R} TCP reached from the peer side, each {@value
 * #BULK} bytes with SHA-256 compared. Fails (never skips) under CI=true when something is missing.
 */
class ForwardInteropIT {
  static final long BULK = 20_000_000L;
  static final Duration LONG = Duration.ofSeconds(120);
  static final Duration SHORT = Duration.ofSeconds(30);

  private static InteropLab lab;
  private static AgentProcess local;
  private static AgentProcess peerAgent;

  @BeforeAll
  static void start() throws Exception {
    InteropTools.require();
    lab = new InteropLab(InteropLab.currentWireguardGo(), Duration.ZERO, 0);
    Path conf = lab.nobodysConfig(Underlay.CLEAN);
    lab.startWgJavaAsNobody(
        "forward",
        "forward",
        conf.toString(),
        "-L",
        "127.0.0.1:9001:" + InteropLab.NAME + ":5301",
        "-L",
        "9003:" + InteropLab.PEER4 + ":5303",
        "-L",
        "udp:127.0.0.1:9002:" + InteropLab.PEER4 + ":6301",
        "-R",
        "5401:127.0.0.1:9401");
    local = lab.startLocalAgent();
    peerAgent = lab.startPeerAgent();
  }

  @AfterAll
  static void stop() throws Exception {
    if (lab != null) {
      lab.close();
    }
  }

  @Test
  void localTcpForwardToANameInTheTunnelBothWays() throws InterruptedException {
    CompletableFuture<Lab.Result> sink =
        lab.peerShellAsync(LONG, "nc -l -d " + InteropLab.PEER4 + " 5301 | sha256sum");
    lab.awaitPeerListening(5301);
    String[] sent = local.call("send 127.0.0.1 9001 " + BULK, LONG).split(" ");
    assertThat(sink.join().ok("nc server").out()).startsWith(sent[1]);
    NetstackInteropIT.report("forward -L: local -> peer", sent);

    String sha = lab.peerFile("bulk-5303", BULK);
    CompletableFuture<Lab.Result> source =
        lab.peerShellAsync(
            LONG, "nc -l -N " + InteropLab.PEER4 + " 5303 < " + lab.path("bulk-5303"));
    lab.awaitPeerListening(5303);
    String[] got = local.call("recv 127.0.0.1 9003", LONG).split(" ");
    source.join().ok("nc server");
    assertThat(got[1]).isEqualTo(sha);
    NetstackInteropIT.report("forward -L: peer -> local", got);
  }

  @Test
  void localUdpForward() {
    AgentProcess.Pending echo = peerAgent.start("udp-echo 6301 50").listening(SHORT);
    assertThat(local.call("udp-ping 127.0.0.1 9002 50 1000", SHORT)).isEqualTo("50");
    assertThat(echo.ok(SHORT)).isEqualTo("50");
  }

  @Test
  void remoteTcpForwardReachedFromThePeer() {
    String sha = lab.peerFile("bulk-5401", BULK);
    AgentProcess.Pending server = local.start("serve-recv 9401").listening(SHORT);
    lab.peerShell(LONG, "nc -N " + InteropLab.OURS4 + " 5401 < " + lab.path("bulk-5401"))
        .ok("nc through -R");
    String[] got = server.ok(SHORT).split(" ");
    assertThat(got[1]).isEqualTo(sha);
    NetstackInteropIT.report("forward -R: peer -> local", got);
  }
}
