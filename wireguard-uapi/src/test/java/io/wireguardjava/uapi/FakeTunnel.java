package io.wireguardjava.uapi;

import io.wireguardjava.Config;
import io.wireguardjava.Interface;
import io.wireguardjava.Key;
import io.wireguardjava.Peer;
import io.wireguardjava.PeerStats;
import io.wireguardjava.PrivateKey;
import io.wireguardjava.Tunnel;
import io.wireguardjava.TunnelListener;
import io.wireguardjava.TunnelPackets;
import io.wireguardjava.TunnelStats;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/**
 * A tunnel that only keeps its configuration as given (the UAPI computes moves and masks), a port
 * that can be "taken", settable peer statistics, and a log of the calls that changed it.
 */
final class FakeTunnel implements Tunnel {
  private volatile Config config = Config.builder().iface(Interface.builder().build()).build();
  final Map<Key, PeerStats> stats = new ConcurrentHashMap<>();
  final List<String> calls = new CopyOnWriteArrayList<>();
  volatile int takenPort = -1;
  volatile int updates;
  volatile @Nullable RuntimeException failWith;
  private final String name;

  FakeTunnel() {
    this("fake0");
  }

  FakeTunnel(String name) {
    this.name = name;
  }

  private void check() {
    RuntimeException e = failWith;
    if (e != null) {
      throw e;
    }
  }

  /** Replaces the whole configuration (for tests that start from a given state). */
  void set(Config c) {
    config = c;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int listenPort() {
    return config.iface().listenPort().orElse(0);
  }

  @Override
  public TunnelPackets packets() {
    throw new IllegalStateException("no packets");
  }

  @Override
  public Config config() {
    check();
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
    check();
    calls.add("replacePeers");
    config = config.toBuilder().peers(peers).build();
    updates++;
  }

  @Override
  public synchronized void clearPrivateKey() {
    calls.add("clearPrivateKey");
    config = config.toBuilder().iface(config.iface().toBuilder().clearPrivateKey().build()).build();
    updates++;
  }

  @Override
  public synchronized void setPrivateKey(PrivateKey privateKey) {
    calls.add("setPrivateKey");
    Config c = config;
    c = c.toBuilder().iface(c.iface().toBuilder().privateKey(privateKey).build()).build();
    List<Peer> others =
        c.peers().stream().filter(p -> !p.publicKey().equals(privateKey.publicKey())).toList();
    config = c.toBuilder().peers(others).build();
    updates++;
  }

  @Override
  public synchronized void setListenPort(int port) throws IOException {
    calls.add("setListenPort");
    if (port == takenPort) {
      throw new java.net.BindException("Address already in use");
    }
    config = config.toBuilder().iface(config.iface().toBuilder().listenPort(port).build()).build();
    updates++;
  }

  @Override
  public synchronized void setFwMark(int fwMark) {
    calls.add("setFwMark");
    config = config.toBuilder().iface(config.iface().toBuilder().fwMark(fwMark).build()).build();
    updates++;
  }

  @Override
  public TunnelStats stats() {
    check();
    return new TunnelStats(
        listenPort(),
        config.peers().stream().map(p -> peerStats(p.publicKey()).orElseThrow()).toList(),
        Map.of());
  }

  @Override
  public Optional<PeerStats> peerStats(Key publicKey) {
    Optional<Peer> p = config.peer(publicKey);
    if (p.isEmpty()) {
      return Optional.empty();
    }
    PeerStats s = stats.get(publicKey);
    return Optional.of(
        s != null
            ? s
            : new PeerStats(
                publicKey,
                Optional.empty(),
                Optional.empty(),
                0,
                0,
                p.get().persistentKeepalive().orElse(0)));
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
