package io.wireguardjava.tun.linux;

/** Test helpers that turn an ICMP/ICMPv6 echo request into its reply, in place. */
final class Packets {
  private Packets() {}

  /** If {@code p[0..len)} is an echo request, rewrites it into the reply and returns true. */
  static boolean echoReply(byte[] p, int len) {
    int version = (p[0] & 0xff) >> 4;
    if (version == 4) {
      int ihl = (p[0] & 0x0f) * 4;
      if ((p[9] & 0xff) != 1 || (p[ihl] & 0xff) != 8) {
        return false;
      }
      swap(p, 12, 16, 4); // the IPv4 header checksum does not change when addresses swap
      p[ihl] = 0;
      p[ihl + 2] = 0;
      p[ihl + 3] = 0;
      int sum = fold(sum(p, ihl, len - ihl, 0));
      p[ihl + 2] = (byte) (~sum >> 8);
      p[ihl + 3] = (byte) ~sum;
      return true;
    }
    if (version == 6) {
      if ((p[6] & 0xff) != 58 || (p[40] & 0xff) != 128) {
        return false;
      }
      swap(p, 8, 24, 16);
      p[40] = (byte) 129;
      p[42] = 0;
      p[43] = 0;
      int payload = len - 40;
      long s = sum(p, 8, 32, 0); // pseudo-header: addresses, length, next header
      s += payload + 58;
      s = sum(p, 40, payload, s);
      int sum = fold(s);
      p[42] = (byte) (~sum >> 8);
      p[43] = (byte) ~sum;
      return true;
    }
    return false;
  }

  private static void swap(byte[] p, int a, int b, int n) {
    for (int i = 0; i < n; i++) {
      byte t = p[a + i];
      p[a + i] = p[b + i];
      p[b + i] = t;
    }
  }

  private static long sum(byte[] p, int off, int len, long s) {
    for (int i = 0; i + 1 < len; i += 2) {
      s += ((p[off + i] & 0xff) << 8) | (p[off + i + 1] & 0xff);
    }
    if ((len & 1) != 0) {
      s += (p[off + len - 1] & 0xff) << 8;
    }
    return s;
  }

  private static int fold(long s) {
    while ((s >> 16) != 0) {
      s = (s & 0xffff) + (s >> 16);
    }
    return (int) s;
  }
}
