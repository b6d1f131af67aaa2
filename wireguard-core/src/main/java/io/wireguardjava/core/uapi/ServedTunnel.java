package io.wireguardjava.core.uapi;

import io.wireguardjava.Config;
import io.wireguardjava.Key;
import io.wireguardjava.Peer;
import io.wireguardjava.PeerStats;
import io.wireguardjava.PrivateKey;
import io.wireguardjava.Tunnel;
import io.wireguardjava.TunnelListener;
import io.wireguardjava.TunnelPackets;
import io.wireguardjava.TunnelStats;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A tunnel together with its UAPI socket: {@code <directory>/<name>.sock} is served for as long as
 * the tunnel is open, and removed when it closes. Everything else is the tunnel's.
 *
 * <p>The socket also goes when the tunnel closes itself (its device failed: the interface was
 * deleted).
 *
 * <p>This is what {@link Tunnel#open} returns for a tunnel that is to be managed with {@code wg}
 * and {@code wg-quick} (the engine wraps its tunnel with {@link #serve}).
 */
public final class ServedTunnel implements Tunnel {

  private final Tunnel tunnel;
  private final UapiServer server;

  private ServedTunnel(Tunnel tunnel, UapiServer server) {
    this.tunnel = tunnel;
    this.server = server;
  }

  /**
   * Starts serving {@code tunnel}'s UAPI in {@code directory}; if that fails, closes the tunnel and
   * throws.
   *
   * @param tunnel the tunnel to serve; closed by the returned tunnel's close()
   * @param directory the socket directory
   * @return the tunnel, which also removes the socket when closed
   * @throws java.io.IOException when the socket cannot be created
   */
  public static ServedTunnel serve(Tunnel tunnel, Path directory) throws IOException {
    try {
      UapiServer server = TunnelBackend.serve(tunnel, directory);
      tunnel.addListener(
          new TunnelListener() {
            @Override
            public void onClosed(Optional<Throwable> cause) {
              server.close(); // the tunnel closed itself (its interface was deleted): so do we
            }
          });
      if (tunnel.isClosed()) {
        server.close();
      }
      return new ServedTunnel(tunnel, server);
    } catch (IOException | RuntimeException e) {
      tunnel.close();
      throw e;
    }
  }

  /**
   * The UAPI socket file.
   *
   * @return the UAPI socket file
   */
  public Path socketPath() {
    return server.socketPath();
  }

  /**
   * The tunnel this wraps.
   *
   * @return the tunnel this wraps
   */
  public Tunnel tunnel() {
    return tunnel;
  }

  @Override
  public String name() {
    return tunnel.name();
  }

  @Override
  public int listenPort() {
    return tunnel.listenPort();
  }

  @Override
  public TunnelPackets packets() {
    return tunnel.packets();
  }

  @Override
  public Config config() {
    return tunnel.config();
  }

  @Override
  public void addPeer(Peer peer) {
    tunnel.addPeer(peer);
  }

  @Override
  public void updatePeer(Peer peer) {
    tunnel.updatePeer(peer);
  }

  @Override
  public boolean removePeer(Key publicKey) {
    return tunnel.removePeer(publicKey);
  }

  @Override
  public void replacePeers(List<Peer> peers) {
    tunnel.replacePeers(peers);
  }

  @Override
  public void setPrivateKey(PrivateKey privateKey) {
    tunnel.setPrivateKey(privateKey);
  }

  @Override
  public void clearPrivateKey() {
    tunnel.clearPrivateKey();
  }

  @Override
  public void setListenPort(int port) throws IOException {
    tunnel.setListenPort(port);
  }

  @Override
  public int mtu() {
    return tunnel.mtu();
  }

  @Override
  public void setMtu(int mtu) throws IOException {
    tunnel.setMtu(mtu);
  }

  @Override
  public void setFwMark(int fwMark) {
    tunnel.setFwMark(fwMark);
  }

  @Override
  public TunnelStats stats() {
    return tunnel.stats();
  }

  @Override
  public Optional<PeerStats> peerStats(Key publicKey) {
    return tunnel.peerStats(publicKey);
  }

  @Override
  public void addListener(TunnelListener listener) {
    tunnel.addListener(listener);
  }

  @Override
  public void removeListener(TunnelListener listener) {
    tunnel.removeListener(listener);
  }

  @Override
  public boolean isClosed() {
    return tunnel.isClosed();
  }

  /** Removes the socket, then closes the tunnel. */
  @Override
  public void close() {
    // the tunnel first: its PreDown hooks (when asked for) may still use the socket, as with
    // wg-quick's `PreDown = wg showconf %i > ...`; a `set` meanwhile is refused as closed
    tunnel.close();
    server.close();
  }
}
