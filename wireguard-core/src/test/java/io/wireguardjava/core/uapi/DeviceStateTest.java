package io.wireguardjava.core.uapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.wireguardjava.Key;
import io.wireguardjava.PresharedKey;
import io.wireguardjava.PrivateKey;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DeviceStateTest {

  @Test
  void emptyDeviceRendersNothing() {
    assertThat(new DeviceState(DeviceSettings.EMPTY, 0, Map.of()).render()).isEmpty();
  }

  @Test
  void rendersLikeWireguardGo() {
    PrivateKey own =
        PrivateKey.fromHex("e84b5a6d2717c1003a13b431570353dbaca9146cf150c5f8575680feba52027a");
    Key peer = Key.fromHex("b85996fecc9c7f1fc6d2572a76eda11d59bcd20be8e543b15ce4bd85a8e75a33");
    PresharedKey psk =
        PresharedKey.fromHex("188515093e952f5f22e865cef3012e72f8b5f0b598ac0309d5dacce3b70fcf52");
    Key bare = Key.fromHex("58402e695ba1772b1cc9309755f043251ea77fdcf10fbe63989ceb7e19321376");
    DeviceSettings settings =
        new DeviceSettings(
            Optional.of(own),
            12912,
            0,
            List.of(
                new PeerSettings(
                    peer,
                    Optional.of(psk),
                    Optional.of(new InetSocketAddress("192.168.4.4", 1234)),
                    0,
                    List.of(Prefix.parse("192.168.4.4/32"), Prefix.parse("10.0.0.0/8"))),
                new PeerSettings(
                    bare, Optional.empty(), Optional.empty(), 111, List.of(Prefix.parse("::/0")))));
    PeerRuntime r =
        new PeerRuntime(
            Optional.of(new InetSocketAddress("[abcd:23::33%2]".replace("%2", ""), 51820)),
            1_700_000_000_123_456_789L,
            2224,
            38333);
    String text = new DeviceState(settings, 12912, Map.of(peer, r)).render();
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
    DeviceSettings settings =
        new DeviceSettings(
            Optional.of(own),
            5,
            77,
            List.of(
                new PeerSettings(
                    peer,
                    Optional.of(PresharedKey.generate()),
                    Optional.of(new InetSocketAddress("10.9.8.7", 6)),
                    25,
                    List.of(Prefix.parse("10.0.0.0/8")))));
    PeerRuntime r =
        new PeerRuntime(Optional.of(new InetSocketAddress("10.9.8.7", 6)), 5_000_000_007L, 1, 2);
    DeviceState state = new DeviceState(settings, 5, Map.of(peer, r));
    DeviceState back = DeviceState.parse(Arrays.asList(state.render().split("\n")));
    assertThat(back).isEqualTo(state);
  }
}
