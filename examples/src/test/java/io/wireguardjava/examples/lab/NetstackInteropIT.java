package io.wireguardjava.examples.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.wireguardjava.examples.lab.InteropLab.Underlay;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Our userspace stack against the real thing on a clean path: this JVM's {@code TunnelNetwork}, run
 * as an unprivileged user in a namespace without a TUN, and on the other side the current
 * wireguard-go on a TUN with the Linux kernel's TCP/IP, nc, ping and dnsmasq (see {@link
 * InteropLab}). 100 MB each way in each role, SHA-256 compared; UDP, DNS, ping, IPv6.
 *
 * <p>{@code -Dhlab.side=KERNEL} runs the same tests with {@code wg-java up} and the kernel's TCP on
 * our side: the proof that the lab itself is right. Needs root and the tools; fails (never skips)
 * under CI=true when something is missing.
 */
class NetstackInteropIT {
  static final long BULK = 100_000_000L;
  static final Duration BULK_TIME = Duration.ofSeconds(120);
  static final Duration SHORT = Duration.ofSeconds(30);

  private static InteropLab lab;
  private static AgentProcess ours;
  private static AgentProcess peerAgent;

  @BeforeAll
  static void start() throws Exception {
    InteropTools.require();
    lab = new InteropLab(InteropLab.currentWireguardGo(), Duration.ZERO, 0);
    ours = lab.startOurs(InteropTools.side(), Underlay.CLEAN);
    assertThat(ours.call("user", SHORT)).as("our side runs unprivileged").isEqualTo("nobody");
    peerAgent = lab.startPeerAgent();
  }

  @AfterAll
  static void stop() throws Exception {
    if (lab != null) {
      lab.close();
    }
  }

  @Test
  void javaClientSends100MbToALinuxServer() {
    CompletableFuture<Lab.Result> server =
        lab.peerShellAsync(BULK_TIME, "nc -l -d " + InteropLab.PEER4 + " 5001 | sha256sum");
    awaitPeer(5001);
    String[] sent = ours.call("send " + InteropLab.PEER4 + " 5001 " + BULK, BULK_TIME).split(" ");
    assertThat(sent[0]).isEqualTo(Long.toString(BULK));
    assertThat(server.join().ok("nc server").out()).startsWith(sent[1]);
    report("java client -> linux server", sent);
  }

  @Test
  void javaClientReceives100MbFromALinuxServer() {
    String sha = lab.peerFile("bulk-5002", BULK);
    CompletableFuture<Lab.Result> server =
        lab.peerShellAsync(
            BULK_TIME, "nc -l -N " + InteropLab.PEER4 + " 5002 < " + lab.path("bulk-5002"));
    awaitPeer(5002);
    String[] got = ours.call("recv " + InteropLab.PEER4 + " 5002", BULK_TIME).split(" ");
    server.join().ok("nc server");
    assertThat(got[0]).isEqualTo(Long.toString(BULK));
    assertThat(got[1]).isEqualTo(sha);
    report("linux server -> java client", got);
  }

  @Test
  void linuxClientSends100MbToAJavaServerSocket() {
    String sha = lab.peerFile("bulk-5003", BULK);
    AgentProcess.Pending server = ours.start("serve-recv 5003").listening(SHORT);
    lab.peerShell(BULK_TIME, "nc -N " + InteropLab.OURS4 + " 5003 < " + lab.path("bulk-5003"))
        .ok("nc client");
    String[] got = server.ok(SHORT).split(" ");
    assertThat(got[0]).isEqualTo(Long.toString(BULK));
    assertThat(got[1]).isEqualTo(sha);
    report("linux client -> java server", got);
  }

  @Test
  void linuxClientReceives100MbFromAJavaServerSocket() {
    AgentProcess.Pending server = ours.start("serve-send 5004 " + BULK).listening(SHORT);
    String sha =
        lab.peerShell(BULK_TIME, "nc -d " + InteropLab.OURS4 + " 5004 | sha256sum")
            .ok("nc client")
            .out();
    String[] sent = server.ok(SHORT).split(" ");
    assertThat(sha).startsWith(sent[1]);
    report("java server -> linux client", sent);
  }

  @Test
  void udpBothWays() {
    AgentProcess.Pending echo = peerAgent.start("udp-echo 6001 200").listening(SHORT);
    assertThat(ours.call("udp-ping " + InteropLab.PEER4 + " 6001 200 1200", SHORT))
        .isEqualTo("200");
    assertThat(echo.ok(SHORT)).isEqualTo("200");

    AgentProcess.Pending ourEcho = ours.start("udp-echo 6002 200").listening(SHORT);
    assertThat(peerAgent.call("udp-ping " + InteropLab.OURS4 + " 6002 200 1200", SHORT))
        .isEqualTo("200");
    assertThat(ourEcho.ok(SHORT)).isEqualTo("200");
  }

  @Test
  void namesOnlyThePeersDnsmasqKnowsResolveAndConnect() {
    assertThat(ours.call("resolve " + InteropLab.NAME, SHORT).split(" "))
        .contains(InteropLab.PEER4);
    CompletableFuture<Lab.Result> server =
        lab.peerShellAsync(SHORT, "nc -l -d " + InteropLab.PEER4 + " 5005 | sha256sum");
    awaitPeer(5005);
    String[] sent = ours.call("send " + InteropLab.NAME + " 5005 1000000", SHORT).split(" ");
    assertThat(server.join().ok("nc server").out()).startsWith(sent[1]);
    assertThat(ours.start("resolve nothing.invalid").answer(SHORT)).startsWith("err");
    assertThat(lab.logOf("dnsmasq").get()).contains("query[A] " + InteropLab.NAME);
  }

  @Test
  void pingBothWays() {
    assertThat(Long.parseLong(ours.call("ping " + InteropLab.PEER4 + " 3000", SHORT))).isPositive();
    lab.peer(SHORT, "ping", "-n", "-c", "3", "-i", "0.2", "-W", "3", InteropLab.OURS4)
        .ok("ping from the peer");
  }

  @Test
  void ipv6InsideTheTunnel() {
    assertThat(Long.parseLong(ours.call("ping " + InteropLab.PEER6 + " 3000", SHORT))).isPositive();
    lab.peer(SHORT, "ping", "-6", "-n", "-c", "3", "-i", "0.2", "-W", "3", InteropLab.OURS6)
        .ok("ping6 from the peer");

    CompletableFuture<Lab.Result> server =
        lab.peerShellAsync(BULK_TIME, "nc -6 -l -d " + InteropLab.PEER6 + " 5006 | sha256sum");
    awaitPeer(5006);
    String[] sent = ours.call("send " + InteropLab.PEER6 + " 5006 20000000", BULK_TIME).split(" ");
    assertThat(server.join().ok("nc server v6").out()).startsWith(sent[1]);

    String sha = lab.peerFile("bulk-5007", 20_000_000);
    AgentProcess.Pending ourServer = ours.start("serve-recv 5007").listening(SHORT);
    lab.peerShell(BULK_TIME, "nc -6 -N " + InteropLab.OURS6 + " 5007 < " + lab.path("bulk-5007"))
        .ok("nc v6 client");
    assertThat(ourServer.ok(SHORT).split(" ")[1]).isEqualTo(sha);

    AgentProcess.Pending echo = peerAgent.start("udp-echo 6003 50").listening(SHORT);
    assertThat(ours.call("udp-ping " + InteropLab.PEER6 + " 6003 50 1000", SHORT)).isEqualTo("50");
    echo.ok(SHORT);
  }

  private static void awaitPeer(int port) {
    try {
      lab.awaitPeerListening(port);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Prints the rate (surefire keeps it in the test's output file). */
  static void report(String what, String[] result) {
    long bytes = Long.parseLong(result[0]);
    long millis = Long.parseLong(result[2]);
    System.out.printf(
        "%s: %d bytes in %d ms = %.1f Mbit/s (%s)%n",
        what, bytes, millis, bytes * 8.0 / millis / 1000.0, InteropTools.side());
  }
}
