package io.wireguardjava.tun.linux;

/**
 * Splits one read from an offloading TUN (a {@link VirtioNetHeader} and a packet) into the plain IP
 * packets the engine sends, one at a time, so a reader can hand them out across several calls
 * without copying the super-packet again. Sans-I/O: the caller owns both arrays.
 *
 * <p>A TSO/USO super-packet ({@code gso_type} TCPV4, TCPV6 or UDP_L4) of up to 64 KB becomes
 * packets of {@code gso_size} payload bytes (the last may be shorter), each with the headers of the
 * first and: IPv4 total length, identification (+1 per segment) and header checksum; IPv6 payload
 * length; TCP sequence number (+gso_size per segment), FIN and PSH only on the last segment, CWR
 * only on the first; UDP length; and the transport checksum computed in full. A plain packet
 * flagged {@code NEEDS_CSUM} gets its transport checksum completed (the kernel left the
 * pseudo-header sum in the field). Header lengths come from the packet itself, not from {@code
 * hdr_len} (which the kernel may set to the whole first packet on the forwarding path).
 */
final class GsoSplit {

  private static final int TCP_FIN = 0x01;
  private static final int TCP_PSH = 0x08;
  private static final int TCP_CWR = 0x80;

  private final VirtioNetHeader header = new VirtioNetHeader();

  private byte[] in = new byte[0];
  private int ip;
  private int length;
  private boolean gso;
  private boolean v6;
  private boolean tcp;
  private int ipLen;
  private int headersLen;
  private int gsoSize;
  private int count;
  private long pseudoAddresses;

  /**
   * Starts on the read {@code raw[off..off+n)}: header then packet. A plain packet flagged {@code
   * NEEDS_CSUM} gets its checksum completed in place.
   *
   * @return the number of packets it holds (at least 1), or 0 when it is malformed (to be dropped)
   */
  int begin(byte[] raw, int off, int n) {
    count = 0;
    if (n <= VirtioNetHeader.LENGTH) {
      return 0;
    }
    header.parse(raw, off);
    this.in = raw;
    this.ip = off + VirtioNetHeader.LENGTH;
    this.length = n - VirtioNetHeader.LENGTH;
    int type = header.gsoType & ~VirtioNetHeader.GSO_ECN;
    if (type == VirtioNetHeader.GSO_NONE) {
      gso = false;
      if ((header.flags & VirtioNetHeader.F_NEEDS_CSUM) != 0 && !completeChecksum()) {
        return 0;
      }
      count = 1;
      return count;
    }
    gso = true;
    int version = (in[ip] & 0xff) >> 4;
    v6 = version == 6;
    if (type == VirtioNetHeader.GSO_TCPV4 && version == 4
        || type == VirtioNetHeader.GSO_TCPV6 && v6) {
      tcp = true;
    } else if (type == VirtioNetHeader.GSO_UDP_L4 && (version == 4 || v6)) {
      tcp = false;
    } else {
      return 0;
    }
    ipLen = header.csumStart;
    if (version == 4 ? ipLen != (in[ip] & 0x0f) * 4 || ipLen < 20 : ipLen < 40) {
      return 0;
    }
    int l4Len;
    if (tcp) {
      if (header.csumOffset != VirtioNetHeader.TCP_CSUM_OFFSET || length < ipLen + 20) {
        return 0;
      }
      l4Len = ((in[ip + ipLen + 12] & 0xff) >> 4) * 4;
      if (l4Len < 20) {
        return 0;
      }
    } else {
      if (header.csumOffset != VirtioNetHeader.UDP_CSUM_OFFSET) {
        return 0;
      }
      l4Len = 8;
    }
    headersLen = ipLen + l4Len;
    gsoSize = header.gsoSize;
    if (gsoSize == 0 || length <= headersLen || length > 65535 + headersLen) {
      return 0;
    }
    int payload = length - headersLen;
    count = (payload + gsoSize - 1) / gsoSize;
    pseudoAddresses = v6 ? Checksum.add(in, ip + 8, 32, 0) : Checksum.add(in, ip + 12, 8, 0);
    pseudoAddresses += tcp ? Checksum.PROTO_TCP : Checksum.PROTO_UDP;
    return count;
  }

  /** Completes a partial checksum (GSO_NONE, NEEDS_CSUM) in place; false when out of bounds. */
  private boolean completeChecksum() {
    int start = header.csumStart;
    int at = start + header.csumOffset;
    if (at + 2 > length || start > length) {
      return false;
    }
    int c = Checksum.finish(Checksum.add(in, ip + start, length - start, 0));
    if (c == 0 && header.csumOffset == VirtioNetHeader.UDP_CSUM_OFFSET) {
      c = 0xffff; // UDP: zero means "no checksum"
    }
    Bytes.put16(in, ip + at, c);
    return true;
  }

  /** The number of packets of the current read. */
  int count() {
    return count;
  }

  /** The length of packet {@code i} of the current read. */
  int length(int i) {
    if (!gso) {
      return length;
    }
    int payload = length - headersLen;
    return headersLen + Math.min(gsoSize, payload - i * gsoSize);
  }

  /**
   * Writes packet {@code i} ({@code 0 <= i < count()}) into {@code out[off..)}, which must have
   * room for {@link #length(int) length(i)} bytes.
   *
   * @return its length
   */
  int write(int i, byte[] out, int off) {
    if (!gso) {
      System.arraycopy(in, ip, out, off, length);
      return length;
    }
    int payloadAt = i * gsoSize;
    int seg = Math.min(gsoSize, length - headersLen - payloadAt);
    int total = headersLen + seg;
    boolean last = i == count - 1;
    System.arraycopy(in, ip, out, off, headersLen);
    System.arraycopy(in, ip + headersLen + payloadAt, out, off + headersLen, seg);
    if (v6) {
      Bytes.put16(out, off + 4, total - 40);
    } else {
      Bytes.put16(out, off + 2, total);
      Bytes.put16(out, off + 4, (Bytes.u16(in, ip + 4) + i) & 0xffff);
      Checksum.putIpv4HeaderChecksum(out, off, ipLen);
    }
    int t = off + ipLen;
    int l4 = total - ipLen;
    int csumAt;
    if (tcp) {
      Bytes.put32(out, t + 4, (Bytes.u32(in, ip + ipLen + 4) + (long) payloadAt) & 0xffffffffL);
      int flags = out[t + 13] & 0xff;
      if (!last) {
        flags &= ~(TCP_FIN | TCP_PSH);
      }
      if (i != 0) {
        flags &= ~TCP_CWR;
      }
      out[t + 13] = (byte) flags;
      csumAt = t + VirtioNetHeader.TCP_CSUM_OFFSET;
    } else {
      Bytes.put16(out, t + 4, l4);
      csumAt = t + VirtioNetHeader.UDP_CSUM_OFFSET;
    }
    out[csumAt] = 0;
    out[csumAt + 1] = 0;
    int c = Checksum.finish(Checksum.add(out, t, l4, pseudoAddresses + l4));
    if (c == 0 && !tcp) {
      c = 0xffff;
    }
    Bytes.put16(out, csumAt, c);
    return total;
  }
}
