package io.wireguardjava;

/** Why a tunnel dropped a packet; each reason has its own counter in {@link TunnelStats}. */
public enum DropReason {
  /** An outgoing packet whose destination is in no peer's allowed IPs. */
  NO_ROUTE,
  /** An outgoing packet for a peer with no endpoint to send it to. */
  NO_ENDPOINT,
  /** An outgoing packet waiting for a handshake found the peer's staging queue full. */
  STAGING_QUEUE_FULL,
  /** Outgoing packets still waiting when the peer's handshake attempts gave up. */
  HANDSHAKE_GAVE_UP,
  /** A packet from the device that is not a well-formed IPv4 or IPv6 packet. */
  INVALID_IP_PACKET,
  /** A packet larger than the MTU. */
  TOO_LARGE,
  /** A datagram of an unknown type, or of the wrong length for its type. */
  MALFORMED,
  /** A handshake message with a wrong MAC1, or that the protocol rejected. */
  HANDSHAKE_INVALID,
  /** A handshake message that arrived while the handshake queue was full. */
  HANDSHAKE_QUEUE_FULL,
  /** A handshake initiation over the per-source rate limit. */
  RATE_LIMITED,
  /** A handshake message answered with a cookie reply because the tunnel is under load. */
  COOKIE_SENT,
  /** A data packet for a receiver index no session has. */
  UNKNOWN_SESSION,
  /** A data packet whose session has expired (REJECT_AFTER_TIME or REJECT_AFTER_MESSAGES). */
  SESSION_EXPIRED,
  /** A data packet that failed authentication. */
  DECRYPTION_FAILED,
  /** A data packet whose counter was already seen or is too old. */
  REPLAYED,
  /** A decrypted packet whose source address is not in the sending peer's allowed IPs. */
  SOURCE_NOT_ALLOWED,
  /** A packet the in-process device's application side did not read in time (queue full). */
  DEVICE_QUEUE_FULL,
  /** A UDP send or device write that failed. */
  IO_ERROR,
  /**
   * A packet, handshake message or timer action that failed with an unexpected exception (a bug in
   * the tunnel); it was logged at WARNING and the tunnel carried on.
   */
  INTERNAL_ERROR
}
