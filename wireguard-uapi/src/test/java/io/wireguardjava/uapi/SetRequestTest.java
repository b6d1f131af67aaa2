package io.wireguardjava.uapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wireguardjava.Config;
import io.wireguardjava.Endpoint;
import io.wireguardjava.InetNetwork;
import io.wireguardjava.Key;
import io.wireguardjava.Peer;
import io.wireguardjava.PresharedKey;
import io.wireguardjava.PrivateKey;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SetRequestTest {
  static final PrivateKey OWN = PrivateKey.generate();
  static final Key A = PrivateKey.generate().publicKey();
  static final Key B = PrivateKey.generate().publicKey();

  static Config apply(Config base, String... lines) throws UapiException {
    return SetRequest.parse(Arrays.asList(lines)).applyTo(base);
  }

  static InetNetwork p(String s) {
    return Fixtures.prefix(s);
  }

  @Test
  void deviceKeys() throws Exception {
    Config s =
        apply(
            Fixtures.EMPTY, "private_key=" + OWN.toHex(), "listen_port=51820", "fwmark=4294967295");
    assertThat(s.iface().privateKey()).contains(OWN);
    assertThat(s.iface().listenPort().orElse(0)).isEqualTo(51820);
    assertThat(Integer.toUnsignedLong(s.iface().fwMark().orElse(0))).isEqualTo(0xffff_ffffL);
    // A zero private key removes it; port and mark 0 turn them off.
    s = apply(s, "private_key=" + "0".repeat(64), "listen_port=0", "fwmark=0");
    assertThat(s).isEqualTo(Fixtures.EMPTY);
  }

  @Test
  void peerKeysInOrder() throws Exception {
    PresharedKey psk = PresharedKey.generate();
    Config s =
        apply(
            Fixtures.EMPTY,
            "public_key=" + A.toHex(),
            "preshared_key=" + psk.toHex(),
            "protocol_version=1",
            "endpoint=[2001:db8::1]:51820",
            "persistent_keepalive_interval=25",
            "replace_allowed_ips=true",
            "allowed_ip=10.0.0.1/32",
            "allowed_ip=fd00::/64",
            "public_key=" + B.toHex(),
            "endpoint=192.0.2.2:1");
    assertThat(s.peers()).extracting(Peer::publicKey).containsExactly(A, B);
    Peer a = s.peer(A).orElseThrow();
    assertThat(a.presharedKey()).contains(psk);
    assertThat(a.endpoint()).contains(Endpoint.parse("[2001:db8::1]:51820"));
    assertThat(a.persistentKeepalive()).contains(25);
    assertThat(a.allowedIps()).containsExactly(p("10.0.0.1/32"), p("fd00::/64"));
    // Existing peers are updated in place; a zero PSK removes it.
    s =
        apply(
            s,
            "public_key=" + A.toHex(),
            "preshared_key=" + "0".repeat(64),
            "allowed_ip=10.0.0.2/32");
    assertThat(s.peer(A).orElseThrow().presharedKey()).isEmpty();
    assertThat(s.peer(A).orElseThrow().allowedIps())
        .containsExactly(p("10.0.0.1/32"), p("fd00::/64"), p("10.0.0.2/32"));
  }

  @Test
  void replacePeersAndRemoveAndUpdateOnly() throws Exception {
    Config two = apply(Fixtures.EMPTY, "public_key=" + A.toHex(), "public_key=" + B.toHex());
    assertThat(apply(two, "replace_peers=true").peers()).isEmpty();
    assertThat(apply(two, "replace_peers=true", "public_key=" + B.toHex()).peers())
        .extracting(Peer::publicKey)
        .containsExactly(B);
    Config removed = apply(two, "public_key=" + A.toHex(), "remove=true", "allowed_ip=1.2.3.4/32");
    assertThat(removed.peers()).extracting(Peer::publicKey).containsExactly(B);
    assertThat(removed.peer(B).orElseThrow().allowedIps()).isEmpty();
    // update_only: an existing peer is changed, a missing one is not created.
    Config one = apply(Fixtures.EMPTY, "public_key=" + A.toHex());
    Config u =
        apply(
            one,
            "public_key=" + A.toHex(),
            "update_only=true",
            "persistent_keepalive_interval=5",
            "public_key=" + B.toHex(),
            "update_only=true",
            "persistent_keepalive_interval=7");
    assertThat(u.peers()).extracting(Peer::publicKey).containsExactly(A);
    assertThat(u.peer(A).orElseThrow().persistentKeepalive()).contains(5);
    // Removing an unknown peer is fine.
    assertThat(apply(one, "public_key=" + B.toHex(), "remove=true")).isEqualTo(one);
  }

  @Test
  void allowedIpsMoveBetweenPeersAndMinusRemoves() throws Exception {
    Config s =
        apply(
            Fixtures.EMPTY,
            "public_key=" + A.toHex(),
            "allowed_ip=10.0.0.0/24",
            "allowed_ip=10.0.1.0/24",
            "public_key=" + B.toHex(),
            "allowed_ip=10.0.0.77/24");
    assertThat(s.peer(A).orElseThrow().allowedIps()).containsExactly(p("10.0.1.0/24"));
    assertThat(s.peer(B).orElseThrow().allowedIps()).containsExactly(p("10.0.0.0/24"));
    // '-' removes from this peer only; a prefix of another peer stays there.
    s = apply(s, "public_key=" + A.toHex(), "allowed_ip=-10.0.1.0/24", "allowed_ip=-10.0.0.0/24");
    assertThat(s.peer(A).orElseThrow().allowedIps()).isEmpty();
    assertThat(s.peer(B).orElseThrow().allowedIps()).containsExactly(p("10.0.0.0/24"));
    // replace_allowed_ips clears what came before it.
    s = apply(s, "public_key=" + B.toHex(), "replace_allowed_ips=true", "allowed_ip=::/0");
    assertThat(s.peer(B).orElseThrow().allowedIps()).containsExactly(p("::/0"));
  }

  @Test
  void ownPublicKeyIsIgnoredAsAPeerAndDroppedOnKeyChange() throws Exception {
    Config s =
        apply(
            Fixtures.EMPTY,
            "private_key=" + OWN.toHex(),
            "public_key=" + OWN.publicKey().toHex(),
            "allowed_ip=10.0.0.0/8");
    assertThat(s.peers()).isEmpty();
    PrivateKey other = PrivateKey.generate();
    Config withPeer =
        apply(Fixtures.EMPTY, "public_key=" + other.publicKey().toHex(), "public_key=" + A.toHex());
    assertThat(apply(withPeer, "private_key=" + other.toHex()).peers())
        .extracting(Peer::publicKey)
        .containsExactly(A);
  }

  @Test
  void applyDoesNotChangeItsInput() throws Exception {
    Config base = apply(Fixtures.EMPTY, "public_key=" + A.toHex(), "allowed_ip=10.0.0.0/8");
    Config copy = Config.builder().iface(base.iface()).peers(base.peers()).build();
    apply(base, "public_key=" + A.toHex(), "replace_allowed_ips=true");
    apply(base, "replace_peers=true");
    assertThat(base).isEqualTo(copy);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "no equals sign | -71",
        "bogus=1 | -22",
        "private_key=abc | -22",
        "private_key=ZZ00000000000000000000000000000000000000000000000000000000000000 | -22",
        "listen_port=65536 | -22",
        "listen_port=-1 | -22",
        "fwmark=4294967296 | -22",
        "replace_peers=false | -22",
        "public_key=00 | -22",
        "protocol_version=1 | -22",
        "endpoint=1.2.3.4:5 | -22",
        "public_key=PEER;update_only=yes | -22",
        "public_key=PEER;remove=1 | -22",
        "public_key=PEER;preshared_key=12 | -22",
        "public_key=PEER;endpoint=example.com:51820 | -22",
        "public_key=PEER;endpoint=1.2.3.4 | -22",
        "public_key=PEER;persistent_keepalive_interval=65536 | -22",
        "public_key=PEER;replace_allowed_ips=TRUE | -22",
        "public_key=PEER;allowed_ip=10.0.0.0/33 | -22",
        "public_key=PEER;allowed_ip=--10.0.0.0/8 | -22",
        "public_key=PEER;protocol_version=2 | -22",
        "public_key=PEER;listen_port=1 | -22",
        "public_key=PEER;private_key=PEER | -22",
        "public_key=PEER;bad line | -71",
      })
  void badLinesGiveWireguardGosErrno(String request, int errno) {
    List<String> lines = Arrays.asList(request.replace("PEER", A.toHex()).split(";"));
    assertThatThrownBy(() -> SetRequest.parse(lines))
        .isInstanceOfSatisfying(UapiException.class, e -> assertThat(e.errno()).isEqualTo(errno));
  }

  @Test
  void secretsStayOutOfMessages() {
    String secret = "g" + OWN.toHex().substring(1);
    assertThatThrownBy(() -> SetRequest.parse(List.of("private_key=" + secret)))
        .hasMessageNotContaining(secret.substring(1));
    assertThat(Optional.of(OWN).toString()).doesNotContain(OWN.toHex());
  }
}
