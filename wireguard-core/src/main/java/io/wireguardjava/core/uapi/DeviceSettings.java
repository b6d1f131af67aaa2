package io.wireguardjava.core.uapi;

import io.wireguardjava.Key;
import io.wireguardjava.PrivateKey;
import java.util.List;
import java.util.Optional;

/**
 * What the UAPI can read and change of a device: the interface's private key, listen port and
 * firewall mark, and its peers, in order. {@code 0} means unset for the port (let the OS choose)
 * and for the mark (none), as in the protocol.
 */
public record DeviceSettings(
    Optional<PrivateKey> privateKey, int listenPort, int fwmark, List<PeerSettings> peers) {

  /** No key, no port, no mark, no peers: a device as the launcher creates it. */
  public static final DeviceSettings EMPTY = new DeviceSettings(Optional.empty(), 0, 0, List.of());

  /**
   * Checks the port and mark ranges and copies the peer list.
   *
   * @param privateKey the private key, if set
   * @param listenPort the listen port, 0..65535 (0: unset)
   * @param fwmark the firewall mark (0: none)
   * @param peers the peers, in order
   */
  public DeviceSettings {
    if (listenPort < 0 || listenPort > 0xffff) {
      throw new IllegalArgumentException("listen port out of range: " + listenPort);
    }
    peers = List.copyOf(peers);
  }

  /**
   * The peer with this public key, if there is one.
   *
   * @param publicKey the peer's public key
   * @return the peer with this public key, if there is one
   */
  public Optional<PeerSettings> peer(Key publicKey) {
    return peers.stream().filter(p -> p.publicKey().equals(publicKey)).findFirst();
  }
}
