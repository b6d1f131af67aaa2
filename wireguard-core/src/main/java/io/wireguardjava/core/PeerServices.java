package io.wireguardjava.core;

import io.wireguardjava.crypto.TimeSource;
import java.util.function.IntSupplier;
import java.util.random.RandomGenerator;

/**
 * What every {@link PeerState} of one tunnel shares, passed in rather than reached for: the clock
 * and the timer scheduler, drop counters and listeners, the staging buffers, the socket, the
 * tunnel's current MTU, and the handshake side (requests from any thread; initiations, keepalives
 * and key wiping on the handshake thread).
 *
 * @param clock the tunnel's clock
 * @param scheduler runs the peer's timers on the handshake thread
 * @param random timer jitter (thread-safe)
 * @param events drop counters and listeners
 * @param pool buffers for packets staged while a handshake is pending
 * @param sender the UDP socket
 * @param mtu the tunnel's current MTU
 * @param requests asks the handshake thread for an initiation
 * @param handshakes the handshake protocol state (indices, Noise), for the timers' actions
 */
record PeerServices(
    TimeSource clock,
    Scheduler scheduler,
    RandomGenerator random,
    Events events,
    BufferPool pool,
    DatagramSender sender,
    IntSupplier mtu,
    HandshakeRequests requests,
    Handshakes handshakes) {}
