package io.wireguardjava.netstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wireguardjava.Config;
import io.wireguardjava.InetNetwork;
import io.wireguardjava.Interface;
import io.wireguardjava.PrivateKey;
import io.wireguardjava.TunnelOptions;
import java.net.InetAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Opening and closing: threads, the owned tunnel, refused configurations, counters. */
class LifecycleTest {

  private static long stackThreads(String name) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("wg-java-" + name + "-netstack"))
        .count();
  }

  @Test
  void openStartsTwoThreadsAndCloseStopsThemAndTheTunnel() throws Exception {
    Config c =
        Config.builder()
            .iface(
                Interface.builder()
                    .privateKey(PrivateKey.generate())
                    .addAddress(InetNetwork.parse("10.7.0.1/24"))
                    .addAddress(InetNetwork.parse("fd07::1/64"))
                    .mtu(1380)
                    .build())
            .build();
    TunnelNetwork net =
        TunnelNetwork.open(
            c,
            TunnelOptions.builder()
                .inProcessDevice()
                .interfaceName("hiplife")
                .bindAddress(InetAddress.getLoopbackAddress())
                .build());
    assertThat(net.mtu()).isEqualTo(1380);
    assertThat(net.addresses()).hasSize(2);
    assertThat(stackThreads("hiplife")).isEqualTo(2);
    TunnelDatagramSocket udp = net.openDatagram(0);
    assertThat(net.stats().udpSockets()).isEqualTo(1);
    net.close();
    assertThat(net.isClosed()).isTrue();
    assertThat(net.tunnel().isClosed()).isTrue();
    assertThat(stackThreads("hiplife")).isZero();
    assertThat(udp.isClosed()).isTrue();
    assertThatThrownBy(() -> udp.receive(ByteBuffer.allocate(1)))
        .isInstanceOf(SocketException.class);
    assertThatThrownBy(() -> net.openDatagram(0)).isInstanceOf(SocketException.class);
    assertThatThrownBy(() -> net.resolve("x.test")).isInstanceOf(UnknownHostException.class);
    assertThatThrownBy(() -> net.ping(InetAddress.getByName("10.7.0.2"), Duration.ofSeconds(1)))
        .isInstanceOf(SocketException.class);
    net.close(); // twice is fine
  }

  @Test
  void refusesConfigurationsItCannotRun() {
    Config noAddress =
        Config.builder()
            .iface(Interface.builder().privateKey(PrivateKey.generate()).build())
            .build();
    assertThatThrownBy(() -> TunnelNetwork.open(noAddress))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Address");
    Config ok =
        Config.builder()
            .iface(
                Interface.builder()
                    .privateKey(PrivateKey.generate())
                    .addAddress(InetNetwork.parse("10.7.0.1/32"))
                    .build())
            .build();
    assertThatThrownBy(() -> TunnelNetwork.open(ok, TunnelOptions.osDevice()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("in-process");
    Config small =
        Config.builder()
            .iface(
                Interface.builder()
                    .privateKey(PrivateKey.generate())
                    .addAddress(InetNetwork.parse("10.7.0.1/32"))
                    .mtu(1200)
                    .build())
            .build();
    assertThatThrownBy(
            () ->
                TunnelNetwork.open(
                    small,
                    TunnelOptions.builder()
                        .inProcessDevice()
                        .bindAddress(InetAddress.getLoopbackAddress())
                        .build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1280");
  }

  @Test
  void countersMoveWithTraffic() throws Exception {
    try (NetworkPair pair = new NetworkPair()) {
      NetworkPair.ping(pair.a, NetworkPair.B4);
      NetworkStats a = pair.a.stats();
      NetworkStats b = pair.b.stats();
      assertThat(a.packetsSent()).isPositive();
      assertThat(a.packetsReceived()).isPositive();
      assertThat(b.packetsReceived()).isPositive();
      assertThat(a.packetsDropped()).isZero();
      assertThat(a.tcpConnections()).isZero();
    }
  }
}
