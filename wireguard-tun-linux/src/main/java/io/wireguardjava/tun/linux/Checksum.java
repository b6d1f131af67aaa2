package io.wireguardjava.tun.linux;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The Internet checksum (RFC 1071) over byte arrays, eight bytes per load: each big-endian long
 * adds its two 32-bit halves to a 64-bit accumulator, which cannot overflow for any IP packet, and
 * the result folds to 16 bits at the end (2^16 = 1 modulo 0xffff, so the word order does not
 * matter).
 */
final class Checksum {

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle INTS =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

  static final int PROTO_TCP = 6;
  static final int PROTO_UDP = 17;

  private Checksum() {}

  /**
   * Adds {@code b[off..off+len)}, as 16-bit big-endian words (an odd last byte padded with zero),
   * to {@code sum}. {@code off} must be at an even distance from the start of the checksummed data.
   */
  static long add(byte[] b, int off, int len, long sum) {
    long s = sum;
    int i = off;
    int end = off + len;
    for (; i + 8 <= end; i += 8) {
      long w = (long) LONGS.get(b, i);
      s += (w >>> 32) + (w & 0xffffffffL);
    }
    if (i + 4 <= end) {
      s += (int) INTS.get(b, i) & 0xffffffffL;
      i += 4;
    }
    if (i + 2 <= end) {
      s += ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
      i += 2;
    }
    if (i < end) {
      s += (b[i] & 0xff) << 8;
    }
    return s;
  }

  /** Folds a sum to 16 bits (not complemented). */
  static int fold(long sum) {
    long s = sum;
    while ((s >>> 16) != 0) {
      s = (s & 0xffff) + (s >>> 16);
    }
    return (int) s;
  }

  /** The checksum field value for a sum: its folded complement. */
  static int finish(long sum) {
    return ~fold(sum) & 0xffff;
  }

  /**
   * The unfolded pseudo-header sum of an IPv4 or IPv6 packet at {@code ip}: both addresses, the
   * protocol and the transport length {@code l4Length}.
   */
  static long pseudoHeader(byte[] b, int ip, boolean v6, int protocol, int l4Length) {
    long s = v6 ? add(b, ip + 8, 32, 0) : add(b, ip + 12, 8, 0);
    return s + protocol + l4Length;
  }

  /** Whether the transport checksum of the packet at {@code ip} (IP header {@code ipLen}) holds. */
  static boolean transportValid(byte[] b, int ip, int length, int ipLen, boolean v6, int proto) {
    int l4 = length - ipLen;
    long s = pseudoHeader(b, ip, v6, proto, l4);
    return fold(add(b, ip + ipLen, l4, s)) == 0xffff;
  }

  /** Writes the IPv4 header checksum of the header at {@code ip} of {@code ipLen} bytes. */
  static void putIpv4HeaderChecksum(byte[] b, int ip, int ipLen) {
    b[ip + 10] = 0;
    b[ip + 11] = 0;
    Bytes.put16(b, ip + 10, finish(add(b, ip, ipLen, 0)));
  }
}
