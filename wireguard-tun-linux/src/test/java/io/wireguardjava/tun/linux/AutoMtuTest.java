package io.wireguardjava.tun.linux;

import static org.assertj.core.api.Assertions.assertThat;

import io.wireguardjava.Endpoint;
import io.wireguardjava.Peer;
import io.wireguardjava.PrivateKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** wg-quick's MTU rule without a configured MTU: the best route MTU to the endpoints, minus 80. */
class AutoMtuTest {
  private static final Map<String, Integer> LINKS = Map.of("eth0", 1500, "jumbo0", 9000);

  private static Peer peer(String endpoint) {
    return Peer.builder()
        .publicKey(PrivateKey.generate().publicKey())
        .endpoint(Endpoint.parse(endpoint))
        .build();
  }

  private static OptionalInt link(String dev) {
    Integer m = LINKS.get(dev);
    return m == null ? OptionalInt.empty() : OptionalInt.of(m);
  }

  @Test
  void theLargestRouteMtuToAnEndpointMinus80() {
    List<List<String>> asked = new ArrayList<>();
    AutoMtu.Ip ip =
        args -> {
          asked.add(args);
          return switch (args.get(2)) {
            case "192.0.2.7" -> "192.0.2.7 via 10.0.0.1 dev eth0 src 10.0.0.2 uid 0\n    cache\n";
            case "2001:db8::9" ->
                "2001:db8::9 from :: dev jumbo0 proto kernel src 2001:db8::1 metric 256 pref medium\n";
            default -> "";
          };
        };
    assertThat(
            AutoMtu.of(
                List.of(peer("192.0.2.7:51820"), peer("[2001:db8::9]:51820")),
                ip,
                AutoMtuTest::link))
        .isEqualTo(9000 - 80);
    assertThat(asked).contains(List.of("route", "get", "192.0.2.7"));
  }

  @Test
  void aRouteWithItsOwnMtuWins() {
    AutoMtu.Ip ip =
        args -> "192.0.2.7 via 10.0.0.1 dev jumbo0 src 10.0.0.2 uid 0\n" + "    cache mtu 1400\n";
    assertThat(AutoMtu.of(List.of(peer("192.0.2.7:51820")), ip, AutoMtuTest::link))
        .isEqualTo(1400 - 80);
  }

  @Test
  void theLinkMtuComesFromIpLinkShow() {
    AutoMtu.Ip ip =
        args ->
            args.equals(List.of("-o", "link", "show", "dev", "veth0"))
                ? "7: veth0@if6: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 9000 qdisc noqueue state UP\n"
                : "";
    assertThat(AutoMtu.linkMtu("veth0", ip)).hasValue(9000);
    assertThat(AutoMtu.linkMtu("nosuch0", ip)).isEmpty();
  }

  @Test
  void withoutEndpointsTheDefaultRouteThen1500() {
    Peer noEndpoint = Peer.builder().publicKey(PrivateKey.generate().publicKey()).build();
    AutoMtu.Ip ip = args -> args.get(1).equals("show") ? "default via 10.0.0.1 dev jumbo0\n" : "";
    assertThat(AutoMtu.of(List.of(noEndpoint), ip, AutoMtuTest::link)).isEqualTo(8920);
    assertThat(AutoMtu.of(List.of(noEndpoint), args -> "", AutoMtuTest::link)).isEqualTo(1420);
  }
}
