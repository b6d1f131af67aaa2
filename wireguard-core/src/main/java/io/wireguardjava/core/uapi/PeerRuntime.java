package io.wireguardjava.core.uapi;

import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * What a running tunnel knows about a peer beyond its settings: the endpoint it last heard from
 * (after roaming), the wall-clock time of the last completed handshake in nanoseconds since the
 * epoch ({@code 0}: never), and the bytes of transport data received and sent.
 */
public record PeerRuntime(
    Optional<InetSocketAddress> endpoint,
    long lastHandshakeEpochNanos,
    long rxBytes,
    long txBytes) {

  /** A peer that has never been heard from. */
  public static final PeerRuntime NONE = new PeerRuntime(Optional.empty(), 0, 0, 0);
}
