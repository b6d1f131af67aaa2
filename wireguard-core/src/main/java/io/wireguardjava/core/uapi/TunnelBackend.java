package io.wireguardjava.core.uapi;

import io.wireguardjava.Config;
import io.wireguardjava.Endpoint;
import io.wireguardjava.InetNetwork;
import io.wireguardjava.Interface;
import io.wireguardjava.Key;
import io.wireguardjava.Peer;
import io.wireguardjava.PeerStats;
import io.wireguardjava.Tunnel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A {@link Tunnel} seen through the UAPI: settings from {@link Tunnel#config()}, live state from
 * {@link Tunnel#peerStats}, changes through the tunnel's live reconfiguration methods.
 *
 * <p>An update applies the only step that can fail (binding a new listen port) first, so a failure
 * leaves the tunnel as it was; the peers then change in one {@link Tunnel#replacePeers} call, which
 * keeps the sessions of peers whose key stays.
 */
public final class TunnelBackend implements UapiBackend {

  private final Tunnel tunnel;
  private final Object lock = new Object();

  /**
   * A backend that reads and changes {@code tunnel}; it does not close the tunnel.
   *
   * @param tunnel the tunnel
   */
  public TunnelBackend(Tunnel tunnel) {
    this.tunnel = tunnel;
  }

  /**
   * Serves {@code tunnel}'s UAPI on {@code <directory>/<tunnel.name()>.sock}; closing the returned
   * server removes the socket (the tunnel stays open).
   *
   * @param tunnel the tunnel
   * @param directory the socket directory
   * @return the running server; closing it removes the socket
   * @throws java.io.IOException when the socket cannot be created
   */
  public static UapiServer serve(Tunnel tunnel, Path directory) throws IOException {
    return UapiServer.start(
        directory, tunnel.name(), new TunnelBackend(tunnel), UapiServer.Limits.DEFAULT);
  }

  @Override
  public DeviceSettings settings() {
    return fromConfig(tunnel.config());
  }

  @Override
  public void update(UnaryOperator<DeviceSettings> change) throws UapiException {
    try {
      updateOpen(change);
    } catch (IllegalStateException e) {
      if (!tunnel.isClosed()) {
        throw e;
      }
      throw new UapiException(Errno.IO, "tunnel " + tunnel.name() + " is closed", e);
    }
  }

  private void updateOpen(UnaryOperator<DeviceSettings> change) throws UapiException {
    synchronized (lock) {
      DeviceSettings current = settings();
      DeviceSettings next = change.apply(current);
      if (next.listenPort() != current.listenPort()) {
        try {
          tunnel.setListenPort(next.listenPort());
        } catch (IOException e) {
          throw new UapiException(
              Errno.PORT_IN_USE, "failed to set listen_port " + next.listenPort(), e);
        }
      }
      if (next.privateKey().isPresent() && !next.privateKey().equals(current.privateKey())) {
        tunnel.setPrivateKey(next.privateKey().get());
      } else if (next.privateKey().isEmpty() && current.privateKey().isPresent()) {
        tunnel
            .clearPrivateKey(); // private_key=0000...: as wireguard-go, the device has no identity
      }
      if (next.fwmark() != current.fwmark()) {
        try {
          tunnel.setFwMark(next.fwmark());
        } catch (UnsupportedOperationException e) {
          // wireguard-go answers a mark its socket cannot take with the port-in-use errno
          throw new UapiException(Errno.PORT_IN_USE, "failed to set fwmark: " + e.getMessage(), e);
        }
      }
      if (!next.peers().equals(current.peers())) {
        List<Peer> peers = new ArrayList<>(next.peers().size());
        for (PeerSettings p : next.peers()) {
          peers.add(toPeer(p));
        }
        tunnel.replacePeers(peers);
      }
    }
  }

  @Override
  public int boundListenPort() {
    return tunnel.listenPort();
  }

  @Override
  public PeerRuntime runtime(Key peer) {
    Optional<PeerStats> stats = tunnel.peerStats(peer);
    if (stats.isEmpty()) {
      return PeerRuntime.NONE;
    }
    return runtime(stats.get());
  }

  @Override
  public Map<Key, PeerRuntime> runtimes(DeviceSettings settings) {
    Map<Key, PeerRuntime> out = new HashMap<>();
    for (PeerStats s : tunnel.stats().peers()) {
      out.put(s.publicKey(), runtime(s));
    }
    return out;
  }

  private static PeerRuntime runtime(PeerStats s) {
    long nanos = s.lastHandshake().map(TunnelBackend::epochNanos).orElse(0L);
    return new PeerRuntime(s.endpoint(), nanos, s.rxBytes(), s.txBytes());
  }

  private static long epochNanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  /** The UAPI's view of a configuration. */
  static DeviceSettings fromConfig(Config config) {
    Interface iface = config.iface();
    List<PeerSettings> peers = new ArrayList<>(config.peers().size());
    for (Peer p : config.peers()) {
      // A set keeps the first of two spellings of one prefix, in O(1) each.
      java.util.LinkedHashSet<Prefix> allowed = new java.util.LinkedHashSet<>();
      for (InetNetwork n : p.allowedIps()) {
        allowed.add(Prefix.of(n.address(), n.prefixLength()));
      }
      Optional<InetSocketAddress> endpoint =
          p.endpoint()
              .flatMap(e -> e.literalAddress().map(a -> new InetSocketAddress(a, e.port())));
      peers.add(
          new PeerSettings(
              p.publicKey(),
              p.presharedKey(),
              endpoint,
              p.persistentKeepalive().orElse(0),
              new ArrayList<>(allowed)));
    }
    return new DeviceSettings(
        iface.privateKey(), iface.listenPort().orElse(0), iface.fwMark().orElse(0), peers);
  }

  /** A peer of the Java API from the UAPI's view. */
  static Peer toPeer(PeerSettings p) {
    Peer.Builder b = Peer.builder().publicKey(p.publicKey());
    p.presharedKey().ifPresent(b::presharedKey);
    List<InetNetwork> allowed = new ArrayList<>(p.allowedIps().size());
    for (Prefix prefix : p.allowedIps()) {
      allowed.add(InetNetwork.of(prefix.address(), prefix.bits()));
    }
    b.allowedIps(allowed);
    p.endpoint().ifPresent(e -> b.endpoint(Endpoint.of(e)));
    b.persistentKeepalive(p.persistentKeepalive());
    return b.build();
  }
}
