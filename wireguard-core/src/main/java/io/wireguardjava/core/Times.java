package io.wireguardjava.core;

import io.wireguardjava.crypto.Protocol;

/**
 * The whitepaper's timing constants (section 6.1), taken from the protocol core's {@link
 * Protocol} and converted once to nanoseconds, the unit of {@link Clock}, so the timers compare
 * raw {@code long}s; plus the data message sizes the engine lays out buffers with.
 */
final class Times {
  private Times() {}

  static final long REKEY_AFTER_MESSAGES = Protocol.REKEY_AFTER_MESSAGES;
  /** An unsigned 64-bit value: compare with {@link Long#compareUnsigned}. */
  static final long REJECT_AFTER_MESSAGES = Protocol.REJECT_AFTER_MESSAGES;
  static final long REKEY_AFTER_TIME = Protocol.REKEY_AFTER_TIME.toNanos();
  static final long REJECT_AFTER_TIME = Protocol.REJECT_AFTER_TIME.toNanos();
  static final long REKEY_ATTEMPT_TIME = Protocol.REKEY_ATTEMPT_TIME.toNanos();
  static final long REKEY_TIMEOUT = Protocol.REKEY_TIMEOUT.toNanos();
  static final long KEEPALIVE_TIMEOUT = Protocol.KEEPALIVE_TIMEOUT.toNanos();
  /** A handshake initiation is sent at most once per REKEY_TIMEOUT (send.c). */
  static final long HANDSHAKE_INITIATION_RATE = REKEY_TIMEOUT;

  /** Message type (4) + receiver index (4) + counter (8). */
  static final int DATA_HEADER = Protocol.TRANSPORT_HEADER_LENGTH;
  /** Poly1305 tag. */
  static final int TAG = Protocol.TAG_LENGTH;
  /** Bytes a data message adds to an IP packet, padding aside. */
  static final int DATA_OVERHEAD = DATA_HEADER + TAG;
}
