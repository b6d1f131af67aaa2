package io.wireguardjava;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;

/**
 * Events of a {@link Tunnel} an application may want to react to. Every method has an empty
 * default. Methods are called on the tunnel's own threads (packet drops on the data path), so they
 * must return quickly, must not block, and must not close the tunnel.
 */
public interface TunnelListener {

  /**
   * A handshake with {@code peer} completed and a new session is in use.
   *
   * @param took the time from the first initiation of this attempt to completion, when this side
   *     initiated; zero when the peer initiated
   * @param peer the peer's public key
   */
  default void onHandshakeCompleted(Key peer, Duration took) {}

  /**
   * The peer's endpoint changed: configured, resolved, or roamed to a new source address.
   *
   * @param peer the peer's public key
   * @param endpoint the new endpoint
   */
  default void onEndpointChanged(Key peer, InetSocketAddress endpoint) {}

  /**
   * The peer went stale: handshake attempts gave up after REKEY_ATTEMPT_TIME, or its session keys
   * were zeroed after 3 x REJECT_AFTER_TIME without a new handshake.
   *
   * @param peer the peer's public key
   */
  default void onPeerStale(Key peer) {}

  /**
   * A packet was dropped; {@code peer} is set when the packet could be attributed to one.
   *
   * @param reason why the packet was dropped
   * @param peer the peer the packet came from or was meant for, when known
   */
  default void onPacketDropped(DropReason reason, Optional<Key> peer) {}

  /**
   * The tunnel closed: by {@link Tunnel#close()} (no cause), or on its own because its packet
   * device or socket failed, for instance when the OS interface was deleted (the cause).
   *
   * @param cause the error that closed the tunnel; empty after {@link Tunnel#close()}
   */
  default void onClosed(Optional<Throwable> cause) {}
}
