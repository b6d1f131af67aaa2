package io.wireguardjava.examples.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.wireguardjava.examples.lab.InteropLab.Underlay;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Our userspace stack against wireguard-go and the kernel's TCP on an Internet-like path: every
 * datagram of the tunnel goes through {@link UdpDelayRelay} ({@value #ONE_WAY_DELAY_MS} ms each
 * way, so 20 ms more round trip) and nftables drops {@value #LOSS_PERCENT} % of them at random, in
 * both directions. {@value #BULK} bytes per transfer (the 100 MB), SHA-256 compared, in
 * both roles and directions; UDP both ways (the driver resends what is lost). Our stack runs its
 * default congestion control (BBR). The kernels run BBR too, set here rather than taken from the
 * host: a loss-based sender (CUBIC, Linux's usual default) is held near Mathis' rate on this path
 * (5-6 Mbit/s), so 100 MB from the peer's kernel would take minutes; with BBR it sends 200-400
 * Mbit/s (bench/netstack.sh). {@code -Dhlab.side=KERNEL} runs it with {@code wg-java up} and the
 * kernel's TCP on our side.
 */
class NetstackImpairedIT {
  static final int ONE_WAY_DELAY_MS = 10;
  static final int LOSS_PERCENT = 1;
  static final long BULK = 100_000_000L;
  static final Duration BULK_TIME = Duration.ofSeconds(120);
  static final Duration SHORT = Duration.ofSeconds(30);

  private static InteropLab lab;
  private static AgentProcess ours;
  private static AgentProcess peerAgent;

  @BeforeAll
  static void start() throws Exception {
    InteropTools.require();
    lab =
        new InteropLab(
            InteropLab.currentWireguardGo(), Duration.ofMillis(ONE_WAY_DELAY_MS), LOSS_PERCENT);
    lab.kernelCongestionControl("bbr");
    ours = lab.startOurs(InteropTools.side(), Underlay.IMPAIRED);
    assertThat(ours.call("user", SHORT)).as("our side runs unprivileged").isEqualTo("nobody");
    peerAgent = lab.startPeerAgent();
  }

  @AfterAll
  static void stop() throws Exception {
    if (lab != null) {
      System.out.println("relay drops: " + lab.dropCounter().replaceAll("\\s+", " "));
      lab.close();
    }
  }

  @Test
  void javaClientSendsAndReceivesThroughLossAndDelay() {
    CompletableFuture<Lab.Result> sink =
        lab.peerShellAsync(BULK_TIME, "nc -l -d " + InteropLab.PEER4 + " 5101 | sha256sum");
    awaitPeer(5101);
    String[] sent = ours.call("send " + InteropLab.PEER4 + " 5101 " + BULK, BULK_TIME).split(" ");
    assertThat(sent[0]).isEqualTo(Long.toString(BULK));
    assertThat(sink.join().ok("nc server").out()).startsWith(sent[1]);
    NetstackInteropIT.report("impaired: java client -> linux server", sent);

    String sha = lab.peerFile("bulk-5102", BULK);
    CompletableFuture<Lab.Result> source =
        lab.peerShellAsync(
            BULK_TIME, "nc -l -N " + InteropLab.PEER4 + " 5102 < " + lab.path("bulk-5102"));
    awaitPeer(5102);
    String[] got = ours.call("recv " + InteropLab.PEER4 + " 5102", BULK_TIME).split(" ");
    source.join().ok("nc server");
    assertThat(got[0]).isEqualTo(Long.toString(BULK));
    assertThat(got[1]).isEqualTo(sha);
    NetstackInteropIT.report("impaired: linux server -> java client", got);
  }

  @Test
  void linuxClientSendsToAndReceivesFromAJavaServerThroughLossAndDelay() {
    String sha = lab.peerFile("bulk-5103", BULK);
    AgentProcess.Pending server = ours.start("serve-recv 5103").listening(SHORT);
    lab.peerShell(BULK_TIME, "nc -N " + InteropLab.OURS4 + " 5103 < " + lab.path("bulk-5103"))
        .ok("nc client");
    String[] got = server.ok(SHORT).split(" ");
    assertThat(got[1]).isEqualTo(sha);
    NetstackInteropIT.report("impaired: linux client -> java server", got);

    AgentProcess.Pending source = ours.start("serve-send 5104 " + BULK).listening(SHORT);
    String peerSha =
        lab.peerShell(BULK_TIME, "nc -d " + InteropLab.OURS4 + " 5104 | sha256sum")
            .ok("nc client")
            .out();
    String[] sent = source.ok(SHORT).split(" ");
    assertThat(peerSha).startsWith(sent[1]);
    NetstackInteropIT.report("impaired: java server -> linux client", sent);
  }

  @Test
  void udpBothWaysThroughLossAndDelay() {
    AgentProcess.Pending echo = peerAgent.start("udp-echo 6101 100").listening(SHORT);
    assertThat(ours.call("udp-ping " + InteropLab.PEER4 + " 6101 100 1200", SHORT))
        .isEqualTo("100");
    AgentProcess.Pending ourEcho = ours.start("udp-echo 6102 100").listening(SHORT);
    assertThat(peerAgent.call("udp-ping " + InteropLab.OURS4 + " 6102 100 1200", SHORT))
        .isEqualTo("100");
    // Echoes may be lost and the pinger resends: each echo server saw at least its count.
    assertThat(echo.ok(SHORT)).isEqualTo("100");
    assertThat(ourEcho.ok(SHORT)).isEqualTo("100");
  }

  private static void awaitPeer(int port) {
    try {
      lab.awaitPeerListening(port);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
