package io.wireguardjava.uapi;

import io.wireguardjava.Config;
import io.wireguardjava.Key;
import io.wireguardjava.PeerStats;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A device as a {@code get=1} reply describes it, in the api's types: its configuration (private
 * key, listen port, fwmark, and every peer with its preshared key, endpoint, keepalive and allowed
 * IPs) and the statistics of each peer, in the order of the reply.
 *
 * @param config the device's configuration; its listen port is the one the device is bound to
 * @param listenPort the UDP port the device is bound to, 0 when none
 * @param peerStats each peer's statistics, in the order of {@code config.peers()}
 */
public record UapiDevice(Config config, int listenPort, List<PeerStats> peerStats) {

  /**
   * Copies the statistics list.
   *
   * @param config the device's configuration
   * @param listenPort the UDP port the device is bound to, 0 when none
   * @param peerStats each peer's statistics
   * @throws IllegalArgumentException when the port is out of range
   */
  public UapiDevice {
    Objects.requireNonNull(config, "config");
    if (listenPort < 0 || listenPort > 0xffff) {
      throw new IllegalArgumentException("listen port out of range: " + listenPort);
    }
    peerStats = List.copyOf(peerStats);
  }

  /**
   * The statistics of the peer with this key.
   *
   * @param publicKey the peer's public key
   * @return its statistics, empty when the reply has no such peer
   */
  public Optional<PeerStats> stats(Key publicKey) {
    return peerStats.stream().filter(s -> s.publicKey().equals(publicKey)).findFirst();
  }
}
