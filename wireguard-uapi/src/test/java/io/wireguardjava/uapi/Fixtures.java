package io.wireguardjava.uapi;

import io.wireguardjava.Config;
import io.wireguardjava.Endpoint;
import io.wireguardjava.InetNetwork;
import io.wireguardjava.Interface;
import io.wireguardjava.Key;
import io.wireguardjava.Peer;
import io.wireguardjava.PresharedKey;
import io.wireguardjava.PrivateKey;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Short ways to write configurations in the UAPI tests. */
final class Fixtures {
  private Fixtures() {}

  /** No key, no port, no mark, no peers: a device as the launcher creates it. */
  static final Config EMPTY = Config.builder().iface(Interface.builder().build()).build();

  /** A prefix with its host bits cleared, as the UAPI stores it. */
  static InetNetwork prefix(String text) {
    return Objects.requireNonNull(UapiText.parsePrefix(text), text);
  }

  static Peer peer(
      Key key,
      Optional<PresharedKey> psk,
      Optional<Endpoint> endpoint,
      int keepalive,
      List<InetNetwork> allowedIps) {
    Peer.Builder b = Peer.builder().publicKey(key).persistentKeepalive(keepalive);
    psk.ifPresent(b::presharedKey);
    endpoint.ifPresent(b::endpoint);
    return b.allowedIps(allowedIps).build();
  }

  static Config config(Optional<PrivateKey> key, int port, int fwmark, List<Peer> peers) {
    Interface.Builder b = Interface.builder().fwMark(fwmark);
    key.ifPresent(b::privateKey);
    if (port != 0) {
      b.listenPort(port);
    }
    return Config.builder().iface(b.build()).peers(peers).build();
  }

  static Config config(List<Peer> peers) {
    return Config.builder().iface(Interface.builder().build()).peers(peers).build();
  }
}
