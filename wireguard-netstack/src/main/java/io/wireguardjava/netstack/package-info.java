/**
 * A userspace TCP/IP stack over an in-process WireGuard tunnel: {@code java.net} sockets, server
 * sockets, UDP, DNS and ping through the tunnel, without root and without a TUN device. Start with
 * {@link io.wireguardjava.netstack.TunnelNetwork}.
 */
@NullMarked
package io.wireguardjava.netstack;

import org.jspecify.annotations.NullMarked;
