package io.wireguardjava.examples.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.wireguardjava.examples.lab.InteropLab.Side;
import io.wireguardjava.examples.lab.InteropLab.Underlay;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code wg-java up} against the current wireguard-go (which sends GSO batches at us) and Debian's
 * (one datagram per call), with the UDP transport's fallbacks forced: the Linux transport with UDP
 * GSO/GRO off ({@code -Dio.wireguardjava.udp.gso=false}: one datagram per mmsg message), and the
 * portable JDK transport ({@code -Dio.wireguardjava.udp.transport=jdk}). The default (GSO/GRO on)
 * runs in the interop suite and OffloadInteropIT. Each way: iperf3 TCP for two seconds, then
 * {@value #BULK} bytes through nc with SHA-256 compared. The socket's forced 7 MiB receive buffer
 * ({@code ss -m}: {@code rb14680064}) tells the Linux transport from the JDK one. Fails (never
 * skips) under CI=true when something is missing.
 */
class TransportInteropIT {
  static final long BULK = 8_000_000L;
  static final Duration LONG = Duration.ofSeconds(90);
  private static final Pattern RECEIVED =
      Pattern.compile("\"sum_received\":\\s*\\{[^}]*\"bytes\":\\s*(\\d+)");

  @ParameterizedTest(name = "{0} wireguard-go, {1}")
  @CsvSource({"current, no-gso", "current, jdk", "debian, no-gso", "debian, jdk"})
  void tcpBothWaysWithTheTransportsFallbacks(String peer, String mode) throws Exception {
    InteropTools.require();
    Lab.requireTools("iperf3", "ss");
    Path go =
        peer.equals("current") ? InteropLab.currentWireguardGo() : InteropLab.debianWireguardGo();
    String option =
        mode.equals("jdk")
            ? "-Dio.wireguardjava.udp.transport=jdk"
            : "-Dio.wireguardjava.udp.gso=false";
    try (InteropLab lab = new InteropLab(go, Duration.ZERO, 0)) {
      lab.startOurs(Side.KERNEL, Underlay.CLEAN, List.of(option));
      String sockets = lab.lab.exec(lab.nsOurs, "ss", "-u", "-a", "-n", "-m").ok("ss").out();
      if (mode.equals("jdk")) {
        assertThat(sockets).as("the JDK socket").doesNotContain("rb14680064");
      } else {
        assertThat(sockets).as("the Linux socket, 7 MiB forced").contains("rb14680064");
      }

      lab.lab.start(lab.nsPeer, List.of(), "iperf3-server", "iperf3", "-s", "-B", InteropLab.PEER4);
      lab.awaitPeerListening(5201);
      for (boolean reverse : new boolean[] {false, true}) {
        List<String> cmd =
            reverse
                ? List.of("iperf3", "-c", InteropLab.PEER4, "-t", "2", "-J", "-R")
                : List.of("iperf3", "-c", InteropLab.PEER4, "-t", "2", "-J");
        String json =
            lab.lab.exec(lab.nsOurs, LONG, cmd.toArray(String[]::new)).ok("iperf3 " + cmd).out();
        Matcher m = RECEIVED.matcher(json);
        assertThat(m.find()).as("iperf3 result: %s", json).isTrue();
        long bytes = Long.parseLong(m.group(1));
        System.out.printf(
            "%s wireguard-go, %s, iperf3 %s: %.0f Mbit/s%n",
            peer, mode, reverse ? "peer -> ours" : "ours -> peer", bytes * 8 / 2e6);
        assertThat(bytes).as("bytes carried in 2 s").isGreaterThan(2_000_000L);
      }

      String out = lab.peerFile("bulk-up", BULK);
      CompletableFuture<Lab.Result> sink =
          lab.peerShellAsync(LONG, "nc -l -d " + InteropLab.PEER4 + " 5301 | sha256sum");
      lab.awaitPeerListening(5301);
      lab.lab
          .exec(
              lab.nsOurs,
              LONG,
              "sh",
              "-c",
              "nc -N " + InteropLab.PEER4 + " 5301 < " + lab.path("bulk-up"))
          .ok("nc ours -> peer");
      assertThat(sink.join().ok("nc sink").out()).contains(out);

      String in = lab.peerFile("bulk-down", BULK);
      CompletableFuture<Lab.Result> source =
          lab.peerShellAsync(
              LONG, "nc -l -N " + InteropLab.PEER4 + " 5303 < " + lab.path("bulk-down"));
      lab.awaitPeerListening(5303);
      String got =
          lab.lab
              .exec(lab.nsOurs, LONG, "sh", "-c", "nc -d " + InteropLab.PEER4 + " 5303 | sha256sum")
              .ok("nc peer -> ours")
              .out();
      source.join().ok("nc source");
      assertThat(got).contains(in);
    }
  }
}
