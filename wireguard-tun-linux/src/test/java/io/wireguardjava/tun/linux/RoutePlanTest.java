package io.wireguardjava.tun.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wireguardjava.Config;
import io.wireguardjava.InetNetwork;
import io.wireguardjava.PrivateKey;
import java.io.IOException;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class RoutePlanTest {

  private static final String PEER1 = PrivateKey.generate().publicKey().toBase64();
  private static final String PEER2 = PrivateKey.generate().publicKey().toBase64();

  private static RoutePlan plan(String iface, String allowed1, String allowed2) throws Exception {
    String text =
        "[Interface]\nPrivateKey = "
            + PrivateKey.generate().toBase64()
            + "\n"
            + iface
            + "\n[Peer]\nPublicKey = "
            + PEER1
            + "\nAllowedIPs = "
            + allowed1
            + "\n"
            + "\n[Peer]\nPublicKey = "
            + PEER2
            + "\nAllowedIPs = "
            + allowed2
            + "\n";
    Config c = Config.parse(text);
    return RoutePlan.of(
        c.iface(),
        c.peers(),
        name -> name.equals("vpn") ? OptionalInt.of(100) : OptionalInt.empty());
  }

  private static List<String> routes(RoutePlan p) {
    return p.routes().stream().map(RoutePlan.Route::toString).toList();
  }

  @Test
  void routesMostSpecificFirstSkippingWhatTheAddressesCover() throws Exception {
    RoutePlan p =
        plan(
            "Address = 10.0.0.1/24, fd00::1/64",
            "10.0.0.2/32, 192.168.5.0/24, fd00::2/128",
            "10.9.0.0/16, 10.0.0.0/24, 2001:db8::/32");
    // by prefix length, families mixed, as wg-quick's `sort -nr -k 2 -t /`
    assertThat(routes(p)).containsExactly("2001:db8::/32", "192.168.5.0/24", "10.9.0.0/16");
    assertThat(p.rules()).isEmpty();
  }

  @Test
  void hostBitsAreMaskedAndDuplicatesMerged() throws Exception {
    RoutePlan p = plan("Address = 10.0.0.1/24", "192.168.5.7/24", "192.168.5.0/24");
    assertThat(routes(p)).containsExactly("192.168.5.0/24");
  }

  @Test
  void tableOffAddsNothing() throws Exception {
    RoutePlan p = plan("Address = 10.0.0.1/24\nTable = off", "0.0.0.0/0", "192.168.5.0/24");
    assertThat(p.routes()).isEmpty();
    assertThat(p.rules()).isEmpty();
  }

  @Test
  void anExplicitTableTakesEveryRouteWithoutRules() throws Exception {
    RoutePlan p = plan("Address = 10.0.0.1/24\nTable = vpn", "0.0.0.0/0", "10.0.0.2/32");
    assertThat(routes(p)).containsExactly("10.0.0.2/32 table 100", "0.0.0.0/0 table 100");
    assertThat(p.rules()).isEmpty();
    assertThat(routes(plan("Table = 1234", "10.1.0.0/16", "10.2.0.0/16")))
        .containsExactly("10.1.0.0/16 table 1234", "10.2.0.0/16 table 1234");
  }

  @Test
  void anUnknownTableNameIsRefused() {
    assertThatThrownBy(() -> plan("Table = nosuch", "10.1.0.0/16", "10.2.0.0/16"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("nosuch");
  }

  @Test
  void aDefaultRouteGoesToItsOwnTableWithRulesOnTheListenPort() throws Exception {
    RoutePlan p =
        plan("Address = 10.0.0.1/24\nListenPort = 51000", "0.0.0.0/0, ::/0", "10.0.0.2/32");
    assertThat(routes(p)).containsExactly("0.0.0.0/0 table 51820", "::/0 table 51820");
    assertThat(p.rules())
        .extracting(PolicyRule::toString)
        .containsExactly(
            "-4 not ipproto udp sport 51000 table 51820",
            "-4 table main suppress_prefixlength 0",
            "-6 not ipproto udp sport 51000 table 51820",
            "-6 table main suppress_prefixlength 0");
  }

  @Test
  void withAFwMarkTheRulesAreWgQuicksOwnOnTheMarkAndNeedNoListenPort() throws Exception {
    // the engine marks its socket (SO_MARK): exactly what wg-quick adds, table = mark
    RoutePlan p = plan("Address = 10.0.0.1/24\nFwMark = 0xca6c", "0.0.0.0/0, ::/0", "10.0.0.2/32");
    assertThat(routes(p)).containsExactly("0.0.0.0/0 table 51820", "::/0 table 51820");
    assertThat(p.rules())
        .extracting(PolicyRule::toString)
        .containsExactly(
            "-4 not fwmark 0xca6c table 51820",
            "-4 table main suppress_prefixlength 0",
            "-6 not fwmark 0xca6c table 51820",
            "-6 table main suppress_prefixlength 0");
  }

  @Test
  void aDefaultRouteWithNeitherFwMarkNorListenPortIsRefused() {
    assertThatThrownBy(() -> plan("Address = 10.0.0.1/24", "0.0.0.0/0", "10.0.0.2/32"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("ListenPort")
        .hasMessageContaining("FwMark");
  }

  @Test
  void coverage() {
    List<InetNetwork> addrs = List.of(InetNetwork.parse("10.0.0.1/24"));
    assertThat(RoutePlan.coveredByAddress(InetNetwork.parse("10.0.0.128/25"), addrs)).isTrue();
    assertThat(RoutePlan.coveredByAddress(InetNetwork.parse("10.0.0.0/16"), addrs)).isFalse();
    assertThat(RoutePlan.coveredByAddress(InetNetwork.parse("::/0"), addrs)).isFalse();
  }
}
