/**
 * Proxies and port forwards through a {@link io.wireguardjava.netstack.TunnelNetwork}: what
 * wireproxy and onetun do, reusable in-process.
 *
 * <ul>
 *   <li>{@link io.wireguardjava.netstack.proxy.Socks5Server}: SOCKS5 (RFC 1928) CONNECT and UDP
 *       ASSOCIATE, optional username/password (RFC 1929);
 *   <li>{@link io.wireguardjava.netstack.proxy.HttpProxyServer}: {@code CONNECT host:port} and
 *       absolute-form {@code GET http://...} requests with keep-alive;
 *   <li>{@link io.wireguardjava.netstack.proxy.PortForward}: {@code ssh -L} / {@code -R} style TCP
 *       and UDP forwards between the host and the tunnel.
 * </ul>
 *
 * <p>Names are always resolved through the tunnel's DNS, never by the host. Connections are spliced
 * with one bounded buffer per direction: a slow reader slows the writer, half-closes are passed on,
 * and a reset on one side becomes a reset (SO_LINGER 0) on the other.
 *
 * <p>Threads: the code is Java 17 bytecode, so each listener uses a pool of daemon platform threads
 * named after it (two per TCP connection, three per UDP association), bounded by the listener's
 * connection limit.
 */
@NullMarked
package io.wireguardjava.netstack.proxy;

import org.jspecify.annotations.NullMarked;
