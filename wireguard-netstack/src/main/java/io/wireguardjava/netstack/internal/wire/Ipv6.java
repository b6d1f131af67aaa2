package io.wireguardjava.netstack.internal.wire;

/**
 * The IPv6 header (RFC 8200), read and written in place. Offsets are relative to the start of the
 * packet {@code p} at {@code off}.
 */
public final class Ipv6 {
  /** Length of the fixed header. */
  public static final int HEADER = 40;

  /** Offset of the source address. */
  public static final int SRC = 8;

  /** Offset of the destination address. */
  public static final int DST = 24;

  /** Hop limit of the packets we send (Linux's default). */
  public static final int DEFAULT_HOP_LIMIT = 64;

  private static final int HOP_BY_HOP = 0;
  private static final int ROUTING = 43;
  private static final int FRAGMENT = 44;
  private static final int DESTINATION_OPTIONS = 60;
  private static final int MAX_EXTENSION_HEADERS = 8;

  private Ipv6() {}

  /**
   * Checks version and payload length.
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
    if ((p[off] >>> 4 & 0xf) != 6) {
      return PacketCheck.BAD_VERSION;
    }
    if (HEADER + payloadLength(p, off) > len) {
      return PacketCheck.TRUNCATED;
    }
    return PacketCheck.OK;
  }

  /**
   * The payload length field (extension headers included).
   *
   * @param p the packet
   * @param off where it starts
   * @return the payload length
   */
  public static int payloadLength(byte[] p, int off) {
    return Bytes.u16(p, off + 4);
  }

  /**
   * Finds the upper-layer header by skipping hop-by-hop and destination options. Fragment and
   * routing headers are not handled.
   *
   * @param p a packet that passed {@link #check}
   * @param off where it starts
   * @return {@code (offset of the upper-layer header relative to off) << 8 | protocol}, or -1 when
   *     the chain is malformed or holds a header this stack does not handle
   */
  public static int upperLayer(byte[] p, int off) {
    int end = HEADER + payloadLength(p, off);
    int next = p[off + 6] & 0xff;
    int at = HEADER;
    for (int i = 0; i < MAX_EXTENSION_HEADERS; i++) {
      if (next != HOP_BY_HOP && next != DESTINATION_OPTIONS) {
        if (next == ROUTING || next == FRAGMENT) {
          return -1;
        }
        return at << 8 | next;
      }
      if (at + 8 > end) {
        return -1;
      }
      int length = 8 + (p[off + at + 1] & 0xff) * 8;
      next = p[off + at] & 0xff;
      at += length;
      if (at > end) {
        return -1;
      }
    }
    return -1;
  }

  /**
   * Finds a Fragment header (RFC 8200 §4.5) after hop-by-hop and destination options.
   *
   * @param p a packet that passed {@link #check}
   * @param off where it starts
   * @return the Fragment header's offset relative to off, when the packet is a fragment whose 8
   *     header bytes are all there; otherwise -1
   */
  public static int fragmentHeader(byte[] p, int off) {
    int end = HEADER + payloadLength(p, off);
    int next = p[off + 6] & 0xff;
    int at = HEADER;
    for (int i = 0; i < MAX_EXTENSION_HEADERS; i++) {
      if (next == FRAGMENT) {
        return at + 8 <= end ? at : -1;
      }
      if ((next != HOP_BY_HOP && next != DESTINATION_OPTIONS) || at + 8 > end) {
        return -1;
      }
      next = p[off + at] & 0xff;
      at += 8 + (p[off + at + 1] & 0xff) * 8;
      if (at > end) {
        return -1;
      }
    }
    return -1;
  }

  /**
   * Writes a 40-byte header with no extension headers.
   *
   * @param p the packet buffer
   * @param off where the header starts
   * @param payloadLength bytes after the header
   * @param nextHeader the upper-layer protocol
   * @param src the 16-byte source address
   * @param dst the 16-byte destination address
   */
  public static void write(
      byte[] p, int off, int payloadLength, int nextHeader, byte[] src, byte[] dst) {
    write(p, off, payloadLength, nextHeader, src, 0, dst, 0);
  }

  /**
   * Writes a 40-byte header with no extension headers, taking the addresses from any arrays.
   *
   * @param p the packet buffer
   * @param off where the header starts
   * @param payloadLength bytes after the header
   * @param nextHeader the upper-layer protocol
   * @param src holds the 16-byte source address
   * @param srcOff where in {@code src}
   * @param dst holds the 16-byte destination address
   * @param dstOff where in {@code dst}
   */
  public static void write(
      byte[] p,
      int off,
      int payloadLength,
      int nextHeader,
      byte[] src,
      int srcOff,
      byte[] dst,
      int dstOff) {
    p[off] = 0x60;
    p[off + 1] = 0;
    p[off + 2] = 0;
    p[off + 3] = 0;
    Bytes.put16(p, off + 4, payloadLength);
    p[off + 6] = (byte) nextHeader;
    p[off + 7] = (byte) DEFAULT_HOP_LIMIT;
    System.arraycopy(src, srcOff, p, off + SRC, 16);
    System.arraycopy(dst, dstOff, p, off + DST, 16);
  }
}
