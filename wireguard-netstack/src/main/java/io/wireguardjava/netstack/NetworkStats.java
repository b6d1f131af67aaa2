package io.wireguardjava.netstack;

/**
 * A snapshot of a {@link TunnelNetwork}'s counters, for monitoring.
 *
 * @param packetsReceived IP packets the stack took from the tunnel
 * @param packetsSent IP packets the stack gave to the tunnel
 * @param packetsDropped inbound packets not delivered (malformed, not for us, no listener, full
 *     queues, unsupported) plus outbound packets the tunnel refused
 * @param tcpConnections TCP connections in any state, TIME-WAIT included
 * @param tcpRetransmittedSegments TCP segments sent again (loss recovery)
 * @param udpSockets open UDP sockets
 */
public record NetworkStats(
    long packetsReceived,
    long packetsSent,
    long packetsDropped,
    long tcpConnections,
    long tcpRetransmittedSegments,
    long udpSockets) {}
