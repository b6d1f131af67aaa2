package io.wireguardjava.examples.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.wireguardjava.examples.lab.InteropLab.Side;
import io.wireguardjava.examples.lab.InteropLab.Underlay;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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

      lab.startPeerIperf3Server();
      for (boolean reverse : new boolean[] {false, true}) {
        long bytes = lab.iperf3(reverse, 2);
        System.out.printf(
            "%s wireguard-go, %s, iperf3 %s: %.0f Mbit/s%n",
            peer, mode, reverse ? "peer -> ours" : "ours -> peer", bytes * 8 / 2e6);
        assertThat(bytes).as("bytes carried in 2 s").isGreaterThan(2_000_000L);
      }
      lab.bulkBothWaysArriveIntact(BULK);
    }
  }
}
