package io.wireguardjava.examples.demo;

import java.net.Inet4Address;

/**
 * IPv4 ICMP echo packets, enough to "ping" through a tunnel whose packets an application reads and
 * writes itself (an in-process device has no network stack to answer).
 */
public final class Icmp {
  private Icmp() {}

  /** ICMP type of an echo request. */
  public static final int ECHO_REQUEST = 8;

  /** ICMP type of an echo reply. */
  public static final int ECHO_REPLY = 0;

  /** An IPv4 ICMP echo packet with correct checksums. */
  public static byte[] echo(
      int type, Inet4Address src, Inet4Address dst, int id, int seq, byte[] payload) {
    byte[] p = new byte[28 + payload.length];
    p[0] = 0x45;
    put16(p, 2, p.length);
    put16(p, 4, seq);
    p[8] = 64; // TTL
    p[9] = 1; // ICMP
    System.arraycopy(src.getAddress(), 0, p, 12, 4);
    System.arraycopy(dst.getAddress(), 0, p, 16, 4);
    put16(p, 10, checksum(p, 0, 20));
    p[20] = (byte) type;
    put16(p, 24, id);
    put16(p, 26, seq);
    System.arraycopy(payload, 0, p, 28, payload.length);
    put16(p, 22, checksum(p, 20, p.length - 20));
    return p;
  }

  /** The ICMP type of an IPv4 ICMP packet, or -1 for anything else. */
  public static int type(byte[] p, int len) {
    if (len < 28 || (p[0] & 0xF0) != 0x40 || p[9] != 1) {
      return -1;
    }
    return p[(p[0] & 0x0F) * 4] & 0xFF;
  }

  /** The echo sequence number. */
  public static int sequence(byte[] p) {
    return ((p[26] & 0xFF) << 8) | (p[27] & 0xFF);
  }

  /** Turns an echo request (in place) into its reply: swapped addresses, type 0, checksum. */
  public static void toReply(byte[] p, int len) {
    for (int i = 0; i < 4; i++) {
      byte t = p[12 + i];
      p[12 + i] = p[16 + i];
      p[16 + i] = t;
    }
    p[20] = ECHO_REPLY;
    put16(p, 22, 0);
    put16(p, 22, checksum(p, 20, len - 20));
  }

  /** The Internet checksum (RFC 1071) of {@code b[off..off+len)}. */
  static int checksum(byte[] b, int off, int len) {
    long sum = 0;
    for (int i = 0; i + 1 < len; i += 2) {
      sum += ((b[off + i] & 0xFF) << 8) | (b[off + i + 1] & 0xFF);
    }
    if ((len & 1) != 0) {
      sum += (b[off + len - 1] & 0xFF) << 8;
    }
    while ((sum >> 16) != 0) {
      sum = (sum & 0xFFFF) + (sum >> 16);
    }
    return (int) (~sum & 0xFFFF);
  }

  private static void put16(byte[] b, int off, int v) {
    b[off] = (byte) (v >>> 8);
    b[off + 1] = (byte) v;
  }
}
