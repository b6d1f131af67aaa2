package io.wireguardjava;

import io.wireguardjava.spi.TunnelProvider;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * A running WireGuard interface: a UDP socket, a set of peers, and a packet device whose IP packets
 * are carried to and from those peers.
 *
 * <pre>{@code
 * try (Tunnel tunnel = Tunnel.open(config, TunnelOptions.inProcessDevice())) {
 *   tunnel.packets().send(ipPacket, 0, ipPacket.length);   // goes out, encrypted, to a peer
 *   int n = tunnel.packets().receive(buf, 0, buf.length);  // comes in, decrypted, from a peer
 * }
 * }</pre>
 *
 * <p>Every method is thread-safe. Reconfiguration is live and follows {@code wg set}: changing one
 * peer keeps the sessions of all others, and changing a peer keeps its own session while its public
 * key stays the same.
 *
 * <p>After {@link #close()}, one rule: the queries ({@link #name}, {@link #listenPort}, {@link
 * #mtu}, {@link #config}, {@link #stats}, {@link #peerStats}, {@link #isClosed}, {@link #packets})
 * keep answering with the state the tunnel had when it closed, except that {@link #config} no
 * longer holds the private key; every method that would change the tunnel ({@link #addPeer}, {@link
 * #updatePeer}, {@link #removePeer}, {@link #replacePeers}, {@link #setPrivateKey}, {@link
 * #clearPrivateKey}, {@link #setListenPort}, {@link #setFwMark}, {@link #setMtu}, {@link
 * #addListener}) throws {@link IllegalStateException} naming the tunnel; {@link #close()} and
 * {@link #removeListener} do nothing. On the in-process device, {@link TunnelPackets#send} then
 * throws {@link java.nio.channels.ClosedChannelException} naming the tunnel and {@link
 * TunnelPackets#receive} returns -1 once the queue is drained.
 *
 * <p>The implementation lives in the {@code wireguard-core} module and is found with {@link
 * ServiceLoader} through {@link TunnelProvider}.
 */
public interface Tunnel extends AutoCloseable {

  /**
   * Opens a tunnel on the OS packet device (a TUN interface), as {@code wg-quick up} would. Needs
   * the platform module ({@code wireguard-tun-linux} or {@code wireguard-tun-mac}) on the class
   * path and the privileges to create an interface.
   *
   * @param config the configuration
   * @return the running tunnel; close it to take it down
   * @throws IOException when the socket or the device cannot be opened
   * @throws IllegalStateException when {@code wireguard-core} is not on the class path
   */
  static Tunnel open(Config config) throws IOException {
    return open(config, TunnelOptions.osDevice());
  }

  /**
   * Opens a tunnel with the given options, for instance {@link TunnelOptions#inProcessDevice()} to
   * exchange IP packets with the application instead of the OS (no privileges needed).
   *
   * @param config the configuration
   * @param options the device and other options
   * @return the running tunnel; close it to take it down
   * @throws IOException when the socket or the device cannot be opened
   * @throws IllegalStateException when {@code wireguard-core} is not on the class path, or when an
   *     OS device is requested and no platform module is available
   */
  static Tunnel open(Config config, TunnelOptions options) throws IOException {
    for (TunnelProvider provider : ServiceLoader.load(TunnelProvider.class)) {
      return provider.open(config, options);
    }
    throw new IllegalStateException(
        "No WireGuard engine on the class path: add the module io.wireguardjava:wireguard-core"
            + " (it implements io.wireguardjava.spi.TunnelProvider)");
  }

  /**
   * The name of the packet device, such as {@code wg0}, or the in-process device's name.
   *
   * @return the name of the packet device, such as {@code wg0}, or the in-process device's name
   */
  String name();

  /**
   * The UDP port the tunnel listens on: the configured one, or the one the OS chose.
   *
   * @return the UDP port the tunnel listens on: the configured one, or the one the OS chose
   */
  int listenPort();

  /**
   * The tunnel's MTU: the largest inner IP packet it carries. A larger one, whichever way it
   * travels (from the device, from a peer, forwarded between peers), is dropped, counted as {@link
   * DropReason#TOO_LARGE}, and answered with ICMP "fragmentation needed" (IPv4) or "packet too big"
   * (IPv6) carrying this MTU, so the sender's path-MTU discovery adapts. It follows the device:
   * when the OS interface's MTU is changed ({@code ip link set mtu}), the tunnel takes the new
   * value.
   *
   * @return the MTU in bytes
   */
  int mtu();

  /**
   * Changes the MTU of the tunnel and of its device (for an OS interface, its link MTU, as {@code
   * ip link set mtu}); sessions and peers stay. An in-process device can change to at most the MTU
   * it was opened with.
   *
   * @param mtu the new MTU, 576 to 65,472 bytes (the largest whose sealed packets still fit in a
   *     UDP datagram)
   * @throws IllegalArgumentException when {@code mtu} is out of range
   * @throws UnsupportedOperationException when the device cannot change its MTU
   * @throws IOException when the OS refuses the change; the old MTU then stays
   * @throws IllegalStateException when the tunnel is closed
   */
  void setMtu(int mtu) throws IOException;

  /**
   * The in-process packet device, through which the application sends and receives the IP packets
   * of this tunnel.
   *
   * @return the in-process packet device, through which the application sends and receives the IP
   *     packets of this tunnel
   * @throws IllegalStateException when the tunnel was opened on an OS device (packets then go
   *     through the OS's network stack)
   */
  TunnelPackets packets();

  /**
   * A snapshot of the current configuration, as {@code wg showconf} prints it: private key, actual
   * listen port, fwmark, and every peer with its current endpoint (which roaming may have changed).
   *
   * @return a snapshot of the current configuration, as {@code wg showconf} prints it: private key,
   *     actual listen port, fwmark, and every peer with its current endpoint (which roaming may
   *     have changed)
   */
  Config config();

  /**
   * Adds a peer.
   *
   * @param peer the peer to add
   * @throws IllegalArgumentException when a peer with that public key exists, or the key is the
   *     tunnel's own public key
   */
  void addPeer(Peer peer);

  /**
   * Adds a peer, or replaces the settings of the peer with the same public key (preshared key,
   * allowed IPs, persistent keepalive, endpoint) while keeping its sessions. An empty endpoint
   * keeps the peer's current one, as {@code wg set} does.
   *
   * @param peer the peer's new settings
   */
  void updatePeer(Peer peer);

  /**
   * Removes a peer and zeroes its keys; returns whether it existed.
   *
   * @param publicKey the peer's public key
   * @return whether the peer existed
   */
  boolean removePeer(Key publicKey);

  /**
   * Makes {@code peers} the complete peer list: others are removed, these added or updated. Peers
   * whose public key stays keep their sessions (like {@code wg syncconf}).
   *
   * @param peers the complete new peer list
   */
  void replacePeers(List<Peer> peers);

  /**
   * Changes the interface's private key. Every session is dropped (new handshakes follow on
   * demand), and a peer whose public key equals the new public key is removed, as in {@code wg}.
   *
   * @param privateKey the new private key
   */
  void setPrivateKey(PrivateKey privateKey);

  /**
   * Removes the interface's private key, as {@code wg set <iface> private-key /dev/null} does: the
   * tunnel then has no identity. Every session and handshake in progress is dropped and its keys
   * zeroed; the tunnel neither initiates nor answers handshakes (packets to peers wait for a
   * session as usual) until {@link #setPrivateKey} gives it a key again. {@link #config()} then
   * reports no private key. Peers, listen port and statistics stay. Does nothing harmful when there
   * is no key.
   */
  void clearPrivateKey();

  /**
   * Moves the tunnel to another UDP port; 0 lets the OS choose one.
   *
   * @param port the new UDP port, 0..65535
   * @throws IOException when the port cannot be bound; the old port then stays in use
   */
  void setListenPort(int port) throws IOException;

  /**
   * Sets the firewall mark ({@code SO_MARK}) of the tunnel's outgoing UDP packets, as {@code wg set
   * <if> fwmark}; 0 clears it. Applied at once, on the socket, and kept when the listen port moves.
   * Only the OS UDP transport can mark (Linux, with CAP_NET_ADMIN); where the tunnel uses the
   * portable JDK transport, a mark is refused rather than stored unapplied: a full tunnel routed
   * with {@code not fwmark} would otherwise send its own UDP packets into itself. {@link #open}
   * likewise refuses a config whose {@code FwMark} cannot be applied.
   *
   * @param fwMark the mark, an unsigned 32-bit value; 0: none
   * @throws UnsupportedOperationException when the transport cannot mark, or the OS refuses the
   *     mark (the message says why); the old mark then stays
   * @throws IllegalStateException when the tunnel is closed
   */
  void setFwMark(int fwMark);

  /**
   * Statistics of the whole tunnel and of each peer.
   *
   * @return a snapshot of the statistics
   */
  TunnelStats stats();

  /**
   * Statistics of one peer, empty when no such peer.
   *
   * @param publicKey the peer's public key
   * @return a snapshot of the peer's statistics, empty when there is no such peer
   */
  Optional<PeerStats> peerStats(Key publicKey);

  /**
   * Registers a listener; it is called on the tunnel's threads and must return quickly. It hears
   * what happens from now on: to hear also what happens while the tunnel opens (a first handshake
   * that the OS device's own packets start), pass it to {@link TunnelOptions.Builder#listener}.
   *
   * @param listener the listener
   */
  void addListener(TunnelListener listener);

  /**
   * Removes a listener registered with {@link #addListener}.
   *
   * @param listener the listener
   */
  void removeListener(TunnelListener listener);

  /**
   * Whether {@link #close()} has been called.
   *
   * @return whether {@link #close()} has been called
   */
  boolean isClosed();

  /**
   * Stops every thread of the tunnel, closes its socket and device, and wipes the key material the
   * tunnel owns: every session key, every handshake in progress, the cookie secrets, and the
   * tunnel's own copy of the private key; the tunnel also lets go of the {@link PrivateKey} it was
   * given. That {@link PrivateKey} value itself is immutable and the application's: it stays
   * readable until the application drops it (see {@link PrivateKey}). Idempotent; what the tunnel
   * answers afterwards is described on {@link Tunnel}.
   */
  @Override
  void close();
}
