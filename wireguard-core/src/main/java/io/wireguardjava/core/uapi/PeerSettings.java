package io.wireguardjava.core.uapi;

import io.wireguardjava.Key;
import io.wireguardjava.PresharedKey;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/**
 * A peer as the UAPI sees its configuration. {@code persistentKeepalive} is in seconds, {@code 0}
 * meaning off; {@code allowedIps} are in the order they were added, host bits cleared, each one
 * owned by at most one peer of a device.
 */
public record PeerSettings(
    Key publicKey,
    Optional<PresharedKey> presharedKey,
    Optional<InetSocketAddress> endpoint,
    int persistentKeepalive,
    List<Prefix> allowedIps) {

  /**
   * Checks the keepalive range and copies the prefix list.
   *
   * @param publicKey the peer's public key
   * @param presharedKey the preshared key, if set
   * @param endpoint the endpoint, if known
   * @param persistentKeepalive the keepalive interval in seconds, 0..65535 (0: off)
   * @param allowedIps the allowed-IP prefixes, in order
   */
  public PeerSettings {
    if (persistentKeepalive < 0 || persistentKeepalive > 0xffff) {
      throw new IllegalArgumentException("keepalive out of range: " + persistentKeepalive);
    }
    allowedIps = List.copyOf(allowedIps);
  }

  /**
   * A new peer with nothing but its key, as {@code public_key=} creates it.
   *
   * @param publicKey the peer's public key
   * @return a new peer with nothing but its key, as {@code public_key=} creates it
   */
  public static PeerSettings of(Key publicKey) {
    return new PeerSettings(publicKey, Optional.empty(), Optional.empty(), 0, List.of());
  }
}
