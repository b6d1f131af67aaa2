package io.wireguardjava;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A {@code [Peer]} section: the remote side's public key, optional preshared key, the networks it
 * may send from and is routed to ({@code AllowedIPs}), where to reach it, and the keepalive.
 *
 * <p>Immutable; build with {@link #builder()}, for example {@code
 * Peer.builder().publicKey(k).addAllowedIp(InetNetwork.parse("10.0.0.2/32")).build()}.
 */
public final class Peer {
  private final Key publicKey;
  private final @Nullable PresharedKey presharedKey;
  private final List<InetNetwork> allowedIps;
  private final @Nullable Endpoint endpoint;
  private final int persistentKeepalive; // 0: off

  private Peer(Builder b, Key publicKey) {
    this.publicKey = publicKey;
    this.presharedKey = b.presharedKey;
    this.allowedIps = List.copyOf(b.allowedIps);
    this.endpoint = b.endpoint;
    this.persistentKeepalive = b.persistentKeepalive;
  }

  /**
   * A builder with nothing set; {@link Builder#publicKey} is required.
   *
   * @return a builder with nothing set; {@link Builder#publicKey} is required
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding this peer's settings.
   *
   * @return a builder holding this peer's settings
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.publicKey = publicKey;
    b.presharedKey = presharedKey;
    b.allowedIps.addAll(allowedIps);
    b.endpoint = endpoint;
    b.persistentKeepalive = persistentKeepalive;
    return b;
  }

  /**
   * {@code PublicKey}: identifies the peer.
   *
   * @return identifies the peer
   */
  public Key publicKey() {
    return publicKey;
  }

  /**
   * {@code PresharedKey}: an extra symmetric secret shared with this peer.
   *
   * @return an extra symmetric secret shared with this peer
   */
  public Optional<PresharedKey> presharedKey() {
    return Optional.ofNullable(presharedKey);
  }

  /**
   * {@code AllowedIPs}: the source networks accepted from, and routed to, this peer.
   *
   * @return the source networks accepted from, and routed to, this peer
   */
  public List<InetNetwork> allowedIps() {
    return allowedIps;
  }

  /**
   * {@code Endpoint}: where to send to until the peer is heard from.
   *
   * @return where to send to until the peer is heard from
   */
  public Optional<Endpoint> endpoint() {
    return Optional.ofNullable(endpoint);
  }

  /**
   * {@code PersistentKeepalive}: seconds between keepalives, 1..65535; empty when off.
   *
   * @return seconds between keepalives, 1..65535; empty when off
   */
  public Optional<Integer> persistentKeepalive() {
    return persistentKeepalive == 0 ? Optional.empty() : Optional.of(persistentKeepalive);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof Peer)) {
      return false;
    }
    Peer p = (Peer) o;
    return publicKey.equals(p.publicKey)
        && Objects.equals(presharedKey, p.presharedKey)
        && allowedIps.equals(p.allowedIps)
        && Objects.equals(endpoint, p.endpoint)
        && persistentKeepalive == p.persistentKeepalive;
  }

  @Override
  public int hashCode() {
    return Objects.hash(publicKey, presharedKey, allowedIps, endpoint, persistentKeepalive);
  }

  /** A summary for logs; a preshared key shows as {@code redacted}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Peer[publicKey=").append(publicKey);
    if (presharedKey != null) {
      sb.append(", presharedKey=redacted");
    }
    sb.append(", allowedIps=").append(allowedIps);
    if (endpoint != null) {
      sb.append(", endpoint=").append(endpoint);
    }
    if (persistentKeepalive != 0) {
      sb.append(", persistentKeepalive=").append(persistentKeepalive);
    }
    return sb.append(']').toString();
  }

  /** Builds a {@link Peer}; every setter checks its argument. Not thread-safe. */
  public static final class Builder {
    private @Nullable Key publicKey;
    private @Nullable PresharedKey presharedKey;
    private final ArrayList<InetNetwork> allowedIps = new ArrayList<>();
    private @Nullable Endpoint endpoint;
    private int persistentKeepalive;

    private Builder() {}

    /**
     * Sets {@code PublicKey} (required).
     *
     * @param key the peer's public key
     * @return this builder
     */
    public Builder publicKey(Key key) {
      this.publicKey = Objects.requireNonNull(key, "key");
      return this;
    }

    /**
     * Sets {@code PresharedKey}.
     *
     * @param key the {@code PresharedKey}
     * @return this builder
     */
    public Builder presharedKey(PresharedKey key) {
      this.presharedKey = Objects.requireNonNull(key, "key");
      return this;
    }

    /**
     * Unsets {@code PresharedKey}.
     *
     * @return this builder
     */
    public Builder clearPresharedKey() {
      this.presharedKey = null;
      return this;
    }

    /**
     * Adds an {@code AllowedIPs} entry.
     *
     * @param network the network to route to this peer
     * @return this builder
     */
    public Builder addAllowedIp(InetNetwork network) {
      allowedIps.add(Objects.requireNonNull(network, "network"));
      return this;
    }

    /**
     * Adds {@code AllowedIPs} entries, in order.
     *
     * @param networks the networks to route to this peer
     * @return this builder
     */
    public Builder addAllowedIps(Collection<InetNetwork> networks) {
      allowedIps.ensureCapacity(allowedIps.size() + networks.size()); // a peer may list a million
      networks.forEach(this::addAllowedIp);
      return this;
    }

    /**
     * Replaces the {@code AllowedIPs} list.
     *
     * @param networks the new networks, in order
     * @return this builder
     */
    public Builder allowedIps(Collection<InetNetwork> networks) {
      allowedIps.clear();
      return addAllowedIps(networks);
    }

    /**
     * Sets {@code Endpoint}.
     *
     * @param endpoint the {@code Endpoint}
     * @return this builder
     */
    public Builder endpoint(Endpoint endpoint) {
      this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
      return this;
    }

    /**
     * Unsets {@code Endpoint}.
     *
     * @return this builder
     */
    public Builder clearEndpoint() {
      this.endpoint = null;
      return this;
    }

    /**
     * Sets {@code PersistentKeepalive} in seconds; 0 turns it off.
     *
     * @param seconds the interval, 0..65535; 0 is off
     * @return this builder
     * @throws IllegalArgumentException unless {@code seconds} is in 0..65535
     */
    public Builder persistentKeepalive(int seconds) {
      if (seconds < 0 || seconds > 65535) {
        throw new IllegalArgumentException(
            "PersistentKeepalive " + seconds + " is not in 0..65535");
      }
      this.persistentKeepalive = seconds;
      return this;
    }

    /**
     * The peer.
     *
     * @return the peer
     * @throws IllegalStateException if no public key was set
     */
    public Peer build() {
      Key key = publicKey;
      if (key == null) {
        throw new IllegalStateException("a peer needs a public key");
      }
      return new Peer(this, key);
    }
  }
}
