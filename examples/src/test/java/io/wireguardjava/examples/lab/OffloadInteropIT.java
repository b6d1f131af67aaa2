package io.wireguardjava.examples.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.wireguardjava.examples.lab.InteropLab.Side;
import io.wireguardjava.examples.lab.InteropLab.Underlay;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code wg-java up} (a TUN, the kernel's TCP) against the current wireguard-go, which sends GSO
 * batches and coalesced segments at us: with TUN offload on (the default: TSO super-packets split,
 * segments merged into GRO writes) and forced off ({@code -Dio.wireguardjava.tun.linux.offload=
 * false}). Each way: iperf3 TCP for a few seconds, then {@value #BULK} bytes through nc with
 * SHA-256 compared. Fails (never skips) under CI=true when something is missing.
 */
class OffloadInteropIT {
  static final long BULK = 20_000_000L;
  static final Duration LONG = Duration.ofSeconds(90);
  private static final Pattern RECEIVED =
      Pattern.compile("\"sum_received\":\\s*\\{[^}]*\"bytes\":\\s*(\\d+)");

  @Test
  void offloadOn() throws Exception {
    tcpBothWaysWithCurrentWireguardGo(true);
  }

  @Test
  void offloadForcedOff() throws Exception {
    tcpBothWaysWithCurrentWireguardGo(false);
  }

  private static void tcpBothWaysWithCurrentWireguardGo(boolean offload) throws Exception {
    InteropTools.require();
    Lab.requireTools("iperf3");
    try (InteropLab lab = new InteropLab(InteropLab.currentWireguardGo(), Duration.ZERO, 0)) {
      lab.startOurs(
          Side.KERNEL, Underlay.CLEAN, List.of("-Dio.wireguardjava.tun.linux.offload=" + offload));
      String link = lab.lab.exec(lab.nsOurs, "ip", "-d", "link", "show", lab.ourIface).out();
      assertThat(link).contains(offload ? "vnet_hdr on" : "vnet_hdr off");

      lab.lab.start(lab.nsPeer, List.of(), "iperf3-server", "iperf3", "-s", "-B", InteropLab.PEER4);
      lab.awaitPeerListening(5201);
      for (String direction : List.of("-c", "-R")) {
        List<String> cmd =
            direction.equals("-c")
                ? List.of("iperf3", "-c", InteropLab.PEER4, "-t", "3", "-J")
                : List.of("iperf3", "-c", InteropLab.PEER4, "-t", "3", "-J", "-R");
        String json =
            lab.lab.exec(lab.nsOurs, LONG, cmd.toArray(String[]::new)).ok("iperf3 " + cmd).out();
        Matcher m = RECEIVED.matcher(json);
        assertThat(m.find()).as("iperf3 result: %s", json).isTrue();
        long bytes = Long.parseLong(m.group(1));
        System.out.printf(
            "offload %s, iperf3 %s: %.0f Mbit/s%n",
            offload,
            direction.equals("-c") ? "ours -> wireguard-go" : "wireguard-go -> ours",
            bytes * 8 / 3e6);
        assertThat(bytes).as("bytes carried in 3 s").isGreaterThan(5_000_000L);
      }

      // ours -> peer: the peer hashes what arrives
      String out = lab.peerFile("bulk-up", BULK); // a file in the lab dir, with its SHA-256
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

      // peer -> ours
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
