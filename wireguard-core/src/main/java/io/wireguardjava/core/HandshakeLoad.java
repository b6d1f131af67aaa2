package io.wireguardjava.core;

import io.wireguardjava.crypto.TimeSource;

/**
 * Whether the tunnel is "under load" (the kernel's and wireguard-go's notion): the queue of
 * handshake messages admitted on MAC1 alone holds {@link Limits#UNDER_LOAD_QUEUE_LENGTH} or more,
 * or did less than {@link Limits#UNDER_LOAD_AFTER_NANOS} ago. Under load, initiations and responses
 * need a valid MAC2 (a cookie), else they are answered with a cookie reply. Read by the receive
 * thread (the gate) and the handshake thread; a benign race on the deadline at worst extends or
 * shortens the window by one message.
 */
final class HandshakeLoad {
  private final HandshakeQueue unverified;
  private final TimeSource clock;
  private volatile long underLoadUntil;

  HandshakeLoad(HandshakeQueue unverified, TimeSource clock) {
    this.unverified = unverified;
    this.clock = clock;
    this.underLoadUntil = clock.nanoTime() - 1;
  }

  /** Whether the tunnel is under load now; a long queue (re)starts the window. */
  boolean underLoad() {
    long now = clock.nanoTime();
    if (unverified.size() >= Limits.UNDER_LOAD_QUEUE_LENGTH) {
      underLoadUntil = now + Limits.UNDER_LOAD_AFTER_NANOS;
      return true;
    }
    return now - underLoadUntil < 0;
  }
}
