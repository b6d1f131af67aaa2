package io.wireguardjava.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.wireguardjava.Config;
import io.wireguardjava.DropReason;
import io.wireguardjava.InetNetwork;
import io.wireguardjava.Interface;
import io.wireguardjava.PrivateKey;
import io.wireguardjava.TunnelOptions;
import io.wireguardjava.crypto.TimeSource;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A packet no peer routes is dropped, counted and answered with ICMP unreachable. */
class IcmpUnreachableTest {

  @Test
  void unroutablePacketsGetDestinationUnreachableFromTheInterfaceAddress() throws Exception {
    Config c =
        Config.builder()
            .iface(
                Interface.builder()
                    .privateKey(PrivateKey.generate())
                    .addAddress(InetNetwork.parse("10.0.0.1/24"))
                    .addAddress(InetNetwork.parse("fd00::1/64"))
                    .build())
            .build();
    try (Engine e =
        CoreTunnelProvider.open(c, TunnelOptions.inProcessDevice(), TimeSource.system())) {
      byte[] buf = new byte[2000];
      byte[] v4 = TestPackets.ip("10.0.0.1", "10.0.0.99", "nobody".getBytes());
      e.packets().send(v4, 0, v4.length);
      int n = e.packets().receive(buf, 0, buf.length, Duration.ofSeconds(30));
      assertThat(n).isEqualTo(28 + v4.length);
      assertThat(buf[9]).as("ICMP").isEqualTo((byte) 1);
      assertThat(buf[20]).as("destination unreachable").isEqualTo((byte) 3);
      assertThat(Arrays.copyOfRange(buf, 12, 16)).isEqualTo(new byte[] {10, 0, 0, 1});
      assertThat(IcmpUnreachable.checksum(buf, 0, 20, 0)).as("IP checksum").isZero();
      assertThat(IcmpUnreachable.checksum(buf, 20, n - 20, 0)).as("ICMP checksum").isZero();
      assertThat(Arrays.copyOfRange(buf, 28, n)).as("quotes the packet").isEqualTo(v4);

      byte[] v6 = TestPackets.ip("fd00::1", "fd00::99", "nobody".getBytes());
      e.packets().send(v6, 0, v6.length);
      n = e.packets().receive(buf, 0, buf.length, Duration.ofSeconds(30));
      assertThat(n).isEqualTo(48 + v6.length);
      assertThat(buf[6]).as("ICMPv6").isEqualTo((byte) 58);
      assertThat(buf[40]).as("destination unreachable").isEqualTo((byte) 1);
      byte[] pseudo = new byte[40 + n - 40];
      System.arraycopy(buf, 8, pseudo, 0, 32);
      pseudo[34] = (byte) ((n - 40) >> 8);
      pseudo[35] = (byte) (n - 40);
      pseudo[39] = 58;
      System.arraycopy(buf, 40, pseudo, 40, n - 40);
      assertThat(IcmpUnreachable.checksum(pseudo, 0, pseudo.length, 0))
          .as("ICMPv6 checksum")
          .isZero();
      assertThat(e.stats().dropped(DropReason.NO_ROUTE)).isEqualTo(2);

      // an ICMP error is never answered with another: send the IPv6 answer itself back in
      // (it is addressed to fd00::1, which no peer routes either)
      e.packets().send(buf, 0, n);
      assertThat(e.packets().receive(buf, 0, buf.length, Duration.ofMillis(100))).isZero();
    }
  }
}
