package io.wireguardjava.netstack.internal.wire;

/** The UDP header (RFC 768), read and written in place at {@code p[udp]}. */
public final class Udp {
  /** Length of the header. */
  public static final int HEADER = 8;

  /** IP protocol number. */
  public static final int PROTOCOL = 17;

  private Udp() {}

  /**
   * The source port.
   *
   * @param p the packet
   * @param udp where the UDP header starts
   * @return the port
   */
  public static int srcPort(byte[] p, int udp) {
    return Bytes.u16(p, udp);
  }

  /**
   * The destination port.
   *
   * @param p the packet
   * @param udp where the UDP header starts
   * @return the port
   */
  public static int dstPort(byte[] p, int udp) {
    return Bytes.u16(p, udp + 2);
  }

  /**
   * Checks the length field and the checksum (a zero checksum is accepted over IPv4 only, as RFC
   * 768 and RFC 8200 say).
   *
   * @param p the packet
   * @param ipOff where the IP header starts
   * @param addressLength 4 or 16
   * @param udp where the UDP header starts
   * @param available bytes from {@code udp} to the end of the IP payload
   * @return {@link PacketCheck#OK} or the problem
   */
  public static PacketCheck check(byte[] p, int ipOff, int addressLength, int udp, int available) {
    if (available < HEADER) {
      return PacketCheck.TRUNCATED;
    }
    int length = Bytes.u16(p, udp + 4);
    if (length < HEADER || length > available) {
      return PacketCheck.BAD_LENGTH;
    }
    boolean v6 = addressLength == 16;
    if (Bytes.u16(p, udp + 6) == 0) {
      return v6 ? PacketCheck.BAD_CHECKSUM : PacketCheck.OK;
    }
    long sum = pseudo(p, ipOff, v6, length);
    return Checksum.finish(Checksum.add(sum, p, udp, length)) == 0
        ? PacketCheck.OK
        : PacketCheck.BAD_CHECKSUM;
  }

  /**
   * The UDP length field (header plus payload).
   *
   * @param p the packet
   * @param udp where the UDP header starts
   * @return the length
   */
  public static int length(byte[] p, int udp) {
    return Bytes.u16(p, udp + 4);
  }

  /**
   * Writes the header and its checksum; the payload must already be in place after it and the IP
   * addresses in the IP header.
   *
   * @param p the packet
   * @param ipOff where the IP header starts
   * @param v6 whether it is IPv6
   * @param udp where the UDP header starts
   * @param srcPort the source port
   * @param dstPort the destination port
   * @param payloadLength bytes after the UDP header
   */
  public static void write(
      byte[] p, int ipOff, boolean v6, int udp, int srcPort, int dstPort, int payloadLength) {
    int length = HEADER + payloadLength;
    Bytes.put16(p, udp, srcPort);
    Bytes.put16(p, udp + 2, dstPort);
    Bytes.put16(p, udp + 4, length);
    Bytes.put16(p, udp + 6, 0);
    int c = Checksum.finish(Checksum.add(pseudo(p, ipOff, v6, length), p, udp, length));
    Bytes.put16(p, udp + 6, c == 0 ? 0xffff : c);
  }

  private static long pseudo(byte[] p, int ipOff, boolean v6, int length) {
    return v6
        ? Checksum.pseudoHeader(p, ipOff + Ipv6.SRC, ipOff + Ipv6.DST, 16, PROTOCOL, length)
        : Checksum.pseudoHeader(p, ipOff + Ipv4.SRC, ipOff + Ipv4.DST, 4, PROTOCOL, length);
  }
}
