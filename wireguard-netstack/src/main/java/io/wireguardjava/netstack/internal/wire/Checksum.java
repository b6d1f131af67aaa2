package io.wireguardjava.netstack.internal.wire;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The internet checksum (RFC 1071): the one's complement of the one's complement sum of 16-bit
 * words. The one implementation used for IPv4 headers, UDP, TCP, ICMP and ICMPv6.
 *
 * <p>Sums are kept unfolded in a {@code long} and fed 32 bits per step: since 2^16 = 1 modulo
 * 0xffff, adding 32-bit big-endian words and folding at the end gives the same result as adding
 * 16-bit words, in half the steps and with no carry handling inside the loop.
 */
public final class Checksum {
  private static final VarHandle INT_BE =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle LONG_BE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private Checksum() {}

  /**
   * Adds {@code b[offset, offset+length)} to a running sum. Every call but the last must cover an
   * even number of bytes (the data is taken as a sequence of 16-bit words starting at {@code
   * offset}); an odd last byte is padded with zero, as RFC 1071 says.
   *
   * @param sum the running sum (0 to start)
   * @param b the data
   * @param offset where it starts
   * @param length how many bytes
   * @return the new running sum, unfolded
   */
  public static long add(long sum, byte[] b, int offset, int length) {
    int i = offset;
    int end = offset + length;
    // Two 32-bit halves of each 64-bit load: each half is < 2^32, so the long cannot overflow
    // before 2^31 steps, far beyond any packet.
    for (; i + 8 <= end; i += 8) {
      long v = (long) LONG_BE.get(b, i);
      sum += (v >>> 32) + (v & 0xffffffffL);
    }
    if (i + 4 <= end) {
      sum += Integer.toUnsignedLong((int) INT_BE.get(b, i));
      i += 4;
    }
    if (i + 2 <= end) {
      sum += ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
      i += 2;
    }
    if (i < end) {
      sum += (b[i] & 0xff) << 8;
    }
    return sum;
  }

  /**
   * Adds the pseudo-header of TCP, UDP or ICMPv6 (RFC 768, RFC 8200 section 8.1): source and
   * destination addresses read from {@code packet}, the protocol number and the upper-layer length.
   *
   * @param packet the bytes holding both addresses
   * @param srcOffset where the source address starts
   * @param dstOffset where the destination address starts
   * @param addressLength 4 for IPv4, 16 for IPv6
   * @param protocol the upper-layer protocol number
   * @param upperLength the length of the upper-layer header and payload
   * @return the running sum of the pseudo-header, unfolded
   */
  public static long pseudoHeader(
      byte[] packet,
      int srcOffset,
      int dstOffset,
      int addressLength,
      int protocol,
      int upperLength) {
    long sum = add(0, packet, srcOffset, addressLength);
    sum = add(sum, packet, dstOffset, addressLength);
    return sum + protocol + upperLength;
  }

  /**
   * Folds a running sum to 16 bits and complements it: the value to write in a checksum field. A
   * packet whose checksum field is correct sums (including that field) to a value for which this
   * returns 0.
   *
   * @param sum a running sum
   * @return the checksum, in [0, 0xffff]
   */
  public static int finish(long sum) {
    while ((sum >>> 16) != 0) {
      sum = (sum & 0xffff) + (sum >>> 16);
    }
    return (int) (~sum & 0xffff);
  }

  /**
   * The checksum of {@code b[offset, offset+length)} alone.
   *
   * @param b the data
   * @param offset where it starts
   * @param length how many bytes
   * @return the checksum to store
   */
  public static int of(byte[] b, int offset, int length) {
    return finish(add(0, b, offset, length));
  }
}
