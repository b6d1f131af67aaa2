package io.wireguardjava.core.uapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wireguardjava.Config;
import io.wireguardjava.Endpoint;
import io.wireguardjava.InetNetwork;
import io.wireguardjava.Interface;
import io.wireguardjava.Key;
import io.wireguardjava.Peer;
import io.wireguardjava.PeerStats;
import io.wireguardjava.PresharedKey;
import io.wireguardjava.PrivateKey;
import io.wireguardjava.Tunnel;
import io.wireguardjava.TunnelListener;
import io.wireguardjava.TunnelPackets;
import io.wireguardjava.TunnelStats;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TunnelBackendTest {

  /** A tunnel that only keeps its configuration, and counts how it was changed. */
  static final class ConfigOnlyTunnel implements Tunnel {
    Config config = Config.builder().iface(Interface.builder().build()).build();
    int takenPort = -1;
    final List<String> calls = new ArrayList<>();

    @Override
    public String name() {
      return "fake0";
    }

    @Override
    public int listenPort() {
      return config.iface().listenPort().orElse(0);
    }

    @Override
    public TunnelPackets packets() {
      throw new IllegalStateException();
    }

    @Override
    public synchronized Config config() {
      return config;
    }

    @Override
    public void addPeer(Peer peer) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void updatePeer(Peer peer) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean removePeer(Key publicKey) {
      throw new UnsupportedOperationException();
    }

    @Override
    public synchronized void replacePeers(List<Peer> peers) {
      calls.add("replacePeers");
      config = config.toBuilder().peers(peers).build();
    }

    @Override
    public synchronized void clearPrivateKey() {
      calls.add("clearPrivateKey");
      config =
          config.toBuilder().iface(config.iface().toBuilder().clearPrivateKey().build()).build();
    }

    @Override
    public synchronized void setPrivateKey(PrivateKey privateKey) {
      calls.add("setPrivateKey");
      config =
          config.toBuilder()
              .iface(config.iface().toBuilder().privateKey(privateKey).build())
              .build();
    }

    @Override
    public synchronized void setListenPort(int port) throws IOException {
      calls.add("setListenPort");
      if (port == takenPort) {
        throw new java.net.BindException("Address already in use");
      }
      config =
          config.toBuilder().iface(config.iface().toBuilder().listenPort(port).build()).build();
    }

    @Override
    public synchronized void setFwMark(int fwMark) {
      calls.add("setFwMark");
      config = config.toBuilder().iface(config.iface().toBuilder().fwMark(fwMark).build()).build();
    }

    @Override
    public TunnelStats stats() {
      return new TunnelStats(
          listenPort(),
          config.peers().stream().map(p -> peerStats(p.publicKey()).orElseThrow()).toList(),
          Map.of());
    }

    @Override
    public Optional<PeerStats> peerStats(Key publicKey) {
      return config
          .peer(publicKey)
          .map(
              p ->
                  new PeerStats(
                      publicKey,
                      Optional.of(new InetSocketAddress("198.51.100.9", 4000)),
                      Optional.of(Instant.ofEpochSecond(1000, 5)),
                      10,
                      20,
                      0));
    }

    @Override
    public void addListener(TunnelListener listener) {}

    @Override
    public void removeListener(TunnelListener listener) {}

    @Override
    public boolean isClosed() {
      return false;
    }

    @Override
    public int mtu() {
      return 1420;
    }

    @Override
    public void setMtu(int mtu) {
      calls.add("setMtu");
    }

    @Override
    public void close() {}
  }

  @Test
  void setsGoToTheTunnelAndGetsComeBack() throws Exception {
    ConfigOnlyTunnel tunnel = new ConfigOnlyTunnel();
    TunnelBackend backend = new TunnelBackend(tunnel);
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
    backend.update(set::applyTo);

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

    String get = DeviceState.of(backend).render();
    assertThat(get)
        .contains(
            "listen_port=4500\nfwmark=3\n",
            "endpoint=198.51.100.9:4000\n",
            "last_handshake_time_sec=1000\nlast_handshake_time_nsec=5\ntx_bytes=20\nrx_bytes=10\n",
            "persistent_keepalive_interval=25\nallowed_ip=10.0.0.0/24\nallowed_ip=fd00::/64\n");
  }

  @Test
  void onlyWhatChangedIsTouched() throws Exception {
    ConfigOnlyTunnel tunnel = new ConfigOnlyTunnel();
    TunnelBackend backend = new TunnelBackend(tunnel);
    backend.update(SetRequest.parse(List.of("listen_port=4500"))::applyTo);
    assertThat(tunnel.calls).containsExactly("setListenPort");
    tunnel.calls.clear();
    backend.update(SetRequest.parse(List.of("listen_port=4500", "fwmark=0"))::applyTo);
    assertThat(tunnel.calls).isEmpty();
  }

  @Test
  void portInUseLeavesTheTunnelAsItWas() throws Exception {
    ConfigOnlyTunnel tunnel = new ConfigOnlyTunnel();
    tunnel.takenPort = 53;
    TunnelBackend backend = new TunnelBackend(tunnel);
    Config before = tunnel.config();
    SetRequest set =
        SetRequest.parse(
            List.of(
                "private_key=" + PrivateKey.generate().toHex(),
                "listen_port=53",
                "public_key=" + PrivateKey.generate().publicKey().toHex()));
    assertThatThrownBy(() -> backend.update(set::applyTo))
        .isInstanceOfSatisfying(
            UapiException.class, e -> assertThat(e.errno()).isEqualTo(Errno.PORT_IN_USE));
    assertThat(tunnel.config()).isEqualTo(before);
  }
}
