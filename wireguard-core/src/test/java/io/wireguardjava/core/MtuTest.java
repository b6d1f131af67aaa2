package io.wireguardjava.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wireguardjava.Config;
import io.wireguardjava.DropReason;
import io.wireguardjava.InetNetwork;
import io.wireguardjava.Interface;
import io.wireguardjava.PrivateKey;
import io.wireguardjava.TunnelOptions;
import io.wireguardjava.crypto.TimeSource;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A live MTU: {@code Tunnel.setMtu} and a device reporting a new MTU (as {@code ip link set mtu}
 * does to an OS interface) both resize the tunnel; packets follow the new size at once.
 */
class MtuTest {

  @Test
  void setMtuShrinksAndGrowsTheTunnelWhileSessionsStay() throws Exception {
    try (TestNet net = new TestNet()) {
      TestNet.Node a = net.node(1, 1420);
      TestNet.Node b = net.node(2, 1420);
      TestNet.link(a, b, null);
      TestNet.roundTrip(a, b, a.v4(), b.v4(), new byte[1400]);

      b.engine.setMtu(1280);
      assertThat(b.engine.mtu()).isEqualTo(1280);
      assertThat(b.engine.config().iface().mtu()).as("config() reports it").contains(1280);
      byte[] p = TestPackets.ip(a.v4(), b.v4(), new byte[1400]);
      a.engine.packets().send(p, 0, p.length);
      byte[] buf = new byte[2000];
      int n = a.engine.packets().receive(buf, 0, buf.length, Duration.ofSeconds(30));
      assertThat(n).as("an ICMP answer").isGreaterThan(28);
      assertThat(buf[21]).as("fragmentation needed").isEqualTo((byte) 4);
      assertThat(((buf[26] & 0xFF) << 8) | (buf[27] & 0xFF)).isEqualTo(1280);
      assertThat(b.engine.stats().dropped(DropReason.TOO_LARGE)).isEqualTo(1);
      TestNet.roundTrip(a, b, a.v4(), b.v4(), new byte[1260]);

      b.engine.setMtu(1420);
      TestNet.roundTrip(a, b, a.v4(), b.v4(), new byte[1400]);
      assertThat(b.engine.stats().dropped(DropReason.TOO_LARGE)).isEqualTo(1);

      assertThatThrownBy(() -> b.engine.setMtu(9000))
          .isInstanceOf(UnsupportedOperationException.class)
          .hasMessageContaining("1420");
      assertThatThrownBy(() -> b.engine.setMtu(100))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("576");
      assertThat(b.engine.mtu()).isEqualTo(1420);
    }
  }

  @Test
  void aDeviceReportingANewMtuResizesTheTunnel() throws Exception {
    ScriptedDevice device = new ScriptedDevice("mtu0", 1420);
    Config c =
        Config.builder()
            .iface(
                Interface.builder()
                    .privateKey(PrivateKey.generate())
                    .addAddress(InetNetwork.parse("10.9.0.1/24"))
                    .build())
            .build();
    try (Engine e =
        CoreTunnelProvider.open(
            c, TunnelOptions.builder().device(device).build(), TimeSource.system())) {
      device.changeMtu(1500);
      assertThat(e.mtu()).isEqualTo(1500);
      assertThat(e.pool.bufferSize()).isEqualTo(1500);
      device.changeMtu(1280);
      assertThat(e.mtu()).isEqualTo(1280);
      assertThat(e.pool.bufferSize()).isEqualTo(1280);
    }
  }

  @Test
  void thePoolLetsBuffersOfAnOldSizeGo() {
    BufferPool pool = new BufferPool(1420, 4);
    byte[] old = pool.take();
    pool.resize(1500);
    pool.give(old);
    assertThat(pool.inUse()).isZero();
    assertThat(pool.take()).hasSize(1500);
    assertThat(pool.created()).isEqualTo(1);
  }
}
