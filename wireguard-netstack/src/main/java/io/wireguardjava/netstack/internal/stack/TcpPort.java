package io.wireguardjava.netstack.internal.stack;

/**
 * What the IP layer needs from the TCP layer, so that the {@link Stack} runs and is tested alone
 * and the TCP layer plugs in through one adapter. All methods run on the stack thread.
 */
public interface TcpPort {

  /**
   * A TCP segment for one of our addresses whose checksum verified.
   *
   * @param packet the packet
   * @param srcOffset where the source address is
   * @param dstOffset where the destination address is
   * @param addressLength 4 or 16
   * @param tcpOffset where the TCP header starts
   * @param tcpLength header plus payload
   * @param nowNanos the current time
   */
  void onSegment(
      byte[] packet,
      int srcOffset,
      int dstOffset,
      int addressLength,
      int tcpOffset,
      int tcpLength,
      long nowNanos);

  /**
   * An ICMP error quoting a segment we sent. The addresses are those of the quoted (our) packet:
   * source ours, destination the remote.
   *
   * @param packet the ICMP packet
   * @param srcOffset where the quoted source address is
   * @param dstOffset where the quoted destination address is
   * @param addressLength 4 or 16
   * @param tcpOffset where the quoted TCP header starts
   * @param tcpLength quoted TCP bytes present (at least 8)
   * @param kind the error
   * @param mtu the next-hop MTU for {@link IcmpError#PACKET_TOO_BIG}, else 0
   * @param nowNanos the current time
   */
  void onIcmpError(
      byte[] packet,
      int srcOffset,
      int dstOffset,
      int addressLength,
      int tcpOffset,
      int tcpLength,
      IcmpError kind,
      int mtu,
      long nowNanos);

  /**
   * Segments follow back to back until the next {@link #poll}, which ends the batch: ACKs for
   * in-order data may wait for it. A driver that never calls this gets an ACK every second full
   * segment at once.
   */
  default void beginBatch() {}

  /**
   * Timers and pending application work.
   *
   * @param nowNanos the current time
   */
  void poll(long nowNanos);

  /**
   * When {@link #poll} must run next.
   *
   * @return the instant in {@code System.nanoTime} terms, or {@link Long#MAX_VALUE}
   */
  long nextDeadlineNanos();

  /** Resets every connection and closes every listener (the network is closing). */
  void closeAll();
}
