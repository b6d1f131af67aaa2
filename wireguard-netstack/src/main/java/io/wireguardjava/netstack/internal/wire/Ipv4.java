package io.wireguardjava.netstack.internal.wire;

/**
 * The IPv4 header (RFC 791), read and written in place. Offsets are relative to the start of the
 * packet {@code p} at {@code off}.
 */
public final class Ipv4 {
  /** Length of a header without options. */
  public static final int HEADER = 20;

  /** Offset of the source address. */
  public static final int SRC = 12;

  /** Offset of the destination address. */
  public static final int DST = 16;

  /** Time to live of the packets we send (Linux's default). */
  public static final int DEFAULT_TTL = 64;

  private static final int MORE_FRAGMENTS = 0x2000;
  private static final int DONT_FRAGMENT = 0x4000;
  private static final int OFFSET_MASK = 0x1fff;

  private Ipv4() {}

  /**
   * Checks version, header length, total length and header checksum.
   *
   * @param p the packet
   * @param off where it starts
   * @param len how many bytes were received
   * @return {@link PacketCheck#OK} or the first problem found
   */
  public static PacketCheck check(byte[] p, int off, int len) {
    if (len < HEADER) {
      return PacketCheck.TRUNCATED;
    }
    if ((p[off] >>> 4 & 0xf) != 4) {
      return PacketCheck.BAD_VERSION;
    }
    int ihl = headerLength(p, off);
    if (ihl < HEADER || ihl > len) {
      return PacketCheck.BAD_HEADER_LENGTH;
    }
    int total = totalLength(p, off);
    if (total < ihl) {
      return PacketCheck.BAD_LENGTH;
    }
    if (total > len) {
      return PacketCheck.TRUNCATED;
    }
    if (Checksum.of(p, off, ihl) != 0) {
      return PacketCheck.BAD_CHECKSUM;
    }
    return PacketCheck.OK;
  }

  /**
   * The header length in bytes (IHL * 4).
   *
   * @param p the packet
   * @param off where it starts
   * @return the header length
   */
  public static int headerLength(byte[] p, int off) {
    return (p[off] & 0xf) * 4;
  }

  /**
   * The total length field.
   *
   * @param p the packet
   * @param off where it starts
   * @return header plus payload length
   */
  public static int totalLength(byte[] p, int off) {
    return Bytes.u16(p, off + 2);
  }

  /**
   * The protocol field.
   *
   * @param p the packet
   * @param off where it starts
   * @return the upper-layer protocol number
   */
  public static int protocol(byte[] p, int off) {
    return p[off + 9] & 0xff;
  }

  /**
   * The identification field.
   *
   * @param p the packet
   * @param off where it starts
   * @return the identification
   */
  public static int identification(byte[] p, int off) {
    return Bytes.u16(p, off + 4);
  }

  /**
   * Whether this packet is a fragment (more fragments set, or a non-zero offset).
   *
   * @param p the packet
   * @param off where it starts
   * @return whether it needs reassembly
   */
  public static boolean isFragment(byte[] p, int off) {
    return (Bytes.u16(p, off + 6) & (MORE_FRAGMENTS | OFFSET_MASK)) != 0;
  }

  /**
   * Whether the more-fragments flag is set.
   *
   * @param p the packet
   * @param off where it starts
   * @return the MF flag
   */
  public static boolean moreFragments(byte[] p, int off) {
    return (Bytes.u16(p, off + 6) & MORE_FRAGMENTS) != 0;
  }

  /**
   * The fragment offset in bytes.
   *
   * @param p the packet
   * @param off where it starts
   * @return offset of this fragment's payload in the original payload
   */
  public static int fragmentOffset(byte[] p, int off) {
    return (Bytes.u16(p, off + 6) & OFFSET_MASK) * 8;
  }

  /**
   * Writes a 20-byte header (no options, don't-fragment set) with its checksum.
   *
   * @param p the packet buffer
   * @param off where the header starts
   * @param totalLength header plus payload
   * @param identification the identification field
   * @param protocol the upper-layer protocol
   * @param src the 4-byte source address
   * @param dst the 4-byte destination address
   */
  public static void write(
      byte[] p,
      int off,
      int totalLength,
      int identification,
      int protocol,
      byte[] src,
      byte[] dst) {
    write(p, off, totalLength, identification, protocol, src, 0, dst, 0);
  }

  /**
   * Writes a 20-byte header (no options, don't-fragment set) with its checksum, taking the
   * addresses from any arrays (for answers built from a received packet without copies).
   *
   * @param p the packet buffer
   * @param off where the header starts
   * @param totalLength header plus payload
   * @param identification the identification field
   * @param protocol the upper-layer protocol
   * @param src holds the 4-byte source address
   * @param srcOff where in {@code src}
   * @param dst holds the 4-byte destination address
   * @param dstOff where in {@code dst}
   */
  public static void write(
      byte[] p,
      int off,
      int totalLength,
      int identification,
      int protocol,
      byte[] src,
      int srcOff,
      byte[] dst,
      int dstOff) {
    p[off] = 0x45;
    p[off + 1] = 0;
    Bytes.put16(p, off + 2, totalLength);
    Bytes.put16(p, off + 4, identification);
    Bytes.put16(p, off + 6, DONT_FRAGMENT);
    p[off + 8] = (byte) DEFAULT_TTL;
    p[off + 9] = (byte) protocol;
    Bytes.put16(p, off + 10, 0);
    System.arraycopy(src, srcOff, p, off + SRC, 4);
    System.arraycopy(dst, dstOff, p, off + DST, 4);
    Bytes.put16(p, off + 10, Checksum.of(p, off, HEADER));
  }

  /**
   * Rewrites the header of a reassembled datagram: no fragment flags, the new total length, a fresh
   * checksum. Options are kept.
   *
   * @param p the packet
   * @param off where it starts
   * @param totalLength the reassembled total length
   */
  public static void markReassembled(byte[] p, int off, int totalLength) {
    Bytes.put16(p, off + 2, totalLength);
    Bytes.put16(p, off + 6, 0);
    Bytes.put16(p, off + 10, 0);
    Bytes.put16(p, off + 10, Checksum.of(p, off, headerLength(p, off)));
  }
}
