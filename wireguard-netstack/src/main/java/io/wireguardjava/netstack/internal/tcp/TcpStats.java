package io.wireguardjava.netstack.internal.tcp;

/**
 * A snapshot of the TCP layer's counters.
 *
 * @param segmentsReceived segments handed to {@code onSegment}
 * @param segmentsSent segments handed to the output
 * @param retransmittedSegments segments sent again (timeouts, fast retransmit, SACK recovery)
 * @param fastRetransmits recovery episodes entered on duplicate ACKs or SACK
 * @param retransmissionTimeouts expiries of the retransmission timer
 * @param dsacksReceived D-SACK blocks received (RFC 2883): each reports data the peer received
 *     twice, a retransmission that was not needed (or a duplicate made by the network)
 * @param droppedMalformed segments dropped for a bad header or options
 * @param droppedOutOfWindow segments (or parts) outside the receive window
 * @param droppedNoBuffer segments dropped because no buffer or reassembly range was left
 * @param droppedSynBacklog SYNs dropped because a listener's half-open or accept queue was full
 * @param droppedConnectionLimit SYNs dropped by the connection-count bound
 * @param droppedMemoryLimit SYNs dropped, connects refused and received data dropped because the
 *     layer's total buffer memory bound was reached (memory pressure)
 * @param droppedOutputFull segments the output refused
 * @param resetsSent RST segments sent
 * @param resetsReceived acceptable RST segments received
 * @param challengeAcks RFC 5961 challenge ACKs sent
 * @param challengeAcksSuppressed challenge ACKs not sent because of the rate bound
 * @param activeOpens connections started by connect
 * @param passiveOpens connections accepted from a listener's SYN
 * @param connections connections in the table now (all states)
 * @param bufferBytes buffer bytes allocated now
 */
public record TcpStats(
    long segmentsReceived,
    long segmentsSent,
    long retransmittedSegments,
    long fastRetransmits,
    long retransmissionTimeouts,
    long dsacksReceived,
    long droppedMalformed,
    long droppedOutOfWindow,
    long droppedNoBuffer,
    long droppedSynBacklog,
    long droppedConnectionLimit,
    long droppedMemoryLimit,
    long droppedOutputFull,
    long resetsSent,
    long resetsReceived,
    long challengeAcks,
    long challengeAcksSuppressed,
    long activeOpens,
    long passiveOpens,
    long connections,
    long bufferBytes) {}
