package io.wireguardjava.netstack.internal.tcp;

/**
 * A congestion-control algorithm: owns cwnd and ssthresh in bytes. Loss recovery itself (what to
 * retransmit, the pipe estimate of RFC 6675) stays in the connection; this only decides how big the
 * window is. Called on the stack thread under the connection's lock.
 */
interface CongestionControl {
  /** The congestion window in bytes. */
  int cwnd();

  /** The slow-start threshold in bytes. */
  int ssthresh();

  /** New data was cumulatively acknowledged outside loss recovery; srtt is -1 before a sample. */
  void onAck(int ackedBytes, int flightBytes, long srttNanos, long nowNanos);

  /** Fast retransmit starts a recovery episode; {@code flightBytes} is what was outstanding. */
  void onEnterRecovery(int flightBytes, long nowNanos);

  /** The recovery episode ended (the recovery point was acknowledged). */
  void onExitRecovery(long nowNanos);

  /** The retransmission timer expired. */
  void onRetransmissionTimeout(int flightBytes, long nowNanos);

  /**
   * Everything outstanding at the last retransmission timeout is acknowledged: the resending that
   * timeout started is over (Linux leaves TCP_CA_Loss).
   */
  default void onExitLoss(long nowNanos) {}

  /** The send MSS changed (peer option, path MTU). */
  void onMssChanged(int mss);

  /** The connection was idle for at least an RTO with nothing in flight (RFC 5681 §4.1). */
  void onIdleRestart(long nowNanos);

  /** A new data segment [seq, seq+len) leaves; {@code flightBytes} were outstanding before it. */
  default void onSent(int seq, int len, int flightBytes, long nowNanos) {}

  /**
   * Every ACK that delivered data, cumulatively or by SACK, in recovery or not (after {@link
   * #onAck}).
   *
   * @param newlyDelivered bytes newly acknowledged or SACKed by this ACK
   * @param una the cumulative ACK
   * @param highestSacked the highest SACKed sequence + 1, or {@code una}
   * @param inflightBytes what is still outstanding and not SACKed
   */
  default void onDelivered(
      int newlyDelivered, int una, int highestSacked, int inflightBytes, long nowNanos) {}

  /** The sender had no data to send while cwnd had room: rate samples are application-limited. */
  default void onApplicationLimited(int flightBytes) {}

  /** The pacing rate in bytes per second, or 0 to send as fast as the window allows. */
  default long pacingRate() {
    return 0;
  }
}
