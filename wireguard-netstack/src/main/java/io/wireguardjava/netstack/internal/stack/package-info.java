/**
 * The sans-I/O IP layer ({@link io.wireguardjava.netstack.internal.stack.Stack}: packets in with
 * {@code onPacket}, packets out through a {@code PacketOutput}, timers through {@code poll} and
 * {@code nextDeadline}), the thread that drives it from a tunnel, UDP endpoints, ICMP echo, the DNS
 * client and the {@code java.net} socket adapters over the TCP layer. Internal: no compatibility
 * promise.
 */
@NullMarked
package io.wireguardjava.netstack.internal.stack;

import org.jspecify.annotations.NullMarked;
