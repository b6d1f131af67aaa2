package io.wireguardjava;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.wireguardjava.ConfigException.Reason;
import io.wireguardjava.ConfigException.Section;
import java.net.InetAddress;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigParseTest {
  static final String PRIV = "dwdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LCo=";
  static final String PUB1 = "hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmo=";
  static final String PUB2 = "3p7bfXt9wbTTW2HC7OQ1Nz+DQ8hbeGdNrfx+FG+IK08=";
  static final String PSK = "XSsIfmJKikt54X+Lg4AO5m87sSkmGLb9HC+LJ/+I4Os=";

  static final String FULL =
      String.join(
          "\n",
          "# a full wg-quick file",
          "[Interface]",
          "PrivateKey = " + PRIV,
          "listenport=51820   # lower case, no spaces, trailing comment",
          "FwMark = 0xca6c",
          "Address = 10.0.0.1/24, fd00::1/64",
          "Address = 10.1.0.1",
          "DNS = 1.1.1.1, 2606:4700:4700::1111, example.com",
          "DNS = corp.internal",
          "MTU = 1420",
          "Table = off",
          "PreUp = echo pre up",
          "PostUp = iptables -A FORWARD -i %i -j ACCEPT; iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE",
          "PostUp = echo second",
          "PreDown = echo pre down",
          "PostDown = echo post down",
          "SaveConfig = TRUE",
          "",
          "  # indented comment",
          "[Peer]",
          "PublicKey = " + PUB1,
          "PresharedKey = " + PSK,
          "AllowedIPs = 10.0.0.2/32, fd00::2/128",
          "AllowedIPs = 192.168.0.0/16",
          "Endpoint = vpn.example.com:51820",
          "PersistentKeepalive = 25",
          "",
          "[peer]",
          "PUBLICKEY = " + PUB2,
          "Endpoint = [2001:db8::1]:51820",
          "PersistentKeepalive = off",
          "");

  @Test
  void parsesEveryKey() throws Exception {
    Config c = Config.parse(FULL);
    Interface i = c.iface();
    assertThat(i.privateKey()).contains(PrivateKey.fromBase64(PRIV));
    assertThat(i.listenPort()).contains(51820);
    assertThat(i.fwMark()).contains(0xca6c);
    assertThat(i.addresses())
        .extracting(Object::toString)
        .containsExactly("10.0.0.1/24", "fd00::1/64", "10.1.0.1/32");
    assertThat(i.dnsServers())
        .containsExactly(
            InetAddress.getByName("1.1.1.1"), InetAddress.getByName("2606:4700:4700::1111"));
    assertThat(i.dnsSearch()).containsExactly("example.com", "corp.internal");
    assertThat(i.mtu()).contains(1420);
    assertThat(i.table()).contains("off");
    assertThat(i.preUp()).containsExactly("echo pre up");
    assertThat(i.postUp())
        .containsExactly(
            "iptables -A FORWARD -i %i -j ACCEPT; iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE",
            "echo second");
    assertThat(i.preDown()).containsExactly("echo pre down");
    assertThat(i.postDown()).containsExactly("echo post down");
    assertThat(i.saveConfig()).isTrue();
    assertThat(c.peers()).hasSize(2);
    Peer p1 = c.peers().get(0);
    assertThat(p1.publicKey()).isEqualTo(Key.fromBase64(PUB1));
    assertThat(p1.presharedKey()).contains(PresharedKey.fromBase64(PSK));
    assertThat(p1.allowedIps())
        .extracting(Object::toString)
        .containsExactly("10.0.0.2/32", "fd00::2/128", "192.168.0.0/16");
    assertThat(p1.endpoint()).contains(Endpoint.of("vpn.example.com", 51820));
    assertThat(p1.persistentKeepalive()).contains(25);
    Peer p2 = c.peers().get(1);
    assertThat(p2.endpoint().orElseThrow().host()).isEqualTo("2001:db8::1");
    assertThat(p2.persistentKeepalive()).isEmpty();
    assertThat(p2.allowedIps()).isEmpty();
    assertThat(c.peer(Key.fromBase64(PUB2))).contains(p2);
  }

  @Test
  void printsAndReadsBack() throws Exception {
    Config c = Config.parse(FULL);
    String text = c.toWgQuickString();
    assertThat(Config.parse(text)).isEqualTo(c);
    assertThat(text)
        .startsWith("[Interface]\nPrivateKey = " + PRIV + "\nListenPort = 51820\n")
        .contains("FwMark = 0xca6c\n")
        .contains("Address = 10.0.0.1/24, fd00::1/64, 10.1.0.1/32\n")
        .contains("DNS = 1.1.1.1, 2606:4700:4700::1111, example.com, corp.internal\n")
        .contains("PostUp = echo second\n")
        .contains("\n\n[Peer]\nPublicKey = " + PUB1 + "\n")
        .contains("Endpoint = [2001:db8::1]:51820\n")
        .endsWith("\n");
  }

  @Test
  void anInterfaceWithoutPrivateKeyIsAcceptedAsWgQuickStripDoes() throws Exception {
    Config c =
        Config.parse(
            "[Interface]\nAddress = 10.0.0.1/24\nPostUp = wg set %i private-key"
                + " /etc/wireguard/wg0.key\n\n"
                + PEER1);
    assertThat(c.iface().privateKey()).isEmpty();
    assertThat(c.iface().postUp()).containsExactly("wg set %i private-key /etc/wireguard/wg0.key");
    assertThat(c.toSetconfString()).startsWith("[Interface]\n\n[Peer]\nPublicKey = " + PUB1);
    assertThat(Config.parse(c.toWgQuickString())).isEqualTo(c);
  }

  @Test
  void setconfStringLeavesOutWgQuickKeys() throws Exception {
    Config c = Config.parse(FULL);
    String text = c.toSetconfString();
    assertThat(text)
        .isEqualTo(
            String.join(
                "\n",
                "[Interface]",
                "PrivateKey = " + PRIV,
                "ListenPort = 51820",
                "FwMark = 0xca6c",
                "",
                "[Peer]",
                "PublicKey = " + PUB1,
                "PresharedKey = " + PSK,
                "AllowedIPs = 10.0.0.2/32, fd00::2/128, 192.168.0.0/16",
                "Endpoint = vpn.example.com:51820",
                "PersistentKeepalive = 25",
                "",
                "[Peer]",
                "PublicKey = " + PUB2,
                "Endpoint = [2001:db8::1]:51820",
                ""));
    assertThat(Config.parseSetconf(text)).isEqualTo(c.withoutWgQuickSettings());
  }

  @Test
  void setconfAllowsNoInterfaceAndNoPrivateKey() throws Exception {
    Config c = Config.parseSetconf("[Peer]\nPublicKey = " + PUB1 + "\nAllowedIPs = 0.0.0.0/0\n");
    assertThat(c.iface()).isEqualTo(Interface.builder().build());
    assertThat(c.peers()).hasSize(1);
    assertThat(Config.parseSetconf("[Interface]\nListenPort = 1\n").iface().privateKey()).isEmpty();
    assertThat(Config.parseSetconf("").peers()).isEmpty();
  }

  @Test
  void whitespaceInsideWgValuesIsIgnoredAsWgDoes() throws Exception {
    Config c =
        Config.parse(
            "[ Interface ]\r\nPrivate Key = "
                + PRIV
                + "\r\n"
                + "[Peer]\nPublicKey="
                + PUB1
                + "\nAllowedIPs = 10.0.0.0/8 ,\t fd00::/8\n"
                + "Endpoint = 1.2.3.4 : 51820\n");
    assertThat(c.peers().get(0).allowedIps()).hasSize(2);
    assertThat(c.peers().get(0).endpoint()).contains(Endpoint.of("1.2.3.4", 51820));
  }

  @Test
  void aByteOrderMarkIsIgnored() throws Exception {
    assertThat(Config.parse("\uFEFF" + FULL)).isEqualTo(Config.parse(FULL));
  }

  @Test
  void wgQuickListsSplitOnSpacesToo() throws Exception {
    Config c =
        Config.parse(
            "[Interface]\nPrivateKey="
                + PRIV
                + "\nAddress = 10.0.0.1/24 fd00::1/64\nDNS = 9.9.9.9 lan\n");
    assertThat(c.iface().addresses()).hasSize(2);
    assertThat(c.iface().dnsSearch()).containsExactly("lan");
  }

  @Test
  void fwMarkAndKeepaliveOffAndZero() throws Exception {
    String base = "[Interface]\nPrivateKey=" + PRIV + "\n";
    assertThat(Config.parse(base + "FwMark = off\n").iface().fwMark()).isEmpty();
    assertThat(Config.parse(base + "FwMark = 0\n").iface().fwMark()).isEmpty();
    assertThat(Config.parse(base + "FwMark = 4294967295\n").iface().fwMark()).contains(-1);
    assertThat(Config.parse(base + "FwMark = 1234\n").iface().fwMark()).contains(1234);
    String peer = "[Peer]\nPublicKey=" + PUB1 + "\n";
    assertThat(
            Config.parse(base + peer + "PersistentKeepalive = 0\n")
                .peers()
                .get(0)
                .persistentKeepalive())
        .isEmpty();
    assertThat(
            Config.parse(base + peer + "PersistentKeepalive = OFF\n")
                .peers()
                .get(0)
                .persistentKeepalive())
        .isEmpty();
    assertThat(
            Config.parse(base + peer + "PersistentKeepalive = 65535\n")
                .peers()
                .get(0)
                .persistentKeepalive())
        .contains(65535);
  }

  @Test
  void theMessageOfTheIssue() {
    String text =
        String.join(
            "\n",
            "[Interface]",
            "PrivateKey = " + PRIV,
            "[Peer]",
            "PublicKey = " + PUB1,
            "[Peer]",
            "PublicKey = " + PUB2,
            "AllowedIPs = 10.0.0.300/32",
            "");
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> Config.parse(text));
    assertThat(e.getMessage())
        .isEqualTo("line 7, [Peer] 2, AllowedIPs: '10.0.0.300/32' is not an IP network");
    assertThat(e.line()).hasValue(7);
    assertThat(e.section()).isEqualTo(Section.PEER);
    assertThat(e.peerNumber()).hasValue(2);
    assertThat(e.sectionLabel()).isEqualTo("[Peer] 2");
    assertThat(e.key()).contains("AllowedIPs");
    assertThat(e.reason()).isEqualTo(Reason.INVALID_NETWORK);
    assertThat(e.text()).contains("10.0.0.300/32");
  }

  static final String IFACE = "[Interface]\nPrivateKey = " + PRIV + "\n";
  static final String PEER1 = "[Peer]\nPublicKey = " + PUB1 + "\n";

  static Stream<Arguments> badConfigs() {
    return Stream.of(
        bad("no interface", PEER1, Reason.MISSING_SECTION, 0, Section.NONE, null),
        bad("empty text", "", Reason.MISSING_SECTION, 0, Section.NONE, null),
        bad(
            "peer without public key",
            IFACE + PEER1 + "[Peer]\nAllowedIPs = 10.0.0.0/8\n",
            Reason.MISSING_KEY,
            5,
            Section.PEER,
            "PublicKey"),
        bad(
            "duplicate peers",
            IFACE + PEER1 + "[Peer]\n# same\nPublicKey = " + PUB1 + "\n",
            Reason.DUPLICATE_PEER,
            7,
            Section.PEER,
            "PublicKey"),
        bad("unknown key", IFACE + "Foo = bar\n", Reason.UNKNOWN_KEY, 3, Section.INTERFACE, "Foo"),
        bad(
            "peer key in interface",
            IFACE + "Endpoint = 1.2.3.4:5\n",
            Reason.UNKNOWN_KEY,
            3,
            Section.INTERFACE,
            "Endpoint"),
        bad(
            "wg-quick key in peer",
            IFACE + PEER1 + "Address = 10.0.0.1/32\n",
            Reason.UNKNOWN_KEY,
            5,
            Section.PEER,
            "Address"),
        bad("unknown section", IFACE + "[Peers]\n", Reason.UNKNOWN_SECTION, 3, Section.NONE, null),
        bad(
            "second interface",
            IFACE + IFACE,
            Reason.DUPLICATE_SECTION,
            3,
            Section.INTERFACE,
            null),
        bad(
            "key before any section",
            "PrivateKey = " + PRIV + "\n" + IFACE,
            Reason.KEY_OUTSIDE_SECTION,
            1,
            Section.NONE,
            "PrivateKey"),
        bad(
            "no equals sign",
            IFACE + "ListenPort 51820\n",
            Reason.SYNTAX_ERROR,
            3,
            Section.INTERFACE,
            null),
        bad("empty key", IFACE + " = 1\n", Reason.SYNTAX_ERROR, 3, Section.INTERFACE, null),
        bad(
            "repeated single key",
            IFACE + "ListenPort = 1\nlistenport = 2\n",
            Reason.DUPLICATE_KEY,
            4,
            Section.INTERFACE,
            "listenport"),
        bad(
            "bad private key",
            "[Interface]\nPrivateKey = abc\n",
            Reason.INVALID_KEY,
            2,
            Section.INTERFACE,
            "PrivateKey"),
        bad(
            "non-canonical public key",
            IFACE + "[Peer]\nPublicKey = hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmp=\n",
            Reason.INVALID_KEY,
            4,
            Section.PEER,
            "PublicKey"),
        bad(
            "bad preshared key",
            IFACE + PEER1 + "PresharedKey = " + PSK + "x\n",
            Reason.INVALID_KEY,
            5,
            Section.PEER,
            "PresharedKey"),
        bad(
            "listen port too big",
            IFACE + "ListenPort = 65536\n",
            Reason.OUT_OF_RANGE,
            3,
            Section.INTERFACE,
            "ListenPort"),
        bad(
            "listen port negative",
            IFACE + "ListenPort = -1\n",
            Reason.INVALID_NUMBER,
            3,
            Section.INTERFACE,
            "ListenPort"),
        bad(
            "listen port not a number",
            IFACE + "ListenPort = http\n",
            Reason.INVALID_NUMBER,
            3,
            Section.INTERFACE,
            "ListenPort"),
        bad(
            "endpoint port too big",
            IFACE + PEER1 + "Endpoint = 1.2.3.4:70000\n",
            Reason.OUT_OF_RANGE,
            5,
            Section.PEER,
            "Endpoint"),
        bad(
            "endpoint port zero",
            IFACE + PEER1 + "Endpoint = host:0\n",
            Reason.OUT_OF_RANGE,
            5,
            Section.PEER,
            "Endpoint"),
        bad(
            "endpoint without port",
            IFACE + PEER1 + "Endpoint = 1.2.3.4\n",
            Reason.INVALID_ENDPOINT,
            5,
            Section.PEER,
            "Endpoint"),
        bad(
            "endpoint v6 without brackets",
            IFACE + PEER1 + "Endpoint = 2001:db8::1:51820\n",
            Reason.INVALID_ENDPOINT,
            5,
            Section.PEER,
            "Endpoint"),
        bad(
            "endpoint bad v6 in brackets",
            IFACE + PEER1 + "Endpoint = [2001:db8:::1]:51820\n",
            Reason.INVALID_ENDPOINT,
            5,
            Section.PEER,
            "Endpoint"),
        bad(
            "endpoint bad host",
            IFACE + PEER1 + "Endpoint = a/b:1\n",
            Reason.INVALID_ENDPOINT,
            5,
            Section.PEER,
            "Endpoint"),
        bad(
            "v4 prefix too long",
            IFACE + PEER1 + "AllowedIPs = 10.0.0.0/33\n",
            Reason.INVALID_PREFIX_LENGTH,
            5,
            Section.PEER,
            "AllowedIPs"),
        bad(
            "v6 prefix too long",
            IFACE + PEER1 + "AllowedIPs = fd00::/129\n",
            Reason.INVALID_PREFIX_LENGTH,
            5,
            Section.PEER,
            "AllowedIPs"),
        bad(
            "address prefix too long",
            IFACE + "Address = 10.0.0.1/40\n",
            Reason.INVALID_PREFIX_LENGTH,
            3,
            Section.INTERFACE,
            "Address"),
        bad(
            "negative prefix",
            IFACE + PEER1 + "AllowedIPs = 10.0.0.0/-1\n",
            Reason.INVALID_NETWORK,
            5,
            Section.PEER,
            "AllowedIPs"),
        bad(
            "host name as network",
            IFACE + PEER1 + "AllowedIPs = example.com/32\n",
            Reason.INVALID_NETWORK,
            5,
            Section.PEER,
            "AllowedIPs"),
        bad(
            "empty list element",
            IFACE + PEER1 + "AllowedIPs = 10.0.0.0/8,\n",
            Reason.INVALID_NETWORK,
            5,
            Section.PEER,
            "AllowedIPs"),
        bad(
            "bad dns server",
            IFACE + "DNS = 1.2.3.256\n",
            Reason.INVALID_ADDRESS,
            3,
            Section.INTERFACE,
            "DNS"),
        bad(
            "bad search domain",
            IFACE + "DNS = a@b\n",
            Reason.INVALID_VALUE,
            3,
            Section.INTERFACE,
            "DNS"),
        bad(
            "mtu too small",
            IFACE + "MTU = 10\n",
            Reason.OUT_OF_RANGE,
            3,
            Section.INTERFACE,
            "MTU"),
        bad(
            "keepalive too big",
            IFACE + PEER1 + "PersistentKeepalive = 65536\n",
            Reason.OUT_OF_RANGE,
            5,
            Section.PEER,
            "PersistentKeepalive"),
        bad(
            "keepalive word",
            IFACE + PEER1 + "PersistentKeepalive = on\n",
            Reason.INVALID_NUMBER,
            5,
            Section.PEER,
            "PersistentKeepalive"),
        bad(
            "fwmark too big",
            IFACE + "FwMark = 0x100000000\n",
            Reason.OUT_OF_RANGE,
            3,
            Section.INTERFACE,
            "FwMark"),
        bad(
            "fwmark word",
            IFACE + "FwMark = on\n",
            Reason.INVALID_NUMBER,
            3,
            Section.INTERFACE,
            "FwMark"),
        bad(
            "bad boolean",
            IFACE + "SaveConfig = yes\n",
            Reason.INVALID_VALUE,
            3,
            Section.INTERFACE,
            "SaveConfig"),
        bad(
            "table with spaces",
            IFACE + "Table = main table\n",
            Reason.INVALID_VALUE,
            3,
            Section.INTERFACE,
            "Table"),
        bad(
            "empty hook",
            IFACE + "PostUp =\n",
            Reason.INVALID_VALUE,
            3,
            Section.INTERFACE,
            "PostUp"));
  }

  private static Arguments bad(
      String name, String text, Reason reason, int line, Section section, String key) {
    return Arguments.of(name, text, reason, line, section, key);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badConfigs")
  void rejects(String name, String text, Reason reason, int line, Section section, String key) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> Config.parse(text));
    assertThat(e).as(name).isNotNull();
    assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason);
    assertThat(e.line().orElse(0)).as(e.getMessage()).isEqualTo(line);
    assertThat(e.section()).as(e.getMessage()).isEqualTo(section);
    assertThat(e.key().orElse(null)).as(e.getMessage()).isEqualTo(key);
    assertThat(e.getMessage()).doesNotContain("\n");
    if (line > 0) {
      assertThat(e.getMessage()).startsWith("line " + line);
    }
  }

  @Test
  void secretsNeverAppearInErrors() {
    String badPsk = PSK.substring(0, 40) + "!!!=";
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () -> Config.parse(IFACE + PEER1 + "PresharedKey = " + badPsk + "\n"));
    assertThat(e.getMessage())
        .doesNotContain(PSK.substring(0, 40))
        .isEqualTo("line 5, [Peer] 1, PresharedKey: the value is not a base64 key of 32 bytes");
    assertThat(e.text()).isEmpty();
  }

  @Test
  void setconfRejectsWgQuickKeys() {
    for (String line :
        List.of(
            "Address = 10.0.0.1/24",
            "DNS = 1.1.1.1",
            "MTU = 1420",
            "Table = off",
            "PreUp = true",
            "PostUp = true",
            "PreDown = true",
            "PostDown = true",
            "SaveConfig = false")) {
      ConfigException e =
          catchThrowableOfType(
              ConfigException.class, () -> Config.parseSetconf(IFACE + line + "\n"));
      assertThat(e.reason()).as(line).isEqualTo(Reason.WG_QUICK_ONLY_KEY);
      assertThat(e.getMessage())
          .as(line)
          .startsWith("line 3, [Interface], ")
          .endsWith("wg-quick key, not allowed by wg setconf");
    }
  }

  @Test
  void builderChecks() {
    assertThatThrownBy(() -> Peer.builder().build()).isInstanceOf(IllegalStateException.class);
    Peer p = Peer.builder().publicKey(Key.fromBase64(PUB1)).build();
    assertThatThrownBy(() -> Config.builder().addPeer(p).addPeer(p).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Interface.builder().listenPort(65536))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Interface.builder().mtu(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Interface.builder().addPostUp("echo # comment"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Interface.builder().addDnsSearch("1.2.3"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Interface.builder().table("a b"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Peer.builder().persistentKeepalive(-1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Interface.builder().addPostUp("  echo hi ").build().postUp())
        .containsExactly("echo hi");
  }

  @Test
  void toStringRedactsSecrets() throws Exception {
    String s = Config.parse(FULL).toString();
    assertThat(s).doesNotContain(PRIV).doesNotContain(PSK).contains(PUB1).contains("redacted");
  }
}
