package io.wireguardjava.crypto;

/** Minimal IPv4 + ICMP echo packets for the interop tests. */
final class IcmpPackets {
  private IcmpPackets() {}

  /** An IPv4 ICMP echo request of 64 bytes (20 IP + 8 ICMP + 36 payload). */
  static byte[] echoRequest(byte[] src, byte[] dst, int id, int seq) {
    byte[] p = new byte[64];
    p[0] = 0x45;
    p[2] = 0;
    p[3] = 64;
    p[8] = 64; // TTL
    p[9] = 1; // ICMP
    System.arraycopy(src, 0, p, 12, 4);
    System.arraycopy(dst, 0, p, 16, 4);
    int c = checksum(p, 0, 20);
    p[10] = (byte) (c >>> 8);
    p[11] = (byte) c;
    p[20] = 8; // echo request
    p[24] = (byte) (id >>> 8);
    p[25] = (byte) id;
    p[26] = (byte) (seq >>> 8);
    p[27] = (byte) seq;
    for (int i = 28; i < 64; i++) {
      p[i] = (byte) i;
    }
    c = checksum(p, 20, 44);
    p[22] = (byte) (c >>> 8);
    p[23] = (byte) c;
    return p;
  }

  static int checksum(byte[] b, int off, int len) {
    int sum = 0;
    for (int i = 0; i < len; i += 2) {
      sum += ((b[off + i] & 0xff) << 8) | (i + 1 < len ? b[off + i + 1] & 0xff : 0);
    }
    while ((sum >>> 16) != 0) {
      sum = (sum & 0xffff) + (sum >>> 16);
    }
    return ~sum & 0xffff;
  }

  /** True if {@code p} is an IPv4 ICMP echo reply from {@code src} to {@code dst}. */
  static boolean isEchoReply(byte[] p, int len, byte[] src, byte[] dst, int id, int seq) {
    if (len < 28 || (p[0] & 0xf0) != 0x40 || p[9] != 1) {
      return false;
    }
    int ihl = (p[0] & 0x0f) * 4;
    for (int i = 0; i < 4; i++) {
      if (p[12 + i] != src[i] || p[16 + i] != dst[i]) {
        return false;
      }
    }
    return p[ihl] == 0
        && ((p[ihl + 4] & 0xff) << 8 | (p[ihl + 5] & 0xff)) == id
        && ((p[ihl + 6] & 0xff) << 8 | (p[ihl + 7] & 0xff)) == seq;
  }
}
