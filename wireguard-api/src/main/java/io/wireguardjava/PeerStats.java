package io.wireguardjava;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Statistics of one peer, as {@code wg show} prints them.
 *
 * @param publicKey the peer's public key
 * @param endpoint the address its packets go to: configured or roamed
 * @param lastHandshake wall-clock time of the latest completed handshake
 * @param rxBytes bytes of UDP payload received from the peer (all authenticated messages)
 * @param txBytes bytes of UDP payload sent to the peer
 * @param persistentKeepaliveSeconds the persistent keepalive interval, 0 when off
 */
public record PeerStats(
    Key publicKey,
    Optional<InetSocketAddress> endpoint,
    Optional<Instant> lastHandshake,
    long rxBytes,
    long txBytes,
    int persistentKeepaliveSeconds) {

  /**
   * Checks that the key and the optionals are not null.
   *
   * @param publicKey the peer's public key
   * @param endpoint the peer's current endpoint, if known
   * @param lastHandshake when the last handshake completed, if ever
   * @param rxBytes bytes received from the peer (whole datagrams)
   * @param txBytes bytes sent to the peer (whole datagrams)
   * @param persistentKeepaliveSeconds the keepalive interval, 0 when off
   */
  public PeerStats {
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(lastHandshake, "lastHandshake");
  }
}
