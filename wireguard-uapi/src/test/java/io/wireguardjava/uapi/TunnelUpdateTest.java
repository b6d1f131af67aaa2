package io.wireguardjava.uapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wireguardjava.Config;
import io.wireguardjava.Endpoint;
import io.wireguardjava.InetNetwork;
import io.wireguardjava.Key;
import io.wireguardjava.Peer;
import io.wireguardjava.PeerStats;
import io.wireguardjava.PresharedKey;
import io.wireguardjava.PrivateKey;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TunnelUpdateTest {

  @Test
  void setsGoToTheTunnelAndGetsComeBack() throws Exception {
    FakeTunnel tunnel = new FakeTunnel();
    TunnelUpdate backend = new TunnelUpdate(tunnel);
    PrivateKey own = PrivateKey.generate();
    Key peer = PrivateKey.generate().publicKey();
    PresharedKey psk = PresharedKey.generate();
    SetRequest set =
        SetRequest.parse(
            List.of(
                "private_key=" + own.toHex(),
                "listen_port=4500",
                "fwmark=3",
                "public_key=" + peer.toHex(),
                "preshared_key=" + psk.toHex(),
                "endpoint=[2001:db8::1]:51820",
                "persistent_keepalive_interval=25",
                "allowed_ip=10.0.0.1/24",
                "allowed_ip=fd00::/64"));
    backend.apply(set);

    Config c = tunnel.config();
    assertThat(c.iface().privateKey()).contains(own);
    assertThat(c.iface().listenPort()).contains(4500);
    assertThat(c.iface().fwMark()).contains(3);
    Peer p = c.peer(peer).orElseThrow();
    assertThat(p.presharedKey()).contains(psk);
    assertThat(p.endpoint()).contains(Endpoint.parse("[2001:db8::1]:51820"));
    assertThat(p.persistentKeepalive()).contains(25);
    assertThat(p.allowedIps())
        .containsExactly(InetNetwork.parse("10.0.0.0/24"), InetNetwork.parse("fd00::/64"));

    tunnel.stats.put(
        peer,
        new PeerStats(
            peer,
            Optional.of(new InetSocketAddress("198.51.100.9", 4000)),
            Optional.of(Instant.ofEpochSecond(1000, 5)),
            10,
            20,
            25));
    GetReply.Snapshot snap = GetReply.Snapshot.of(tunnel);
    String get = GetReply.render(snap.config(), snap.boundPort(), snap.stats());
    assertThat(get)
        .contains(
            "listen_port=4500\nfwmark=3\n",
            "endpoint=198.51.100.9:4000\n",
            "last_handshake_time_sec=1000\nlast_handshake_time_nsec=5\ntx_bytes=20\nrx_bytes=10\n",
            "persistent_keepalive_interval=25\nallowed_ip=10.0.0.0/24\nallowed_ip=fd00::/64\n");
  }

  @Test
  void onlyWhatChangedIsTouched() throws Exception {
    FakeTunnel tunnel = new FakeTunnel();
    TunnelUpdate backend = new TunnelUpdate(tunnel);
    backend.apply(SetRequest.parse(List.of("listen_port=4500")));
    assertThat(tunnel.calls).containsExactly("setListenPort");
    tunnel.calls.clear();
    backend.apply(SetRequest.parse(List.of("listen_port=4500", "fwmark=0")));
    assertThat(tunnel.calls).isEmpty();
  }

  @Test
  void portInUseLeavesTheTunnelAsItWas() throws Exception {
    FakeTunnel tunnel = new FakeTunnel();
    tunnel.takenPort = 53;
    TunnelUpdate backend = new TunnelUpdate(tunnel);
    Config before = tunnel.config();
    SetRequest set =
        SetRequest.parse(
            List.of(
                "private_key=" + PrivateKey.generate().toHex(),
                "listen_port=53",
                "public_key=" + PrivateKey.generate().publicKey().toHex()));
    assertThatThrownBy(() -> backend.apply(set))
        .isInstanceOfSatisfying(
            UapiException.class, e -> assertThat(e.errno()).isEqualTo(Errno.PORT_IN_USE));
    assertThat(tunnel.config()).isEqualTo(before);
  }
}
