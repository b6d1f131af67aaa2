package io.wireguardjava.core;

/**
 * The whitepaper's timing constants (section 6.1) in nanoseconds, the unit of {@link Clock}, plus
 * the message sizes the engine lays out buffers with. Same values as the protocol core's
 * constants; kept in nanoseconds here because the timers compare raw {@code long}s.
 */
final class Times {
  private Times() {}

  private static final long S = 1_000_000_000L;

  static final long REKEY_AFTER_MESSAGES = 1L << 60;
  static final long REJECT_AFTER_MESSAGES = 0xFFFF_FFFF_FFFF_FFFFL - (1L << 13); // unsigned
  static final long REKEY_AFTER_TIME = 120 * S;
  static final long REJECT_AFTER_TIME = 180 * S;
  static final long REKEY_ATTEMPT_TIME = 90 * S;
  static final long REKEY_TIMEOUT = 5 * S;
  static final long KEEPALIVE_TIMEOUT = 10 * S;
  /** A handshake initiation is sent at most once per REKEY_TIMEOUT (send.c). */
  static final long HANDSHAKE_INITIATION_RATE = REKEY_TIMEOUT;

  /** Message type (4) + receiver index (4) + counter (8). */
  static final int DATA_HEADER = 16;
  /** Poly1305 tag. */
  static final int TAG = 16;
  /** Bytes a data message adds to an IP packet, padding aside. */
  static final int DATA_OVERHEAD = DATA_HEADER + TAG;
}
