package io.wireguardjava.netstack.internal.wire;

/**
 * ICMPv4 (RFC 792) and ICMPv6 (RFC 4443) messages, read and written in place at {@code p[icmp]}:
 * type, code, checksum, then four bytes of rest-of-header (identifier and sequence of an echo, the
 * MTU of a packet-too-big) and the body.
 */
public final class Icmp {
  /** Length of the header (type, code, checksum, rest of header). */
  public static final int HEADER = 8;

  /** IP protocol number of ICMPv4. */
  public static final int PROTOCOL_V4 = 1;

  /** Next-header number of ICMPv6. */
  public static final int PROTOCOL_V6 = 58;

  /** ICMPv4 echo reply. */
  public static final int V4_ECHO_REPLY = 0;

  /** ICMPv4 destination unreachable. */
  public static final int V4_UNREACHABLE = 3;

  /** ICMPv4 echo request. */
  public static final int V4_ECHO_REQUEST = 8;

  /** ICMPv4 unreachable code: protocol unreachable. */
  public static final int V4_CODE_PROTOCOL_UNREACHABLE = 2;

  /** ICMPv4 unreachable code: port unreachable. */
  public static final int V4_CODE_PORT_UNREACHABLE = 3;

  /** ICMPv4 unreachable code: fragmentation needed and DF set (the MTU is in bytes 6-7). */
  public static final int V4_CODE_FRAGMENTATION_NEEDED = 4;

  /** ICMPv6 destination unreachable. */
  public static final int V6_UNREACHABLE = 1;

  /** ICMPv6 packet too big (the MTU is in bytes 4-7). */
  public static final int V6_PACKET_TOO_BIG = 2;

  /** ICMPv6 echo request. */
  public static final int V6_ECHO_REQUEST = 128;

  /** ICMPv6 echo reply. */
  public static final int V6_ECHO_REPLY = 129;

  /** ICMPv6 unreachable code: port unreachable. */
  public static final int V6_CODE_PORT_UNREACHABLE = 4;

  private Icmp() {}

  /**
   * The type field.
   *
   * @param p the packet
   * @param icmp where the ICMP header starts
   * @return the type
   */
  public static int type(byte[] p, int icmp) {
    return p[icmp] & 0xff;
  }

  /**
   * The code field.
   *
   * @param p the packet
   * @param icmp where the ICMP header starts
   * @return the code
   */
  public static int code(byte[] p, int icmp) {
    return p[icmp + 1] & 0xff;
  }

  /**
   * Verifies the checksum (ICMPv6 includes the pseudo-header).
   *
   * @param p the packet
   * @param ipOff where the IP header starts
   * @param v6 whether this is ICMPv6
   * @param icmp where the ICMP header starts
   * @param length the ICMP message length
   * @return {@link PacketCheck#OK}, {@link PacketCheck#TRUNCATED} or {@link
   *     PacketCheck#BAD_CHECKSUM}
   */
  public static PacketCheck check(byte[] p, int ipOff, boolean v6, int icmp, int length) {
    if (length < HEADER) {
      return PacketCheck.TRUNCATED;
    }
    return Checksum.finish(Checksum.add(pseudo(p, ipOff, v6, length), p, icmp, length)) == 0
        ? PacketCheck.OK
        : PacketCheck.BAD_CHECKSUM;
  }

  /**
   * Computes and stores the checksum of a message whose other bytes (and, for ICMPv6, the IP
   * addresses) are in place.
   *
   * @param p the packet
   * @param ipOff where the IP header starts
   * @param v6 whether this is ICMPv6
   * @param icmp where the ICMP header starts
   * @param length the ICMP message length
   */
  public static void fillChecksum(byte[] p, int ipOff, boolean v6, int icmp, int length) {
    Bytes.put16(p, icmp + 2, 0);
    Bytes.put16(
        p, icmp + 2, Checksum.finish(Checksum.add(pseudo(p, ipOff, v6, length), p, icmp, length)));
  }

  private static long pseudo(byte[] p, int ipOff, boolean v6, int length) {
    return v6
        ? Checksum.pseudoHeader(p, ipOff + Ipv6.SRC, ipOff + Ipv6.DST, 16, PROTOCOL_V6, length)
        : 0;
  }
}
