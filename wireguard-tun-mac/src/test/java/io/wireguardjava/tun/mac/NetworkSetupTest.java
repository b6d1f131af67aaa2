package io.wireguardjava.tun.mac;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wireguardjava.Config;
import io.wireguardjava.PrivateKey;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The command/syscall sequence {@link NetworkSetup} runs, against wg-quick's darwin.bash. */
class NetworkSetupTest {

  private static final String EN0_DEFAULT =
      String.join(
          "\n",
          "   route to: default",
          "destination: default",
          "       mask: default",
          "    gateway: 192.168.1.1",
          "  interface: en0",
          "      flags: <UP,GATEWAY,DONE,STATIC,PRCLONING,GLOBAL>",
          "");
  private static final String EN0_DEFAULT6 =
      String.join(
          "\n",
          "   route to: ::",
          "destination: default",
          "    gateway: fe80::1%en0",
          "  interface: en0",
          "");

  private static String key() {
    return PrivateKey.generate().publicKey().toBase64();
  }

  private static Config config(String iface, String... peers) throws Exception {
    StringBuilder text =
        new StringBuilder("[Interface]\nPrivateKey = ")
            .append(PrivateKey.generate().toBase64())
            .append('\n')
            .append(iface);
    for (String peer : peers) {
      text.append("\n[Peer]\nPublicKey = ").append(key()).append('\n').append(peer);
    }
    return Config.parse(text.toString());
  }

  @Test
  void fullTunnelLikeWgQuickUp() throws Exception {
    RecordingHost host =
        new RecordingHost()
            .answer("route -n get -inet default", 0, EN0_DEFAULT)
            .answer("route -n get -inet6 default", 0, EN0_DEFAULT6)
            .mtu("en0", 1500);
    Config config =
        config(
            "Address = 10.8.0.2/24, fd00:8::2/64\n",
            "AllowedIPs = 0.0.0.0/0, ::/0, 10.8.0.0/24\nEndpoint = 203.0.113.5:51820\n");

    NetworkSetup.Applied applied = new NetworkSetup(host).apply("utun7", config);

    assertThat(applied.mtu()).isEqualTo(1420);
    assertThat(host.calls)
        .containsExactly(
            "route -n get -inet default",
            "route -n get -inet6 default",
            "ifconfig utun7 inet 10.8.0.2/24 10.8.0.2 alias",
            "ifconfig utun7 inet6 fd00:8::2/64 alias",
            "SIOCGIFMTU en0",
            "SIOCSIFMTU utun7 1420",
            "ifconfig utun7 up",
            "route -n get -inet 10.8.0.0/24",
            "route -q -n add -inet 10.8.0.0/24 -interface utun7",
            "route -q -n add -inet 0.0.0.0/1 -interface utun7",
            "route -q -n add -inet 128.0.0.0/1 -interface utun7",
            "route -q -n add -inet6 ::/1 -interface utun7",
            "route -q -n add -inet6 8000::/1 -interface utun7",
            "route -q -n add -inet 203.0.113.5 -gateway 192.168.1.1");

    host.calls.clear();
    applied.undo().run();
    assertThat(host.calls)
        .containsExactly(
            "route -q -n delete -inet 203.0.113.5",
            "route -q -n delete -inet6 8000::/1 -interface utun7",
            "route -q -n delete -inet6 ::/1 -interface utun7",
            "route -q -n delete -inet 128.0.0.0/1 -interface utun7",
            "route -q -n delete -inet 0.0.0.0/1 -interface utun7",
            "route -q -n delete -inet 10.8.0.0/24 -interface utun7");
  }

  @Test
  void splitTunnelWithMtuSkipsRoutesTheInterfaceAlreadyHas() throws Exception {
    RecordingHost host =
        new RecordingHost()
            .answer(
                "route -n get -inet 10.9.0.0/24", 0, "destination: 10.9.0.0\ninterface: utun3\n");
    Config config =
        config(
            "Address = 10.9.0.1/24\nMTU = 1380\n",
            "AllowedIPs = 10.9.0.0/24, 192.168.77.0/24\nEndpoint = 198.51.100.9:51820\n",
            "AllowedIPs = 10.9.0.7/32, 192.168.77.0/24\n");

    NetworkSetup.Applied applied = new NetworkSetup(host).apply("utun3", config);

    assertThat(applied.mtu()).isEqualTo(1380);
    assertThat(host.calls)
        .containsExactly(
            "ifconfig utun3 inet 10.9.0.1/24 10.9.0.1 alias",
            "SIOCSIFMTU utun3 1380",
            "ifconfig utun3 up",
            "route -n get -inet 10.9.0.7/32",
            "route -q -n add -inet 10.9.0.7/32 -interface utun3",
            "route -n get -inet 10.9.0.0/24",
            "route -n get -inet 192.168.77.0/24",
            "route -q -n add -inet 192.168.77.0/24 -interface utun3");
    host.calls.clear();
    applied.undo().run();
    assertThat(host.calls)
        .containsExactly(
            "route -q -n delete -inet 192.168.77.0/24 -interface utun3",
            "route -q -n delete -inet 10.9.0.7/32 -interface utun3");
  }

  @Test
  void masksAllowedIpsAndBlackholesEndpointsWithoutAGateway() throws Exception {
    RecordingHost host =
        new RecordingHost()
            .answer("route -n get -inet default", 0, "destination: default\ninterface: en5\n");
    Config config =
        config("MTU = 1400\n", "AllowedIPs = 0.0.0.0/0, 172.16.5.9/12\nEndpoint = 192.0.2.1:1\n");

    new NetworkSetup(host).apply("utun0", config);

    assertThat(host.calls)
        .contains(
            "route -q -n add -inet 172.16.0.0/12 -interface utun0",
            "route -q -n add -inet 192.0.2.1 127.0.0.1 -blackhole");
  }

  @Test
  void tableOffAddsNoRoutesAndTheDefaultMtuFallsBackTo1420() throws Exception {
    RecordingHost host =
        new RecordingHost().answer("route -n get -inet default", 1, "not in table");
    Config config = config("Address = 10.1.0.2/32\nTable = off\n", "AllowedIPs = 0.0.0.0/0\n");

    NetworkSetup.Applied applied = new NetworkSetup(host).apply("utun1", config);

    assertThat(applied.mtu()).isEqualTo(1420);
    assertThat(host.calls)
        .containsExactly(
            "route -n get -inet default",
            "ifconfig utun1 inet 10.1.0.2/32 10.1.0.2 alias",
            "SIOCSIFMTU utun1 1420",
            "ifconfig utun1 up");
  }

  @Test
  void rejectsTablesMacOsDoesNotHave() throws Exception {
    Config config = config("Table = 1234\n", "AllowedIPs = 10.0.0.0/8\n");
    assertThatThrownBy(() -> new NetworkSetup(new RecordingHost()).apply("utun1", config))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("Table");
  }

  @Test
  void aFailedStepUndoesTheRoutesAddedBeforeItAndNamesTheCommand() throws Exception {
    RecordingHost host =
        new RecordingHost()
            .answer(
                "route -q -n add -inet 10.0.0.0/8 -interface utun2",
                1,
                "route: writing: File exists");
    Config config = config("MTU = 1420\n", "AllowedIPs = 10.1.0.0/16, 10.0.0.0/8\n");

    assertThatThrownBy(() -> new NetworkSetup(host).apply("utun2", config))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("route -q -n add -inet 10.0.0.0/8 -interface utun2")
        .hasMessageContaining("File exists");
    assertThat(host.calls.get(host.calls.size() - 1))
        .isEqualTo("route -q -n delete -inet 10.1.0.0/16 -interface utun2");
  }

  @Test
  void refusesAnInterfaceNameThatIsNotUtun() throws Exception {
    Config config = config("MTU = 1420\n");
    assertThatThrownBy(() -> new NetworkSetup(new RecordingHost()).apply("en0; rm -rf /", config))
        .isInstanceOf(IOException.class);
  }

  @Test
  void parsesRouteGetOutputAndIgnoresLinkGateways() {
    NetworkSetup.DefaultRoute route = NetworkSetup.parseRouteGet(EN0_DEFAULT);
    assertThat(route.gateway()).contains("192.168.1.1");
    assertThat(route.iface()).contains("en0");
    assertThat(NetworkSetup.parseRouteGet("gateway: link#14\ninterface: utun4\n").gateway())
        .isEmpty();
    assertThat(NetworkSetup.parseRouteGet("gateway: -evil\n").gateway()).isEmpty();
    assertThat(NetworkSetup.parseRouteGet(EN0_DEFAULT6).gateway()).contains("fe80::1%en0");
  }

  @Test
  void sortsAllowedIpsLongestPrefixFirstWithoutDuplicates() throws Exception {
    Config config =
        config("", "AllowedIPs = 10.0.0.0/8, 10.1.2.3/32\n", "AllowedIPs = 10.0.0.1/8, ::/0\n");
    assertThat(NetworkSetup.allowedIps(config))
        .extracting(Object::toString)
        .containsExactly("10.1.2.3/32", "10.0.0.0/8", "::/0");
  }

  @Test
  void writesIpv6AddressesTheWayRfc5952Does() throws Exception {
    String[][] cases = {
      {"::", "::"},
      {"::1", "::1"},
      {"fd00:8:0:0:0:0:0:2", "fd00:8::2"},
      {"2001:db8:0:1:0:0:0:1", "2001:db8:0:1::1"},
      {"2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"},
      {"2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"},
      {"fe80:0:0:0:0:0:0:0", "fe80::"},
      {"8000::", "8000::"},
    };
    for (String[] c : cases) {
      assertThat(NetworkSetup.text(java.net.InetAddress.getByName(c[0]))).as(c[0]).isEqualTo(c[1]);
    }
    assertThat(NetworkSetup.text(java.net.InetAddress.getByName("10.0.0.1"))).isEqualTo("10.0.0.1");
  }

  @Test
  void unitsFollowTheRequestedName() {
    assertThat(Utun.unitFor(java.util.Optional.empty())).isZero();
    assertThat(Utun.unitFor(java.util.Optional.of("utun"))).isZero();
    assertThat(Utun.unitFor(java.util.Optional.of("utun7"))).isEqualTo(8);
    assertThat(Utun.unitFor(java.util.Optional.of("wg0"))).isZero();
    assertThat(Utun.isUtunName("utun12")).isTrue();
    assertThat(Utun.isUtunName("utun")).isFalse();
    assertThat(List.of("en0", "utun-1", "utun1 ")).noneMatch(Utun::isUtunName);
  }
}
