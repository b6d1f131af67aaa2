package io.wireguardjava.crypto;

import static io.wireguardjava.crypto.LittleEndian.le32;
import static io.wireguardjava.crypto.LittleEndian.le64;

/**
 * Reading the four WireGuard message formats from a {@code byte[]} range. Multi-byte fields are
 * little-endian (whitepaper 5.4). Nothing here throws for bad input: {@link #validate} returns a
 * {@link Reason}, and the accessors may be used only after it returned {@link Reason#OK}.
 *
 * <pre>
 * initiation (148): type=1 | 0 0 0 | sender u32 | ephemeral[32] | static[32+16] | timestamp[12+16] | mac1[16] | mac2[16]
 * response    (92): type=2 | 0 0 0 | sender u32 | receiver u32 | ephemeral[32] | empty[0+16] | mac1[16] | mac2[16]
 * cookie      (64): type=3 | 0 0 0 | receiver u32 | nonce[24] | cookie[16+16]
 * transport (32+ ): type=4 | 0 0 0 | receiver u32 | counter u64 | packet[n+16]
 * </pre>
 */
public final class Messages {

  private Messages() {}

  /**
   * The type byte (1..4 for valid messages), or -1 for an empty range.
   *
   * @param buf the buffer holding the message
   * @param off where the message starts
   * @param len the message's length
   * @return the type byte (1..4 for valid messages), or -1 for an empty range
   */
  public static int type(byte[] buf, int off, int len) {
    return len < 1 ? -1 : buf[off] & 0xff;
  }

  /**
   * Checks type, reserved bytes and the length that the type requires.
   *
   * @param buf the buffer holding the message
   * @param off where the message starts
   * @param len the message's length
   * @return {@link Reason#OK}, or what is wrong with the message
   */
  public static Reason validate(byte[] buf, int off, int len) {
    if (len < 4) {
      return len < 1
          ? Reason.WRONG_LENGTH
          : typeKnown(buf[off]) ? Reason.WRONG_LENGTH : Reason.UNKNOWN_TYPE;
    }
    int type = buf[off] & 0xff;
    int expected;
    switch (type) {
      case Protocol.TYPE_INITIATION:
        expected = Protocol.INITIATION_LENGTH;
        break;
      case Protocol.TYPE_RESPONSE:
        expected = Protocol.RESPONSE_LENGTH;
        break;
      case Protocol.TYPE_COOKIE_REPLY:
        expected = Protocol.COOKIE_REPLY_LENGTH;
        break;
      case Protocol.TYPE_TRANSPORT:
        expected = -1;
        break;
      default:
        return Reason.UNKNOWN_TYPE;
    }
    if (buf[off + 1] != 0 || buf[off + 2] != 0 || buf[off + 3] != 0) {
      return Reason.NONZERO_RESERVED;
    }
    if (expected < 0 ? len < Protocol.TRANSPORT_MIN_LENGTH : len != expected) {
      return Reason.WRONG_LENGTH;
    }
    return Reason.OK;
  }

  private static boolean typeKnown(byte b) {
    return b >= Protocol.TYPE_INITIATION && b <= Protocol.TYPE_TRANSPORT;
  }

  /**
   * The sender index of an initiation or a response.
   *
   * @param buf the buffer holding the message
   * @param off where the message starts
   * @return the sender index of an initiation or a response
   */
  public static int senderIndex(byte[] buf, int off) {
    return le32(buf, off + 4);
  }

  /**
   * The receiver index: of a response (offset 8), or of a cookie reply or transport message (offset
   * 4). The type byte decides.
   *
   * @param buf the buffer holding the message
   * @param off where the message starts
   * @return the receiver index: of a response (offset 8), or of a cookie reply or transport message
   *     (offset 4)
   */
  public static int receiverIndex(byte[] buf, int off) {
    return le32(buf, off + ((buf[off] & 0xff) == Protocol.TYPE_RESPONSE ? 8 : 4));
  }

  /**
   * The counter of a transport message (an unsigned 64-bit value).
   *
   * @param buf the buffer holding the message
   * @param off where the message starts
   * @return the counter of a transport message (an unsigned 64-bit value)
   */
  public static long counter(byte[] buf, int off) {
    return le64(buf, off + 8);
  }
}
