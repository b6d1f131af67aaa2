/**
 * The tunnel engine: UDP transport, peers, allowed-IPs routing, timers, and the send and receive
 * data paths that drive the protocol core of {@code io.wireguardjava.crypto}. Everything here is
 * internal except {@link io.wireguardjava.core.CoreTunnelProvider}, found through {@link
 * java.util.ServiceLoader}.
 */
@NullMarked
package io.wireguardjava.core;

import org.jspecify.annotations.NullMarked;
