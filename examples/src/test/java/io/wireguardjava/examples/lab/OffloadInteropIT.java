package io.wireguardjava.examples.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.wireguardjava.examples.lab.InteropLab.Side;
import io.wireguardjava.examples.lab.InteropLab.Underlay;
import java.time.Duration;
import java.util.List;
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

      lab.startPeerIperf3Server();
      for (boolean reverse : new boolean[] {false, true}) {
        long bytes = lab.iperf3(reverse, 3);
        System.out.printf(
            "offload %s, iperf3 %s: %.0f Mbit/s%n",
            offload, reverse ? "wireguard-go -> ours" : "ours -> wireguard-go", bytes * 8 / 3e6);
        assertThat(bytes).as("bytes carried in 3 s").isGreaterThan(5_000_000L);
      }
      lab.bulkBothWaysArriveIntact(BULK);
    }
  }
}
