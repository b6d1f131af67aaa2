package io.wireguardjava.tun.linux;

/**
 * The TUN offload path ({@code IFF_VNET_HDR} with {@code TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6}):
 * every packet read from the TUN starts with a 10-byte {@code virtio_net_hdr}, and the kernel may
 * hand over one TCP "super-packet" of up to 64 KB with its checksum left to us. This class turns
 * such a read into the plain IP packets the engine expects: it completes a partial checksum, or
 * splits a TSO packet into MSS-sized TCP segments, each with its own IP header, sequence number and
 * checksums. Pure Java, no I/O; the caller owns every buffer.
 *
 * <p>Header layout (little-endian): flags u8 ({@code NEEDS_CSUM} = 1), gso_type u8 (NONE 0, TCPV4
 * 1, TCPV6 4, ECN bit 0x80), hdr_len u16, gso_size u16, csum_start u16, csum_offset u16.
 */
final class VirtioNet {

  static final int HEADER_LEN = 10;
  static final int F_NEEDS_CSUM = 1;
  static final int GSO_NONE = 0;
  static final int GSO_TCPV4 = 1;
  static final int GSO_TCPV6 = 4;
  static final int GSO_ECN = 0x80;

  private VirtioNet() {}

  /** Receives the plain packets of one read, one call each. */
  interface Sink {
    void packet(byte[] buf, int offset, int length);
  }

  /**
   * Turns {@code raw[0..n)} (virtio header + packet) into plain IP packets, handed to {@code out}
   * in order. {@code scratch} must hold one segment (MTU bytes).
   *
   * @return the number of packets produced (0 when the read is malformed and dropped)
   */
  static int unpack(byte[] raw, int n, byte[] scratch, Sink out) {
    if (n <= HEADER_LEN) {
      return 0;
    }
    int flags = raw[0] & 0xff;
    int gsoType = raw[1] & 0xff & ~GSO_ECN;
    int gsoSize = u16le(raw, 4);
    int csumStart = u16le(raw, 6);
    int csumOffset = u16le(raw, 8);
    int p = HEADER_LEN;
    int len = n - HEADER_LEN;
    if (gsoType == GSO_NONE) {
      if ((flags & F_NEEDS_CSUM) != 0) {
        if (csumStart + csumOffset + 2 > len) {
          return 0;
        }
        int at = p + csumStart + csumOffset;
        long sum = sum(raw, p + csumStart, len - csumStart, 0); // includes the pseudo-header sum
        int c = ~fold(sum) & 0xffff;
        raw[at] = (byte) (c >> 8);
        raw[at + 1] = (byte) c;
      }
      out.packet(raw, p, len);
      return 1;
    }
    if (gsoType != GSO_TCPV4 && gsoType != GSO_TCPV6 || gsoSize == 0) {
      return 0;
    }
    boolean v4 = gsoType == GSO_TCPV4;
    int ipLen = v4 ? (raw[p] & 0x0f) * 4 : 40;
    if (len < ipLen + 20) {
      return 0;
    }
    int tcpLen = ((raw[p + ipLen + 12] & 0xff) >> 4) * 4;
    int hdrLen = ipLen + tcpLen;
    if (tcpLen < 20 || len < hdrLen) {
      return 0;
    }
    int payload = len - hdrLen;
    long seq = u32be(raw, p + ipLen + 4);
    int ipId = v4 ? u16be(raw, p + 4) : 0;
    int tcpFlags = raw[p + ipLen + 13] & 0xff;
    int count = 0;
    for (int off = 0; off < payload || (payload == 0 && count == 0); off += gsoSize) {
      int seg = Math.min(gsoSize, payload - off);
      boolean first = off == 0;
      boolean last = off + seg >= payload;
      if (hdrLen + seg > scratch.length) {
        return count;
      }
      System.arraycopy(raw, p, scratch, 0, hdrLen);
      System.arraycopy(raw, p + hdrLen + off, scratch, hdrLen, seg);
      int total = hdrLen + seg;
      if (v4) {
        put16be(scratch, 2, total);
        put16be(scratch, 4, (ipId + count) & 0xffff);
        put16be(scratch, 10, 0);
        put16be(scratch, 10, ~fold(sum(scratch, 0, ipLen, 0)) & 0xffff);
      } else {
        put16be(scratch, 4, total - 40);
      }
      put32be(scratch, ipLen + 4, (seq + off) & 0xffffffffL);
      int f = tcpFlags;
      if (!last) {
        f &= ~0x09; // FIN, PSH only on the last segment
      }
      if (!first) {
        f &= ~0x80; // CWR only on the first
      }
      scratch[ipLen + 13] = (byte) f;
      put16be(scratch, ipLen + 16, 0);
      int l4 = total - ipLen;
      long s = v4 ? sum(scratch, 12, 8, 0) : sum(scratch, 8, 32, 0); // addresses
      s += 6 + l4;
      s = sum(scratch, ipLen, l4, s);
      put16be(scratch, ipLen + 16, ~fold(s) & 0xffff);
      out.packet(scratch, 0, total);
      count++;
      if (payload == 0) {
        break;
      }
    }
    return count;
  }

  /** The ones' complement sum of 16-bit big-endian words (not folded). */
  static long sum(byte[] b, int off, int len, long s) {
    int i = 0;
    for (; i + 1 < len; i += 2) {
      s += ((b[off + i] & 0xff) << 8) | (b[off + i + 1] & 0xff);
    }
    if (i < len) {
      s += (b[off + i] & 0xff) << 8;
    }
    return s;
  }

  static int fold(long s) {
    while ((s >>> 16) != 0) {
      s = (s & 0xffff) + (s >>> 16);
    }
    return (int) s;
  }

  private static int u16le(byte[] b, int i) {
    return (b[i] & 0xff) | (b[i + 1] & 0xff) << 8;
  }

  private static int u16be(byte[] b, int i) {
    return (b[i] & 0xff) << 8 | (b[i + 1] & 0xff);
  }

  private static long u32be(byte[] b, int i) {
    return ((long) u16be(b, i) << 16) | u16be(b, i + 2);
  }

  private static void put16be(byte[] b, int i, int v) {
    b[i] = (byte) (v >> 8);
    b[i + 1] = (byte) v;
  }

  private static void put32be(byte[] b, int i, long v) {
    put16be(b, i, (int) (v >>> 16));
    put16be(b, i + 2, (int) v);
  }
}
