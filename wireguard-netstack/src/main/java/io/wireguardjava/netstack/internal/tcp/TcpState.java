package io.wireguardjava.netstack.internal.tcp;

/** The connection states of RFC 9293 §3.3.2 (LISTEN lives in {@link TcpListener}). */
enum TcpState {
  SYN_SENT,
  SYN_RECEIVED,
  ESTABLISHED,
  FIN_WAIT_1,
  FIN_WAIT_2,
  CLOSE_WAIT,
  CLOSING,
  LAST_ACK,
  TIME_WAIT,
  CLOSED;

  /** States in which both sides have exchanged SYNs. */
  boolean synchronized_() {
    return this != SYN_SENT && this != SYN_RECEIVED && this != CLOSED;
  }

  /** States in which data from the peer is still accepted (RFC 9293 §3.10.7.4 step 7). */
  boolean receivesData() {
    return this == ESTABLISHED || this == FIN_WAIT_1 || this == FIN_WAIT_2;
  }

  /** States in which our data or FIN may still be (re)transmitted. */
  boolean sendsData() {
    return this == ESTABLISHED
        || this == CLOSE_WAIT
        || this == FIN_WAIT_1
        || this == CLOSING
        || this == LAST_ACK;
  }
}
