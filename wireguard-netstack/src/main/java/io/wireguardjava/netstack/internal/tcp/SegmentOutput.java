package io.wireguardjava.netstack.internal.tcp;

/** Implemented by the IP layer; called on the stack thread only. */
public interface SegmentOutput {
  /**
   * Sends one segment of {@code flow}. {@code segment[offset, offset + length)} is the TCP header
   * (checksum field zero: the IP layer fills it with the pseudo-header sum and adds the IP header)
   * followed by the payload. The array belongs to the caller and is reused: copy before returning.
   *
   * @param flow the connection's addresses and ports
   * @param segment the array holding the segment
   * @param offset where the TCP header starts
   * @param length header plus payload length
   * @return false if it could not be queued (TCP treats the segment as lost)
   */
  boolean send(TcpFlow flow, byte[] segment, int offset, int length);
}
