package io.wireguardjava.tun.linux;

import io.wireguardjava.spi.PacketBatch;

/**
 * Merges the packets of one batch bound for an offloading TUN into fewer, larger writes: TCP
 * segments of one flow (and UDP datagrams of one flow, when the kernel takes USO) become one
 * super-packet with a {@link VirtioNetHeader} asking the kernel to segment it again (GRO in
 * userspace), so the host's stack handles one buffer instead of dozens. Sans-I/O; the batch is
 * read, never changed, and nothing is kept of it after {@link #emit}.
 *
 * <p>The rules are the kernel's GRO rules, as wireguard-go applies them:
 *
 * <ul>
 *   <li>candidates: IPv4 without options and not a fragment, or IPv6 without extension headers; the
 *       IP length fields agree with the packet; at least one byte of payload; TCP flags exactly ACK
 *       or ACK|PSH (never FIN, SYN, RST, URG, ECE or CWR);
 *   <li>one TCP flow is the addresses, ports and acknowledgement number; one UDP flow the addresses
 *       and ports;
 *   <li>a TCP segment joins a merged packet when its sequence number follows it, the TCP header
 *       length and options are equal, the IP headers agree (IPv4 TOS, DF and TTL; IPv6 traffic
 *       class and hop limit), the merged packet has no PSH yet (PSH only on the last), its payload
 *       is not larger than the first's and no shorter one came before it (only the last may be
 *       short), and the result stays within 65,535 bytes;
 *   <li>a UDP datagram joins only the newest merged packet of its flow (UDP is not reordered),
 *       under the same size rules;
 *   <li>checksums are verified before the first merge; a packet with a bad checksum is written
 *       unchanged, on its own, for the host to drop.
 * </ul>
 *
 * Packets that are not merged are written unchanged, in their order; a merged packet is written
 * where its first packet was.
 */
final class GroCoalesce {

  private static final int NONE = 0;
  private static final int TCP = 1;
  private static final int UDP = 2;
  private static final int TCP_ACK = 0x10;
  private static final int TCP_PSH = 0x08;
  private static final int MAX_IP = 65535;

  private final boolean udp;

  private PacketBatch batch = PacketBatch.allocate(1, 0, 1);

  // per packet: the next packet merged after it (-1: none)
  private int[] next = new int[0];

  // per write (item), in order
  private int items;
  private int[] kind = new int[0];
  private int[] head = new int[0];
  private int[] last = new int[0];
  private int[] merged = new int[0];
  private int[] gsoSize = new int[0];
  private int[] totalLength = new int[0];
  private int[] ipLen = new int[0];
  private int[] l4Len = new int[0];
  private int[] hash = new int[0];
  private long[] nextSeq = new long[0];
  private boolean[] v6 = new boolean[0];
  private boolean[] psh = new boolean[0];
  private boolean[] shortLast = new boolean[0];
  private boolean[] knownBad = new boolean[0];

  private final VirtioNetHeader header = new VirtioNetHeader();

  /**
   * @param udp whether UDP datagrams are merged too (the kernel took TUN_F_USO4/6)
   */
  GroCoalesce(boolean udp) {
    this.udp = udp;
  }

  /**
   * Groups the packets of {@code b}; read the result with {@link #writes()} and {@link #emit}
   * before {@code b} changes.
   *
   * @return the number of writes
   */
  int coalesce(PacketBatch b) {
    this.batch = b;
    int n = b.count();
    ensure(n);
    items = 0;
    for (int p = 0; p < n; p++) {
      next[p] = -1;
      add(p);
    }
    return items;
  }

  /** The number of writes of the last {@link #coalesce}. */
  int writes() {
    return items;
  }

  /** How many packets write {@code w} carries. */
  int packets(int w) {
    return merged[w] + 1;
  }

  /** The batch index of the {@code k}-th packet of write {@code w}. */
  int packet(int w, int k) {
    int p = head[w];
    for (int i = 0; i < k; i++) {
      p = next[p];
    }
    return p;
  }

  /**
   * Writes write {@code w}, virtio header first, into {@code out[off..)}, which must have room for
   * {@code 10 + 65535} bytes.
   *
   * @return the number of bytes written
   */
  int emit(int w, byte[] out, int off) {
    int h = head[w];
    byte[] a = batch.array(h);
    int at = batch.offset(h);
    int len = batch.length(h);
    int ip = off + VirtioNetHeader.LENGTH;
    if (merged[w] == 0) {
      VirtioNetHeader.writeNone(out, off);
      System.arraycopy(a, at, out, ip, len);
      return VirtioNetHeader.LENGTH + len;
    }
    System.arraycopy(a, at, out, ip, len);
    int hl = ipLen[w] + l4Len[w];
    int total = len;
    for (int p = next[h]; p >= 0; p = next[p]) {
      int pl = batch.length(p) - hl;
      System.arraycopy(batch.array(p), batch.offset(p) + hl, out, ip + total, pl);
      total += pl;
    }
    int il = ipLen[w];
    boolean isV6 = v6[w];
    boolean isTcp = kind[w] == TCP;
    if (isV6) {
      Bytes.put16(out, ip + 4, total - 40);
    } else {
      Bytes.put16(out, ip + 2, total);
      Checksum.putIpv4HeaderChecksum(out, ip, il);
    }
    int csumOffset;
    if (isTcp) {
      if (psh[w]) {
        out[ip + il + 13] |= (byte) TCP_PSH;
      }
      csumOffset = VirtioNetHeader.TCP_CSUM_OFFSET;
    } else {
      Bytes.put16(out, ip + il + 4, total - il);
      csumOffset = VirtioNetHeader.UDP_CSUM_OFFSET;
    }
    // the kernel completes the checksum from csum_start, starting from the pseudo-header sum
    long pseudo =
        Checksum.pseudoHeader(
            out, ip, isV6, isTcp ? Checksum.PROTO_TCP : Checksum.PROTO_UDP, total - il);
    Bytes.put16(out, ip + il + csumOffset, Checksum.fold(pseudo));
    header.flags = VirtioNetHeader.F_NEEDS_CSUM;
    header.gsoType =
        isTcp
            ? (isV6 ? VirtioNetHeader.GSO_TCPV6 : VirtioNetHeader.GSO_TCPV4)
            : VirtioNetHeader.GSO_UDP_L4;
    header.hdrLen = hl;
    header.gsoSize = gsoSize[w];
    header.csumStart = il;
    header.csumOffset = csumOffset;
    header.write(out, off);
    return VirtioNetHeader.LENGTH + total;
  }

  /** Merges packet {@code p} into an earlier write, or makes it a write of its own. */
  private void add(int p) {
    byte[] a = batch.array(p);
    int o = batch.offset(p);
    int len = batch.length(p);
    int k = classify(a, o, len);
    if (k == NONE) {
      newItem(p, NONE, 0, 0, false);
      return;
    }
    boolean isV6 = (a[o] & 0xf0) == 0x60;
    int il = isV6 ? 40 : 20;
    int ll = k == TCP ? ((a[o + il + 12] & 0xff) >> 4) * 4 : 8;
    int payload = len - il - ll;
    int h = flowHash(a, o, isV6, il, k);
    boolean pktBad = false;
    for (int w = items - 1; w >= 0; w--) {
      if (kind[w] != k || hash[w] != h || v6[w] != isV6 || !sameFlow(w, a, o, il, k)) {
        continue;
      }
      if (canAppend(w, a, o, len, il, ll, payload, k)) {
        if (merged[w] == 0 && !valid(head[w], w)) {
          if (k == TCP) {
            kind[w] = NONE; // a bad item is written alone; look further back
            continue;
          }
          break; // UDP: the newest item only, so the datagram starts a new one
        }
        if (!validPacket(a, o, len, il, isV6, k)) {
          if (k == TCP) {
            newItem(p, NONE, 0, 0, isV6); // no use keeping what cannot merge
            return;
          }
          pktBad = true;
          break;
        }
        append(w, p, a, o, payload, k);
        return;
      }
      if (k == UDP) {
        break; // only the newest item of a UDP flow
      }
    }
    newItem(p, k, il, ll, isV6);
    hash[items - 1] = h;
    knownBad[items - 1] = pktBad;
    gsoSize[items - 1] = payload;
    if (k == TCP) {
      nextSeq[items - 1] = (Bytes.u32(a, o + il + 4) + payload) & 0xffffffffL;
      psh[items - 1] = (a[o + il + 13] & TCP_PSH) != 0;
    }
  }

  /** NONE, TCP or UDP: whether and how the packet may be merged at all. */
  private int classify(byte[] a, int o, int len) {
    if (len < 28 || len > MAX_IP) {
      return NONE;
    }
    int version = (a[o] & 0xff) >> 4;
    int proto;
    int il;
    if (version == 4) {
      if ((a[o] & 0x0f) != 5 || Bytes.u16(a, o + 2) != len) {
        return NONE; // options, or lengths that disagree
      }
      if ((a[o + 6] & 0x3f) != 0 || a[o + 7] != 0) {
        return NONE; // a fragment (MF or an offset)
      }
      proto = a[o + 9] & 0xff;
      il = 20;
    } else if (version == 6) {
      if (Bytes.u16(a, o + 4) != len - 40) {
        return NONE;
      }
      proto = a[o + 6] & 0xff;
      il = 40;
    } else {
      return NONE;
    }
    if (proto == Checksum.PROTO_TCP) {
      if (len < il + 20) {
        return NONE;
      }
      int tl = ((a[o + il + 12] & 0xff) >> 4) * 4;
      int flags = a[o + il + 13] & 0xff;
      if (tl < 20 || len <= il + tl || (flags != TCP_ACK && flags != (TCP_ACK | TCP_PSH))) {
        return NONE;
      }
      return TCP;
    }
    if (proto == Checksum.PROTO_UDP
        && udp
        && len > il + 8
        && Bytes.u16(a, o + il + 4) == len - il) {
      return UDP;
    }
    return NONE;
  }

  /** A hash of the flow's key, to skip most other flows without comparing bytes. */
  private static int flowHash(byte[] a, int o, boolean isV6, int il, int k) {
    int h = 1;
    for (int i = isV6 ? o + 8 : o + 12; i < o + il; i += 4) {
      h = 31 * h + (int) Bytes.u32(a, i);
    }
    h = 31 * h + (int) Bytes.u32(a, o + il); // ports
    if (k == TCP) {
      h = 31 * h + (int) Bytes.u32(a, o + il + 8); // acknowledgement number
    }
    return h;
  }

  /** Same addresses, ports (and TCP acknowledgement number) as write {@code w}'s first packet. */
  private boolean sameFlow(int w, byte[] a, int o, int il, int k) {
    int h = head[w];
    byte[] b = batch.array(h);
    int bo = batch.offset(h);
    int addr = il == 40 ? 8 : 12;
    return Bytes.equal(a, o + addr, b, bo + addr, il - addr)
        && Bytes.equal(a, o + il, b, bo + il, 4)
        && (k != TCP || Bytes.equal(a, o + il + 8, b, bo + il + 8, 4));
  }

  private boolean canAppend(int w, byte[] a, int o, int len, int il, int ll, int payload, int k) {
    int h = head[w];
    byte[] b = batch.array(h);
    int bo = batch.offset(h);
    if (!ipHeadersAgree(a, o, b, bo, il == 40)) {
      return false;
    }
    if (shortLast[w] || payload > gsoSize[w] || totalLength[w] + payload > MAX_IP) {
      return false;
    }
    if (k == UDP) {
      return !knownBad[w];
    }
    return ll == l4Len[w]
        && Bytes.equal(a, o + il + 20, b, bo + il + 20, ll - 20)
        && !psh[w]
        && Bytes.u32(a, o + il + 4) == nextSeq[w];
  }

  private static boolean ipHeadersAgree(byte[] a, int o, byte[] b, int bo, boolean isV6) {
    if (isV6) {
      return a[o] == b[bo] // version and the top of the traffic class
          && (a[o + 1] & 0xf0) == (b[bo + 1] & 0xf0) // the rest of it
          && a[o + 7] == b[bo + 7]; // hop limit
    }
    return a[o + 1] == b[bo + 1] // TOS
        && (a[o + 6] & 0xe0) == (b[bo + 6] & 0xe0) // reserved bit and DF
        && a[o + 8] == b[bo + 8]; // TTL
  }

  private boolean valid(int p, int w) {
    return validPacket(batch.array(p), batch.offset(p), batch.length(p), ipLen[w], v6[w], kind[w]);
  }

  private static boolean validPacket(byte[] a, int o, int len, int il, boolean isV6, int k) {
    if (!isV6 && Checksum.fold(Checksum.add(a, o, il, 0)) != 0xffff) {
      return false;
    }
    if (k == UDP && Bytes.u16(a, o + il + 6) == 0) {
      return false; // IPv4 without a UDP checksum: nothing to verify, so do not vouch for it
    }
    return Checksum.transportValid(
        a, o, len, il, isV6, k == TCP ? Checksum.PROTO_TCP : Checksum.PROTO_UDP);
  }

  private void append(int w, int p, byte[] a, int o, int payload, int k) {
    next[last[w]] = p;
    last[w] = p;
    merged[w]++;
    totalLength[w] += payload;
    if (payload < gsoSize[w]) {
      shortLast[w] = true;
    }
    if (k == TCP) {
      nextSeq[w] = (nextSeq[w] + payload) & 0xffffffffL;
      if ((a[o + ipLen[w] + 13] & TCP_PSH) != 0) {
        psh[w] = true;
      }
    }
  }

  private void newItem(int p, int k, int il, int ll, boolean isV6) {
    int w = items++;
    kind[w] = k;
    head[w] = p;
    last[w] = p;
    merged[w] = 0;
    totalLength[w] = batch.length(p);
    ipLen[w] = il;
    l4Len[w] = ll;
    v6[w] = isV6;
    hash[w] = 0;
    psh[w] = false;
    shortLast[w] = false;
    knownBad[w] = false;
    gsoSize[w] = 0;
    nextSeq[w] = 0;
  }

  /** Grows the tables to {@code n} packets (once per larger batch, not per call). */
  private void ensure(int n) {
    if (next.length >= n) {
      return;
    }
    next = new int[n];
    kind = new int[n];
    head = new int[n];
    last = new int[n];
    merged = new int[n];
    gsoSize = new int[n];
    totalLength = new int[n];
    ipLen = new int[n];
    l4Len = new int[n];
    hash = new int[n];
    nextSeq = new long[n];
    v6 = new boolean[n];
    psh = new boolean[n];
    shortLast = new boolean[n];
    knownBad = new boolean[n];
  }
}
