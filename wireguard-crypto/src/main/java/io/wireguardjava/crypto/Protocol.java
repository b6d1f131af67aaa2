package io.wireguardjava.crypto;

import java.time.Duration;

/**
 * Every constant of the WireGuard protocol, named as in the whitepaper (sections 5 and 6) and the
 * Linux kernel's {@code messages.h}.
 *
 * <p>Specification constants come first; implementation constants (chosen by the Linux kernel and
 * wireguard-go, not by the paper) are marked as such.
 */
public final class Protocol {

  private Protocol() {}

  // ---- Noise construction (whitepaper 5.4) -------------------------------------------------

  /** The Noise protocol name, hashed into the initial chaining key. */
  public static final String CONSTRUCTION = "Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s";

  /** The WireGuard identifier, hashed into the initial handshake hash. */
  public static final String IDENTIFIER = "WireGuard v1 zx2c4 Jason@zx2c4.com";

  /** Label of the MAC1 key: {@code HASH(LABEL_MAC1 || receiver's static public key)}. */
  public static final String LABEL_MAC1 = "mac1----";

  /** Label of the cookie key: {@code HASH(LABEL_COOKIE || cookie sender's static public key)}. */
  public static final String LABEL_COOKIE = "cookie--";

  // ---- Message limits and timers (whitepaper 6.1) ------------------------------------------

  /** After this many messages a session's initiator starts a new handshake (2^60). */
  public static final long REKEY_AFTER_MESSAGES = 1L << 60;

  /**
   * A keypair never sends nor accepts a counter at or beyond this value: 2^64 - 2^13 - 1, an
   * UNSIGNED 64-bit value (compare with {@link Long#compareUnsigned}).
   */
  public static final long REJECT_AFTER_MESSAGES = -(1L << 13) - 1;

  /** After this age a session's initiator starts a new handshake when it sends. */
  public static final Duration REKEY_AFTER_TIME = Duration.ofSeconds(120);

  /** After this age a keypair is neither used to send nor to receive. */
  public static final Duration REJECT_AFTER_TIME = Duration.ofSeconds(180);

  /** How long to keep retrying a handshake before giving up. */
  public static final Duration REKEY_ATTEMPT_TIME = Duration.ofSeconds(90);

  /** Time between handshake initiation retries (plus jitter). */
  public static final Duration REKEY_TIMEOUT = Duration.ofSeconds(5);

  /** A keepalive is sent when data was received but nothing sent for this long. */
  public static final Duration KEEPALIVE_TIMEOUT = Duration.ofSeconds(10);

  // The engine's timers compare raw nanosecond longs: the times above, converted once.
  /** {@link #REJECT_AFTER_TIME} in nanoseconds. */
  public static final long REJECT_AFTER_TIME_NANOS = REJECT_AFTER_TIME.toNanos();

  /** {@link #REKEY_TIMEOUT} in nanoseconds. */
  public static final long REKEY_TIMEOUT_NANOS = REKEY_TIMEOUT.toNanos();

  /** {@link #KEEPALIVE_TIMEOUT} in nanoseconds. */
  public static final long KEEPALIVE_TIMEOUT_NANOS = KEEPALIVE_TIMEOUT.toNanos();

  /** The responder's cookie secret changes this often; a received cookie lives this long. */
  public static final Duration COOKIE_REFRESH_TIME = Duration.ofSeconds(120);

  // ---- Implementation constants (kernel / wireguard-go) ------------------------------------

  /** Handshake initiations accepted per peer per second (the "flood" limit): one per 20 ms. */
  public static final int PEER_INITIATIONS_PER_SECOND = 50;

  /** Minimum spacing between two accepted initiations of one peer. */
  public static final Duration INITIATION_MIN_INTERVAL =
      Duration.ofNanos(1_000_000_000L / PEER_INITIATIONS_PER_SECOND);

  /**
   * A stored cookie is used for MAC2 only while younger than {@code COOKIE_REFRESH_TIME -
   * COOKIE_SECRET_LATENCY} (kernel {@code COOKIE_SECRET_LATENCY}).
   */
  public static final Duration COOKIE_SECRET_LATENCY = Duration.ofSeconds(5);

  /** Upper bound of the random jitter added to {@link #REKEY_TIMEOUT}. */
  public static final Duration REKEY_TIMEOUT_JITTER_MAX = Duration.ofMillis(333);

  /** Number of initiation retries: {@code REKEY_ATTEMPT_TIME / REKEY_TIMEOUT} = 18. */
  public static final int MAX_TIMER_HANDSHAKES =
      (int) (REKEY_ATTEMPT_TIME.toSeconds() / REKEY_TIMEOUT.toSeconds());

  /**
   * Nanoseconds of a TAI64N timestamp are rounded down to a multiple of this (2^24 ns, ~16.8 ms),
   * as the kernel and wireguard-go do, so the timestamp leaks no fine clock.
   */
  public static final int TIMESTAMP_WHITENING_NANOS = 1 << 24;

  /** Size of the receive replay window in packets (kernel: 8192 - 64). */
  public static final int REPLAY_WINDOW_SIZE = 8192 - 64;

  // ---- Message types and sizes (whitepaper 5.4.2 - 5.4.7) ----------------------------------

  /** Type of a handshake initiation. */
  public static final int TYPE_INITIATION = 1;

  /** Type of a handshake response. */
  public static final int TYPE_RESPONSE = 2;

  /** Type of a cookie reply. */
  public static final int TYPE_COOKIE_REPLY = 3;

  /** Type of a transport data message. */
  public static final int TYPE_TRANSPORT = 4;

  /** Length of a handshake initiation. */
  public static final int INITIATION_LENGTH = 148;

  /** Length of a handshake response. */
  public static final int RESPONSE_LENGTH = 92;

  /** Length of a cookie reply. */
  public static final int COOKIE_REPLY_LENGTH = 64;

  /** Length of a transport data header: type, reserved, receiver index, counter. */
  public static final int TRANSPORT_HEADER_LENGTH = 16;

  /** Length of a Poly1305 authentication tag. */
  public static final int TAG_LENGTH = 16;

  /** Smallest transport data message: a header and the tag of an empty payload (keepalive). */
  public static final int TRANSPORT_MIN_LENGTH = TRANSPORT_HEADER_LENGTH + TAG_LENGTH;

  /** Transport plaintext is zero-padded to a multiple of this. */
  public static final int PADDING_MULTIPLE = 16;

  /** Length of a public key, private key, preshared key, chaining key and hash. */
  public static final int KEY_LENGTH = 32;

  /** Length of a TAI64N timestamp. */
  public static final int TIMESTAMP_LENGTH = 12;

  /** Length of MAC1, MAC2 and a cookie. */
  public static final int MAC_LENGTH = 16;

  /** Length of the cookie reply's XChaCha20 nonce. */
  public static final int COOKIE_NONCE_LENGTH = 24;

  /** Offset of MAC1 in an initiation ({@code MAC2} follows it). */
  public static final int INITIATION_MAC1_OFFSET = INITIATION_LENGTH - 2 * MAC_LENGTH;

  /** Offset of MAC1 in a response. */
  public static final int RESPONSE_MAC1_OFFSET = RESPONSE_LENGTH - 2 * MAC_LENGTH;

  /**
   * The transport message length for a plaintext of {@code plaintextLength} bytes.
   *
   * @param plaintextLength the IP packet's length (0 for a keepalive)
   * @return the transport message length for a plaintext of {@code plaintextLength} bytes
   */
  public static int transportLength(int plaintextLength) {
    return TRANSPORT_HEADER_LENGTH + paddedLength(plaintextLength) + TAG_LENGTH;
  }

  /**
   * {@code length} rounded up to a multiple of {@link #PADDING_MULTIPLE}.
   *
   * @param length the length to round up
   * @return {@code length} rounded up to a multiple of {@link #PADDING_MULTIPLE}
   */
  public static int paddedLength(int length) {
    return (length + PADDING_MULTIPLE - 1) & -PADDING_MULTIPLE;
  }
}
