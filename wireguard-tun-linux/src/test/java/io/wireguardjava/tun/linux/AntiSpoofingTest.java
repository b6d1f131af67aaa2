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
    assertThat(AntiSpoofing.script("wg0", ADDRESSES, true, true))
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
  void onlyTheFamiliesRoutedThroughTheTunnel() {
    assertThat(AntiSpoofing.script("wg0", ADDRESSES, true, false)).doesNotContain("ip6");
    assertThat(AntiSpoofing.tables("wg0", false, true))
        .extracting(Object::toString)
        .containsExactly("ip6 wg-java-wg0");
  }
}
