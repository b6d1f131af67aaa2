package io.wireguardjava.crypto;

/**
 * Why a message was accepted or rejected. Every parse or consume method of this package answers
 * with one of these instead of throwing.
 *
 * <p>The zero-allocation data path ({@link Keypair#seal}, {@link Keypair#open}) returns an {@code
 * int}: a length when {@code >= 0}, otherwise {@link #code()} of the reason, turned back into a
 * {@code Reason} by {@link #fromCode(int)}.
 */
public enum Reason {
  /** Accepted. */
  OK,

  // ---- structure (Messages.validate) ----
  /** The type byte is not 1, 2, 3 or 4. */
  UNKNOWN_TYPE,
  /** The length does not fit the type (148, 92, 64, or at least 32 for transport data). */
  WRONG_LENGTH,
  /** One of the three reserved bytes after the type is not zero. */
  NONZERO_RESERVED,

  // ---- MACs and cookies ----
  /** MAC1 does not match: not addressed to our static key, or corrupted. Checked before any DH. */
  INVALID_MAC1,
  /** A cookie reply arrived but no handshake message with a MAC1 was sent to that peer. */
  UNEXPECTED_COOKIE_REPLY,
  /** A cookie reply failed authentication (wrong peer, corrupted, or not for our last MAC1). */
  COOKIE_DECRYPT_FAILED,

  // ---- handshake ----
  /** A peer's public key, or an ephemeral key, gives an all-zero Diffie-Hellman result. */
  LOW_ORDER_POINT,
  /** The initiation's encrypted static key failed authentication. */
  STATIC_DECRYPT_FAILED,
  /** The initiator's static public key belongs to no configured peer. */
  UNKNOWN_PEER,
  /** The initiation's encrypted timestamp failed authentication. */
  TIMESTAMP_DECRYPT_FAILED,
  /** The initiation's timestamp is not newer than the peer's last accepted one (a replay). */
  STALE_TIMESTAMP,
  /** A second initiation from the same peer within 1/50 s of the last accepted one. */
  INITIATION_FLOOD,
  /** A response for which no initiation is pending (or whose receiver index is not ours). */
  UNEXPECTED_RESPONSE,
  /**
   * The response's empty payload failed authentication: with the right static keys, this is a
   * preshared key mismatch (or a corrupted response).
   */
  RESPONSE_AUTH_FAILED,

  // ---- transport data ----
  /** The receiver index is not the one of this keypair or handshake (misrouted or damaged). */
  WRONG_RECEIVER_INDEX,
  /** The destination buffer is smaller than the output. */
  BUFFER_TOO_SMALL,
  /** The keypair is older than REJECT_AFTER_TIME or has been destroyed. */
  KEYPAIR_EXPIRED,
  /** The counter is at or beyond REJECT_AFTER_MESSAGES. */
  COUNTER_LIMIT,
  /** The counter was already received, or is too old for the replay window. */
  REPLAYED,
  /** The transport data failed authentication. */
  DATA_AUTH_FAILED;

  private static final Reason[] VALUES = values();

  /**
   * A non-positive code for the {@code int} results of the data path ({@code OK} is 0).
   *
   * @return a non-positive code for the {@code int} results of the data path ({@code OK} is 0)
   */
  public int code() {
    return -ordinal();
  }

  /**
   * The reason of a negative {@code int} result; {@link #OK} for any non-negative value.
   *
   * @param code an {@code int} result
   * @return the reason of a negative {@code int} result; {@link #OK} for any non-negative value
   */
  public static Reason fromCode(int code) {
    if (code >= 0) {
      return OK;
    }
    int i = -code;
    if (i >= VALUES.length) {
      throw new IllegalArgumentException("not a Reason code: " + code);
    }
    return VALUES[i];
  }
}
