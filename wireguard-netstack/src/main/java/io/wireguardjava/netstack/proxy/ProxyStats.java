package io.wireguardjava.netstack.proxy;

/**
 * Counters of one proxy listener or port forward since it started, a snapshot.
 *
 * @param accepted connections accepted (TCP), or UDP flows and associations opened
 * @param active connections, flows and associations open now
 * @param rejected connections closed at once because the listener was at its limit
 * @param malformed requests that broke the protocol (answered with an error or closed)
 * @param failed requests whose destination could not be reached or was not allowed
 * @param bytesOut payload bytes from clients towards their destinations
 * @param bytesIn payload bytes from destinations back to clients
 * @param datagramsDropped UDP datagrams dropped: malformed, from a stranger, fragmented, not
 *     allowed, or a flow table full
 * @param resets connections ended by a reset on one side, passed on as a reset
 */
public record ProxyStats(
    long accepted,
    long active,
    long rejected,
    long malformed,
    long failed,
    long bytesOut,
    long bytesIn,
    long datagramsDropped,
    long resets) {}
