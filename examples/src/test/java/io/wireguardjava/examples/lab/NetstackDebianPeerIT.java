package io.wireguardjava.examples.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.wireguardjava.examples.lab.InteropLab.Underlay;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The same stack against Debian's older wireguard-go (0.0.20220316, no TSO/GSO on its TUN, so the
 * kernel sends it plain MTU-sized segments): TCP both ways in both roles ({@value #BULK} bytes
 * each, SHA-256 compared), UDP and ping both ways. The full matrix runs against the current build
 * in {@link NetstackInteropIT}.
 */
class NetstackDebianPeerIT {
  static final long BULK = 10_000_000L;
  static final Duration BULK_TIME = Duration.ofSeconds(120);
  static final Duration SHORT = Duration.ofSeconds(30);

  private static InteropLab lab;
  private static AgentProcess ours;
  private static AgentProcess peerAgent;

  @BeforeAll
  static void start() throws Exception {
    InteropTools.require();
    lab = new InteropLab(InteropLab.debianWireguardGo(), Duration.ZERO, 0);
    ours = lab.startOurs(InteropTools.side(), Underlay.CLEAN);
    peerAgent = lab.startPeerAgent();
  }

  @AfterAll
  static void stop() throws Exception {
    if (lab != null) {
      lab.close();
    }
  }

  @Test
  void tcpBothWaysInBothRoles() throws InterruptedException {
    CompletableFuture<Lab.Result> sink =
        lab.peerShellAsync(BULK_TIME, "nc -l -d " + InteropLab.PEER4 + " 5201 | sha256sum");
    lab.awaitPeerListening(5201);
    String[] sent = ours.call("send " + InteropLab.PEER4 + " 5201 " + BULK, BULK_TIME).split(" ");
    assertThat(sink.join().ok("nc server").out()).startsWith(sent[1]);
    NetstackInteropIT.report("debian peer: java client -> linux server", sent);

    String sha = lab.peerFile("bulk-5202", BULK);
    CompletableFuture<Lab.Result> source =
        lab.peerShellAsync(
            BULK_TIME, "nc -l -N " + InteropLab.PEER4 + " 5202 < " + lab.path("bulk-5202"));
    lab.awaitPeerListening(5202);
    String[] got = ours.call("recv " + InteropLab.PEER4 + " 5202", BULK_TIME).split(" ");
    source.join().ok("nc server");
    assertThat(got[1]).isEqualTo(sha);
    NetstackInteropIT.report("debian peer: linux server -> java client", got);

    AgentProcess.Pending server = ours.start("serve-recv 5203").listening(SHORT);
    lab.peerShell(BULK_TIME, "nc -N " + InteropLab.OURS4 + " 5203 < " + lab.path("bulk-5202"))
        .ok("nc client");
    assertThat(server.ok(SHORT).split(" ")[1]).isEqualTo(sha);

    AgentProcess.Pending ourSource = ours.start("serve-send 5204 " + BULK).listening(SHORT);
    String peerSha =
        lab.peerShell(BULK_TIME, "nc -d " + InteropLab.OURS4 + " 5204 | sha256sum")
            .ok("nc client")
            .out();
    assertThat(peerSha).startsWith(ourSource.ok(SHORT).split(" ")[1]);
  }

  @Test
  void udpAndPingBothWays() {
    AgentProcess.Pending echo = peerAgent.start("udp-echo 6201 100").listening(SHORT);
    assertThat(ours.call("udp-ping " + InteropLab.PEER4 + " 6201 100 1200", SHORT))
        .isEqualTo("100");
    assertThat(echo.ok(SHORT)).isEqualTo("100");
    AgentProcess.Pending ourEcho = ours.start("udp-echo 6202 100").listening(SHORT);
    assertThat(peerAgent.call("udp-ping " + InteropLab.OURS4 + " 6202 100 1200", SHORT))
        .isEqualTo("100");
    assertThat(ourEcho.ok(SHORT)).isEqualTo("100");

    assertThat(Long.parseLong(ours.call("ping " + InteropLab.PEER4 + " 3000", SHORT))).isPositive();
    lab.peer(SHORT, "ping", "-n", "-c", "3", "-i", "0.2", "-W", "3", InteropLab.OURS4)
        .ok("ping from the peer");
  }
}
