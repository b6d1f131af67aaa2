package io.wireguardjava.core;

/**
 * The IP packets {@link LoopbackWarmUp} sends: well-formed IPv4 and IPv6 UDP packets of the sizes a
 * tunnel carries (an echo request's 84 bytes, small TCP-like segments, full 1,420-byte packets),
 * built in place in a caller's buffer.
 */
final class WarmUpPackets {
  /** Total lengths cycled through, cut to the MTU. */
  private static final int[] SIZES = {84, 84, 52, 1420, 120, 84, 576, 84};

  private static final int UDP = 17;
  private static final int PORT = 9; // discard

  private WarmUpPackets() {}

  /**
   * Writes UDP packet number {@code seq} from {@code src} to {@code dst} at {@code buf[0..)}.
   *
   * @param buf where to write; at least {@code mtu} bytes
   * @param src the source address, 4 or 16 bytes
   * @param dst the destination address, as long as {@code src}
   * @param seq the packet's number: picks its size and its payload
   * @param mtu the largest packet to build
   * @return the packet's length
   */
  static int udp(byte[] buf, byte[] src, byte[] dst, int seq, int mtu) {
    boolean v6 = src.length == 16;
    int header = v6 ? 40 : 20;
    int len = Math.max(header + 8, Math.min(SIZES[Math.floorMod(seq, SIZES.length)], mtu));
    java.util.Arrays.fill(buf, 0, len, (byte) 0);
    int payloadLength = len - header;
    if (v6) {
      buf[0] = 0x60;
      putShort(buf, 4, payloadLength);
      buf[6] = UDP;
      buf[7] = 64;
      System.arraycopy(src, 0, buf, 8, 16);
      System.arraycopy(dst, 0, buf, 24, 16);
    } else {
      buf[0] = 0x45;
      putShort(buf, 2, len);
      putShort(buf, 4, seq);
      buf[8] = 64;
      buf[9] = UDP;
      System.arraycopy(src, 0, buf, 12, 4);
      System.arraycopy(dst, 0, buf, 16, 4);
      putShort(buf, 10, ipv4Checksum(buf));
    }
    putShort(buf, header, PORT);
    putShort(buf, header + 2, PORT);
    putShort(buf, header + 4, payloadLength);
    buf[len - 1] = (byte) seq; // UDP checksum 0: none (IPv4); nobody checks it here (IPv6)
    return len;
  }

  /**
   * Swaps the source and destination addresses of the IPv4 or IPv6 packet at {@code buf[0..)} (an
   * IPv4 header checksum is unchanged by the swap).
   *
   * @param buf the packet
   */
  static void swapAddresses(byte[] buf) {
    boolean v6 = (buf[0] >>> 4) == 6;
    int src = v6 ? 8 : 12;
    int n = v6 ? 16 : 4;
    for (int i = 0; i < n; i++) {
      byte t = buf[src + i];
      buf[src + i] = buf[src + n + i];
      buf[src + n + i] = t;
    }
  }

  private static int ipv4Checksum(byte[] buf) {
    int sum = 0;
    for (int i = 0; i < 20; i += 2) {
      sum += ((buf[i] & 0xff) << 8) | (buf[i + 1] & 0xff);
    }
    while ((sum >>> 16) != 0) {
      sum = (sum & 0xffff) + (sum >>> 16);
    }
    return ~sum & 0xffff;
  }

  private static void putShort(byte[] buf, int off, int v) {
    buf[off] = (byte) (v >>> 8);
    buf[off + 1] = (byte) v;
  }
}
