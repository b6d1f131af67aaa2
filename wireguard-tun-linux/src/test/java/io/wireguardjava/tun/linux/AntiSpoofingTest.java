package io.wireguardjava.tun.linux;

import static org.assertj.core.api.Assertions.assertThat;

import io.wireguardjava.InetNetwork;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The nftables script of wg-quick's anti-spoofing rule, per family with a default route. */
class AntiSpoofingTest {
  private static final List<InetNetwork> ADDRESSES =
      List.of(InetNetwork.parse("10.0.0.2/24"), InetNetwork.parse("fd00::2/64"));

  @Test
  void oneTableAndOneDropRulePerAddressOfEachFullTunnelFamily() {
    assertThat(AntiSpoofing.script("wg0", ADDRESSES, true, true, 0))
        .isEqualTo(
            "add table ip wg-java-wg0\n"
                + "add chain ip wg-java-wg0 preraw { type filter hook prerouting priority -300; }\n"
                + "add rule ip wg-java-wg0 preraw iifname != \"wg0\" ip daddr 10.0.0.2 fib saddr type"
                + " != local drop\n"
                + "add table ip6 wg-java-wg0\n"
                + "add chain ip6 wg-java-wg0 preraw { type filter hook prerouting priority -300; }\n"
                + "add rule ip6 wg-java-wg0 preraw iifname != \"wg0\" ip6 daddr fd00::2 fib saddr type"
                + " != local drop\n");
  }

  @Test
  void withAMarkWgQuicksConnmarkRulesToo() {
    assertThat(AntiSpoofing.script("wg0", ADDRESSES.subList(0, 1), true, false, 51820))
        .isEqualTo(
            "add table ip wg-java-wg0\n"
                + "add chain ip wg-java-wg0 preraw { type filter hook prerouting priority -300; }\n"
                + "add chain ip wg-java-wg0 premangle { type filter hook prerouting priority -150; }\n"
                + "add chain ip wg-java-wg0 postmangle { type filter hook postrouting priority -150;"
                + " }\n"
                + "add rule ip wg-java-wg0 preraw iifname != \"wg0\" ip daddr 10.0.0.2 fib saddr type"
                + " != local drop\n"
                + "add rule ip wg-java-wg0 postmangle meta l4proto udp mark 51820 ct mark set mark\n"
                + "add rule ip wg-java-wg0 premangle meta l4proto udp meta mark set ct mark\n");
  }

  @Test
  void onlyTheFamiliesRoutedThroughTheTunnel() {
    assertThat(AntiSpoofing.script("wg0", ADDRESSES, true, false, 0)).doesNotContain("ip6");
    assertThat(AntiSpoofing.tables("wg0", false, true))
        .extracting(Object::toString)
        .containsExactly("ip6 wg-java-wg0");
  }
}
