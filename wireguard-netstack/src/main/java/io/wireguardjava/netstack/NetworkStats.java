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
 * @param tcpFastRetransmits TCP loss-recovery episodes started by duplicate ACKs or SACK (fast
 *     retransmit, RFC 5681 and RFC 6675)
 * @param tcpRetransmissionTimeouts expiries of a TCP retransmission timer (RFC 6298) with data
 *     outstanding: each restarts that connection's sending from one segment
 * @param tcpSpuriousRetransmissions D-SACK reports (RFC 2883) from TCP peers that a segment arrived
 *     twice: retransmissions that were not needed (or, rarely, duplicates made by the network)
 * @param udpSockets open UDP sockets
 */
public record NetworkStats(
    long packetsReceived,
    long packetsSent,
    long packetsDropped,
    long tcpConnections,
    long tcpRetransmittedSegments,
    long tcpFastRetransmits,
    long tcpRetransmissionTimeouts,
    long tcpSpuriousRetransmissions,
    long udpSockets) {}
