package io.wireguardjava.tun.linux;

import static io.wireguardjava.tun.linux.SegmentBuilder.ACK;
import static io.wireguardjava.tun.linux.SegmentBuilder.FIN;
import static io.wireguardjava.tun.linux.SegmentBuilder.PSH;
import static io.wireguardjava.tun.linux.SegmentBuilder.RST;
import static io.wireguardjava.tun.linux.SegmentBuilder.SYN;
import static io.wireguardjava.tun.linux.SegmentBuilder.URG;
import static org.assertj.core.api.Assertions.assertThat;

import io.wireguardjava.spi.PacketBatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link GroCoalesce} against a naive model (lists of packets and the rules restated plainly), and
 * {@link GsoSplit} as its inverse: splitting a merged write gives back the packets merged.
 */
class GroCoalesceTest {

  private static final Random RANDOM = new Random(2026);

  // ---- the naive model ----

  /** One write of the model: the packets it carries, first one's headers. */
  static final class Group {
    final List<byte[]> packets = new ArrayList<>();
    boolean candidate;
    boolean tcp;
    boolean bad; // UDP: the first packet's checksum is known bad

    byte[] first() {
      return packets.get(0);
    }

    int payload(int i) {
      return packets.get(i).length - headers(first());
    }

    int total() {
      int t = first().length;
      for (int i = 1; i < packets.size(); i++) {
        t += payload(i);
      }
      return t;
    }
  }

  static boolean v6(byte[] p) {
    return (p[0] & 0xf0) == 0x60;
  }

  static int ipLen(byte[] p) {
    return v6(p) ? 40 : 20;
  }

  static int headers(byte[] p) {
    int il = ipLen(p);
    return il + (proto(p) == 6 ? ((p[il + 12] & 0xff) >> 4) * 4 : 8);
  }

  static int proto(byte[] p) {
    return v6(p) ? p[6] & 0xff : p[9] & 0xff;
  }

  static boolean checksumsValid(byte[] p) {
    if (!v6(p) && SegmentBuilder.fold(SegmentBuilder.sum(p, 0, 20, 0)) != 0xffff) {
      return false;
    }
    if (proto(p) == 17 && SegmentBuilder.u16(p, ipLen(p) + 6) == 0) {
      return false;
    }
    return SegmentBuilder.transportValid(p);
  }

  static String flowKey(byte[] p) {
    int il = ipLen(p);
    byte[] addrs = v6(p) ? Arrays.copyOfRange(p, 8, 40) : Arrays.copyOfRange(p, 12, 20);
    String ports = Arrays.toString(Arrays.copyOfRange(p, il, il + 4));
    String ack = proto(p) == 6 ? Arrays.toString(Arrays.copyOfRange(p, il + 8, il + 12)) : "";
    return proto(p) + Arrays.toString(addrs) + ports + ack;
  }

  static boolean candidate(byte[] p, boolean udp) {
    if (p.length < 28) {
      return false;
    }
    if (v6(p)) {
      if (SegmentBuilder.u16(p, 4) != p.length - 40) {
        return false;
      }
    } else if ((p[0] & 0x0f) != 5
        || SegmentBuilder.u16(p, 2) != p.length
        || (SegmentBuilder.u16(p, 6) & 0x3fff) != 0) {
      return false;
    }
    int il = ipLen(p);
    if (proto(p) == 6) {
      int flags = p[il + 13] & 0xff;
      return p.length > headers(p) && (flags == ACK || flags == (ACK | PSH));
    }
    return proto(p) == 17 && udp && p.length > il + 8;
  }

  static boolean sameIpHeaders(byte[] a, byte[] b) {
    if (v6(a)) {
      int tcA = SegmentBuilder.u16(a, 0) >> 4 & 0xff;
      int tcB = SegmentBuilder.u16(b, 0) >> 4 & 0xff;
      return tcA == tcB && a[7] == b[7];
    }
    boolean dfA = (a[6] & 0x40) != 0;
    boolean dfB = (b[6] & 0x40) != 0;
    return a[1] == b[1] && dfA == dfB && (a[6] & 0x80) == (b[6] & 0x80) && a[8] == b[8];
  }

  static boolean fits(Group g, byte[] p) {
    byte[] f = g.first();
    int payload = p.length - headers(p);
    int last = g.payload(g.packets.size() - 1);
    int size = g.payload(0);
    boolean shortBefore = g.packets.size() > 1 && last < size;
    if (!sameIpHeaders(p, f) || shortBefore || payload > size || g.total() + payload > 65535) {
      return false;
    }
    if (!g.tcp) {
      return !g.bad;
    }
    int il = ipLen(p);
    byte[] lastPkt = g.packets.get(g.packets.size() - 1);
    long nextSeq =
        (SegmentBuilder.u32(lastPkt, il + 4) + (lastPkt.length - headers(lastPkt))) & 0xffffffffL;
    return headers(p) == headers(f)
        && Arrays.equals(p, il + 20, headers(p), f, il + 20, headers(f))
        && (lastPkt[il + 13] & PSH) == 0
        && SegmentBuilder.u32(p, il + 4) == nextSeq;
  }

  /** The model's writes: virtio header + packet, each. */
  static List<byte[]> model(List<byte[]> batch, boolean udp) {
    List<Group> groups = new ArrayList<>();
    for (byte[] p : batch) {
      Group mine = null;
      boolean pktBad = false;
      if (candidate(p, udp)) {
        boolean tcp = proto(p) == 6;
        for (int i = groups.size() - 1; i >= 0 && mine == null; i--) {
          Group g = groups.get(i);
          if (!g.candidate || g.tcp != tcp || !flowKey(g.first()).equals(flowKey(p))) {
            continue;
          }
          if (fits(g, p)) {
            if (g.packets.size() == 1 && !checksumsValid(g.first())) {
              if (tcp) {
                g.candidate = false;
                continue;
              }
              break;
            }
            if (!checksumsValid(p)) {
              pktBad = true;
              break;
            }
            mine = g;
          } else if (!tcp) {
            break;
          }
        }
        if (mine != null) {
          mine.packets.add(p);
          continue;
        }
        Group g = new Group();
        g.packets.add(p);
        g.candidate = !(tcp && pktBad);
        g.tcp = tcp;
        g.bad = pktBad;
        groups.add(g);
        continue;
      }
      Group g = new Group();
      g.packets.add(p);
      groups.add(g);
    }
    List<byte[]> out = new ArrayList<>();
    for (Group g : groups) {
      out.add(write(g));
    }
    return out;
  }

  static byte[] write(Group g) {
    byte[] f = g.first();
    byte[] w = new byte[VirtioNetHeader.LENGTH + g.total()];
    int ip = VirtioNetHeader.LENGTH;
    System.arraycopy(f, 0, w, ip, f.length);
    if (g.packets.size() == 1) {
      return w;
    }
    int at = ip + f.length;
    int hl = headers(f);
    for (int i = 1; i < g.packets.size(); i++) {
      byte[] p = g.packets.get(i);
      System.arraycopy(p, hl, w, at, p.length - hl);
      at += p.length - hl;
    }
    byte[] pkt = Arrays.copyOfRange(w, ip, w.length);
    int il = ipLen(pkt);
    boolean tcp = proto(pkt) == 6;
    if (v6(pkt)) {
      SegmentBuilder.put16(pkt, 4, pkt.length - 40);
    } else {
      SegmentBuilder.put16(pkt, 2, pkt.length);
      SegmentBuilder.put16(pkt, 10, 0);
      SegmentBuilder.put16(
          pkt, 10, ~SegmentBuilder.fold(SegmentBuilder.sum(pkt, 0, 20, 0)) & 0xffff);
    }
    byte[] last = g.packets.get(g.packets.size() - 1);
    if (tcp && (last[il + 13] & PSH) != 0) {
      pkt[il + 13] |= PSH;
    }
    if (!tcp) {
      SegmentBuilder.put16(pkt, il + 4, pkt.length - il);
    }
    long pseudo =
        (v6(pkt) ? SegmentBuilder.sum(pkt, 8, 32, 0) : SegmentBuilder.sum(pkt, 12, 8, 0))
            + proto(pkt)
            + pkt.length
            - il;
    SegmentBuilder.put16(pkt, il + (tcp ? 16 : 6), SegmentBuilder.fold(pseudo));
    System.arraycopy(pkt, 0, w, ip, pkt.length);
    VirtioNetHeader h = new VirtioNetHeader();
    h.flags = VirtioNetHeader.F_NEEDS_CSUM;
    h.gsoType =
        tcp
            ? (v6(pkt) ? VirtioNetHeader.GSO_TCPV6 : VirtioNetHeader.GSO_TCPV4)
            : VirtioNetHeader.GSO_UDP_L4;
    h.hdrLen = hl;
    h.gsoSize = g.payload(0);
    h.csumStart = il;
    h.csumOffset = tcp ? 16 : 6;
    h.write(w, 0);
    return w;
  }

  // ---- the code under test ----

  static PacketBatch batchOf(List<byte[]> packets) {
    int max = packets.stream().mapToInt(p -> p.length).max().orElse(1);
    PacketBatch b = PacketBatch.allocate(Math.max(1, packets.size()), 16, max);
    for (byte[] p : packets) {
      System.arraycopy(p, 0, b.array(b.count()), b.offset(b.count()), p.length);
      b.add(p.length);
    }
    return b;
  }

  static List<byte[]> coalesce(GroCoalesce c, List<byte[]> packets) {
    PacketBatch b = batchOf(packets);
    byte[][] before = new byte[b.count()][];
    for (int i = 0; i < b.count(); i++) {
      before[i] = b.array(i).clone();
    }
    int n = c.coalesce(b);
    List<byte[]> out = new ArrayList<>();
    byte[] buf = new byte[VirtioNetHeader.LENGTH + 65535];
    int carried = 0;
    for (int w = 0; w < n; w++) {
      int len = c.emit(w, buf, 0);
      out.add(Arrays.copyOf(buf, len));
      carried += c.packets(w);
    }
    assertThat(carried).isEqualTo(packets.size());
    for (int i = 0; i < b.count(); i++) {
      assertThat(b.array(i)).as("the batch is not changed").isEqualTo(before[i]);
    }
    return out;
  }

  // ---- random traffic ----

  /** A few flows, interleaved, with the irregularities the rules are about. */
  static List<byte[]> randomTraffic(Random r, boolean udp) {
    int flows = 1 + r.nextInt(4);
    SegmentBuilder[] fb = new SegmentBuilder[flows];
    int[] mss = new int[flows];
    for (int f = 0; f < flows; f++) {
      fb[f] = GsoSplitTest.randomFlow(r, !udp || r.nextBoolean());
      fb[f].flags = ACK;
      fb[f].srcPort = 1000 + f; // distinct flows
      mss[f] = 1 + r.nextInt(r.nextBoolean() ? 1448 : 4000);
    }
    List<byte[]> out = new ArrayList<>();
    int n = 1 + r.nextInt(64);
    for (int i = 0; i < n; i++) {
      int f = r.nextInt(flows);
      SegmentBuilder b = fb[f];
      int len = r.nextInt(10) == 0 ? r.nextInt(mss[f] + 1) : mss[f];
      int flags = ACK;
      switch (r.nextInt(25)) {
        case 0 -> flags = ACK | PSH;
        case 1 -> flags = ACK | FIN;
        case 2 -> flags = ACK | URG;
        case 3 -> flags = SYN | ACK;
        case 4 -> flags = RST;
        case 5 -> b.ack++; // a new acknowledgement: another flow key
        case 6 -> b.seq += 1000; // a gap
        case 7 -> b.ttl ^= 1;
        case 8 -> b.tos ^= 4;
        case 9 -> b.df = !b.df;
        case 10 -> b.options = SegmentBuilder.options(r, 4 * r.nextInt(3));
        default -> {}
      }
      b.flags = flags;
      byte[] p = b.build(SegmentBuilder.random(r, len));
      if (r.nextInt(30) == 0) {
        p[p.length - 1] ^= 0x40; // a bad checksum: left alone
      }
      out.add(p);
      b.seq = (b.seq + len) & 0xffffffffL;
      b.ipId = (b.ipId + 1) & 0xffff;
    }
    return out;
  }

  @Test
  void randomBatchesMatchTheModel() {
    GroCoalesce tcpOnly = new GroCoalesce(false);
    GroCoalesce withUdp = new GroCoalesce(true);
    int merged = 0;
    for (int trial = 0; trial < 2000; trial++) {
      boolean udp = trial % 2 == 0;
      List<byte[]> traffic = randomTraffic(RANDOM, udp);
      List<byte[]> got = coalesce(udp ? withUdp : tcpOnly, traffic);
      List<byte[]> want = model(traffic, udp);
      assertThat(got).as("trial %d: writes", trial).hasSameSizeAs(want);
      for (int i = 0; i < want.size(); i++) {
        assertThat(got.get(i)).as("trial %d write %d", trial, i).isEqualTo(want.get(i));
      }
      merged += traffic.size() - got.size();
    }
    assertThat(merged).as("the traffic merged at all").isGreaterThan(10_000);
  }

  @Test
  void splitUndoesCoalesceForOneCleanFlow() {
    for (int trial = 0; trial < 500; trial++) {
      boolean tcp = trial % 3 != 0;
      SegmentBuilder b = GsoSplitTest.randomFlow(RANDOM, tcp);
      b.flags = ACK;
      b.df = true;
      int mss = 1 + RANDOM.nextInt(1448);
      int room = (65535 - b.ipLen() - b.l4HeaderLen()) / mss;
      int n = 1 + RANDOM.nextInt(Math.min(64, room));
      List<byte[]> packets = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        boolean last = i == n - 1;
        int len = last ? 1 + RANDOM.nextInt(mss) : mss;
        b.flags = last && RANDOM.nextBoolean() ? ACK | PSH : ACK;
        packets.add(b.build(SegmentBuilder.random(RANDOM, len)));
        b.seq = (b.seq + len) & 0xffffffffL;
        b.ipId = (b.ipId + 1) & 0xffff;
      }
      List<byte[]> writes = coalesce(new GroCoalesce(true), packets);
      assertThat(writes).as("trial %d", trial).hasSize(1);
      List<byte[]> back = GsoSplitTest.split(writes.get(0));
      assertThat(back).as("trial %d", trial).hasSize(n);
      for (int i = 0; i < n; i++) {
        assertThat(back.get(i)).as("trial %d packet %d", trial, i).isEqualTo(packets.get(i));
      }
    }
  }

  @Test
  void pshEndsAMergeAndAShortSegmentIsLast() {
    SegmentBuilder b = SegmentBuilder.v4();
    List<byte[]> p = new ArrayList<>();
    int[] lengths = {100, 100, 50, 100, 100};
    int[] flags = {ACK, ACK, ACK, ACK | PSH, ACK};
    for (int i = 0; i < lengths.length; i++) {
      b.flags = flags[i];
      p.add(b.build(new byte[lengths[i]]));
      b.seq += lengths[i];
    }
    List<byte[]> w = coalesce(new GroCoalesce(false), p);
    // 100+100+50 | 100(PSH) | 100: nothing after a short one, nothing after PSH
    assertThat(w).hasSize(3);
    assertThat(GsoSplitTest.split(w.get(0))).hasSize(3);
    assertThat(w.get(1)).hasSize(VirtioNetHeader.LENGTH + p.get(3).length);
    assertThat(w.get(2)).hasSize(VirtioNetHeader.LENGTH + p.get(4).length);
  }

  @Test
  void badChecksumsAreLeftAloneAndUnchanged() {
    SegmentBuilder b = SegmentBuilder.v6();
    List<byte[]> p = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      p.add(b.build(new byte[200]));
      b.seq += 200;
    }
    p.get(1)[100] ^= 1;
    List<byte[]> w = coalesce(new GroCoalesce(false), p);
    assertThat(w).hasSize(3); // 0 | 1 (bad, alone) | 2+3
    assertThat(Arrays.copyOfRange(w.get(1), VirtioNetHeader.LENGTH, w.get(1).length))
        .isEqualTo(p.get(1));
    assertThat(w.get(1)[VirtioNetHeader.GSO_TYPE]).isZero();
    assertThat(GsoSplitTest.split(w.get(2))).containsExactly(p.get(2), p.get(3));
  }

  @Test
  void udpIsMergedOnlyWhenTheKernelTakesUso() {
    SegmentBuilder b = SegmentBuilder.v4();
    b.tcp = false;
    List<byte[]> p = new ArrayList<>();
    for (int len : new int[] {500, 500, 9}) {
      p.add(b.build(new byte[len]));
      b.ipId++; // as the kernel numbers the datagrams it segments
    }
    assertThat(coalesce(new GroCoalesce(false), p)).hasSize(3);
    List<byte[]> w = coalesce(new GroCoalesce(true), p);
    assertThat(w).hasSize(1);
    assertThat(w.get(0)[VirtioNetHeader.GSO_TYPE]).isEqualTo((byte) VirtioNetHeader.GSO_UDP_L4);
    assertThat(GsoSplitTest.split(w.get(0))).containsExactlyElementsOf(p);
  }
}
