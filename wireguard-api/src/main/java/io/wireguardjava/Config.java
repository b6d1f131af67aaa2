package io.wireguardjava;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A WireGuard configuration: one {@link Interface} and its {@link Peer}s, as a wg-quick(8) file or
 * a {@code wg setconf} file (wg(8)) holds it.
 *
 * <p>Immutable. Read one with {@link #parse} (wg-quick format) or {@link #parseSetconf}, build one
 * with {@link #builder()}, and print with {@link #toWgQuickString()} or {@link #toSetconfString()};
 * {@code Config.parse(c.toWgQuickString())} equals {@code c} for every config with a private key.
 * No two peers share a public key.
 *
 * <pre>{@code
 * Config config = Config.builder()
 *     .iface(Interface.builder()
 *         .privateKey(PrivateKey.generate())
 *         .addAddress(InetNetwork.parse("10.0.0.1/24"))
 *         .listenPort(51820)
 *         .build())
 *     .addPeer(Peer.builder()
 *         .publicKey(Key.fromBase64("xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg="))
 *         .addAllowedIp(InetNetwork.parse("10.0.0.2/32"))
 *         .endpoint(Endpoint.parse("vpn.example.com:51820"))
 *         .build())
 *     .build();
 * System.out.print(config.toWgQuickString());
 * }</pre>
 */
public final class Config {
  private final Interface iface;
  private final List<Peer> peers;

  private Config(Interface iface, List<Peer> peers) {
    this.iface = iface;
    this.peers = peers;
  }

  /**
   * Reads a wg-quick(8) configuration: every key of wg(8) plus Address, DNS, MTU, Table, PreUp,
   * PostUp, PreDown, PostDown and SaveConfig. Keys match case-insensitively, {@code #} starts a
   * comment anywhere, blank lines are ignored, list keys (Address, DNS, AllowedIPs) take
   * comma-separated values and may repeat, as may the hook keys (kept in order). Other keys may
   * appear once per section. An {@code [Interface]} section is required; its PrivateKey is not (as
   * for {@code wg-quick} and {@code wg setconf}: a tunnel opened without one has no identity until
   * {@link Tunnel#setPrivateKey} or {@code wg set <if> private-key} gives it one, the {@code PostUp
   * = wg set %i private-key ...} idiom).
   *
   * @param text the file's text
   * @return the configuration
   * @throws ConfigException naming the line, section, key and problem
   */
  public static Config parse(String text) throws ConfigException {
    return WgQuickFormat.parse(Objects.requireNonNull(text, "text"), false);
  }

  /**
   * Reads a {@code wg setconf} configuration (wg(8)): only PrivateKey, ListenPort and FwMark in
   * {@code [Interface]}, which may be absent, as may the PrivateKey; a wg-quick-only key is an
   * error ({@link ConfigException.Reason#WG_QUICK_ONLY_KEY}).
   *
   * @param text the file's text
   * @return the configuration, without wg-quick settings
   * @throws ConfigException naming the line, section, key and problem
   */
  public static Config parseSetconf(String text) throws ConfigException {
    return WgQuickFormat.parse(Objects.requireNonNull(text, "text"), true);
  }

  /**
   * A builder holding an empty interface and no peers.
   *
   * @return a builder holding an empty interface and no peers
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding this configuration.
   *
   * @return a builder holding this configuration
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.iface = iface;
    b.peers.addAll(peers);
    return b;
  }

  /**
   * The {@code [Interface]} section.
   *
   * @return the {@code [Interface]} section
   */
  public Interface iface() {
    return iface;
  }

  /**
   * The {@code [Peer]} sections, in order.
   *
   * @return the {@code [Peer]} sections, in order
   */
  public List<Peer> peers() {
    return peers;
  }

  /**
   * The peer with this public key, if any.
   *
   * @param publicKey the peer's public key
   * @return the peer with this public key, if any
   */
  public Optional<Peer> peer(Key publicKey) {
    return peers.stream().filter(p -> p.publicKey().equals(publicKey)).findFirst();
  }

  /**
   * The wg-quick(8) text of this configuration, private keys included: keep it as secret as the
   * keys. Ends with a newline.
   *
   * @return the wg-quick(8) text of this configuration, private keys included: keep it as secret as
   *     the keys
   */
  public String toWgQuickString() {
    return WgQuickFormat.print(this, true);
  }

  /**
   * The {@code wg setconf} text: the wg-quick-only keys left out, as {@code wg-quick strip} does.
   * Includes the private key. Ends with a newline.
   *
   * @return the {@code wg setconf} text: the wg-quick-only keys left out, as {@code wg-quick strip}
   *     does
   */
  public String toSetconfString() {
    return WgQuickFormat.print(this, false);
  }

  /**
   * This configuration without the wg-quick-only settings of its interface.
   *
   * @return this configuration without the wg-quick-only settings of its interface
   */
  public Config withoutWgQuickSettings() {
    return new Config(iface.withoutWgQuickSettings(), peers);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Config
        && iface.equals(((Config) o).iface)
        && peers.equals(((Config) o).peers);
  }

  @Override
  public int hashCode() {
    return iface.hashCode() * 31 + peers.hashCode();
  }

  /** A summary for logs, secrets redacted. */
  @Override
  public String toString() {
    return "Config[" + iface + ", peers=" + peers + "]";
  }

  /** Builds a {@link Config}. Not thread-safe. */
  public static final class Builder {
    private Interface iface = Interface.builder().build();
    private final List<Peer> peers = new ArrayList<>();

    private Builder() {}

    /**
     * Sets the {@code [Interface]} section.
     *
     * @param iface the {@code [Interface]} section
     * @return this builder
     */
    public Builder iface(Interface iface) {
      this.iface = Objects.requireNonNull(iface, "iface");
      return this;
    }

    /**
     * Adds a peer.
     *
     * @param peer the peer to add
     * @return this builder
     */
    public Builder addPeer(Peer peer) {
      peers.add(Objects.requireNonNull(peer, "peer"));
      return this;
    }

    /**
     * Adds peers, in order.
     *
     * @param list the peers to add
     * @return this builder
     */
    public Builder addPeers(Collection<Peer> list) {
      list.forEach(this::addPeer);
      return this;
    }

    /**
     * Replaces the peers.
     *
     * @param list the new peers, in order
     * @return this builder
     */
    public Builder peers(Collection<Peer> list) {
      peers.clear();
      return addPeers(list);
    }

    /**
     * The configuration.
     *
     * @return the configuration
     * @throws IllegalArgumentException if two peers have the same public key
     */
    public Config build() {
      Set<Key> seen = new HashSet<>(peers.size() * 2); // sized once: 65,536 peers are common
      for (Peer p : peers) {
        if (!seen.add(p.publicKey())) {
          throw new IllegalArgumentException(
              "two peers have the public key " + p.publicKey().toBase64());
        }
      }
      return new Config(iface, List.copyOf(peers));
    }
  }
}
