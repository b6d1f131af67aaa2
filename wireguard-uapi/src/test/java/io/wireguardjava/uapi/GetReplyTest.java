package io.wireguardjava.uapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.wireguardjava.Config;
import io.wireguardjava.Endpoint;
import io.wireguardjava.InetNetwork;
import io.wireguardjava.Interface;
import io.wireguardjava.Key;
import io.wireguardjava.Peer;
import io.wireguardjava.PeerStats;
import io.wireguardjava.PresharedKey;
import io.wireguardjava.PrivateKey;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GetReplyTest {

  static String render(Config c, int port, Map<Key, PeerStats> stats) {
    return GetReply.render(c, port, stats);
  }

  @Test
  void emptyDeviceRendersNothing() {
    Config empty = Config.builder().iface(Interface.builder().build()).build();
    assertThat(render(empty, 0, Map.of())).isEmpty();
  }

  @Test
  void rendersLikeWireguardGo() {
    PrivateKey own =
        PrivateKey.fromHex("e84b5a6d2717c1003a13b431570353dbaca9146cf150c5f8575680feba52027a");
    Key peer = Key.fromHex("b85996fecc9c7f1fc6d2572a76eda11d59bcd20be8e543b15ce4bd85a8e75a33");
    PresharedKey psk =
        PresharedKey.fromHex("188515093e952f5f22e865cef3012e72f8b5f0b598ac0309d5dacce3b70fcf52");
    Key bare = Key.fromHex("58402e695ba1772b1cc9309755f043251ea77fdcf10fbe63989ceb7e19321376");
    Config config =
        Config.builder()
            .iface(Interface.builder().privateKey(own).listenPort(12912).build())
            .addPeer(
                Peer.builder()
                    .publicKey(peer)
                    .presharedKey(psk)
                    .endpoint(Endpoint.parse("192.168.4.4:1234"))
                    .addAllowedIp(InetNetwork.parse("192.168.4.4/32"))
                    .addAllowedIp(InetNetwork.parse("10.0.0.0/8"))
                    .build())
            .addPeer(
                Peer.builder()
                    .publicKey(bare)
                    .persistentKeepalive(111)
                    .addAllowedIp(InetNetwork.parse("::/0"))
                    .build())
            .build();
    PeerStats r =
        new PeerStats(
            peer,
            Optional.of(new InetSocketAddress("abcd:23::33", 51820)),
            Optional.of(Instant.ofEpochSecond(1_700_000_000L, 123_456_789)),
            2224,
            38333,
            0);
    String text = render(config, 12912, Map.of(peer, r));
    assertThat(text)
        .isEqualTo(
            String.join(
                "\n",
                "private_key=e84b5a6d2717c1003a13b431570353dbaca9146cf150c5f8575680feba52027a",
                "listen_port=12912",
                "public_key=b85996fecc9c7f1fc6d2572a76eda11d59bcd20be8e543b15ce4bd85a8e75a33",
                "preshared_key=188515093e952f5f22e865cef3012e72f8b5f0b598ac0309d5dacce3b70fcf52",
                "protocol_version=1",
                "endpoint=[abcd:23::33]:51820",
                "last_handshake_time_sec=1700000000",
                "last_handshake_time_nsec=123456789",
                "tx_bytes=38333",
                "rx_bytes=2224",
                "persistent_keepalive_interval=0",
                "allowed_ip=192.168.4.4/32",
                "allowed_ip=10.0.0.0/8",
                "public_key=58402e695ba1772b1cc9309755f043251ea77fdcf10fbe63989ceb7e19321376",
                "preshared_key=0000000000000000000000000000000000000000000000000000000000000000",
                "protocol_version=1",
                "last_handshake_time_sec=0",
                "last_handshake_time_nsec=0",
                "tx_bytes=0",
                "rx_bytes=0",
                "persistent_keepalive_interval=111",
                "allowed_ip=::/0",
                ""));
  }

  @Test
  void parseReadsRenderBack() throws Exception {
    PrivateKey own = PrivateKey.generate();
    Key peer = PrivateKey.generate().publicKey();
    Config config =
        Config.builder()
            .iface(Interface.builder().privateKey(own).listenPort(5).fwMark(77).build())
            .addPeer(
                Peer.builder()
                    .publicKey(peer)
                    .presharedKey(PresharedKey.generate())
                    .endpoint(Endpoint.parse("10.9.8.7:6"))
                    .persistentKeepalive(25)
                    .addAllowedIp(InetNetwork.parse("10.0.0.0/8"))
                    .build())
            .build();
    PeerStats r =
        new PeerStats(
            peer,
            Optional.of(new InetSocketAddress("10.9.8.7", 6)),
            Optional.of(Instant.ofEpochSecond(5, 7)),
            1,
            2,
            25);
    UapiDevice back = GetReply.parse(Arrays.asList(render(config, 5, Map.of(peer, r)).split("\n")));
    assertThat(back.config()).isEqualTo(config);
    assertThat(back.listenPort()).isEqualTo(5);
    assertThat(back.peerStats()).containsExactly(r);
    assertThat(back.stats(peer)).contains(r);
  }

  @Test
  void aPeerNeverHeardFromHasEmptyStatistics() throws Exception {
    Key peer = PrivateKey.generate().publicKey();
    UapiDevice d =
        GetReply.parse(
            List.of(
                "public_key=" + peer.toHex(),
                "last_handshake_time_sec=0",
                "last_handshake_time_nsec=0"));
    assertThat(d.stats(peer).orElseThrow().lastHandshake()).isEmpty();
    assertThat(d.stats(peer).orElseThrow().endpoint()).isEmpty();
  }
}
