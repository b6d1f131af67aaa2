package io.wireguardjava.tun.linux;

import static io.wireguardjava.tun.linux.SegmentBuilder.ACK;
import static io.wireguardjava.tun.linux.SegmentBuilder.CWR;
import static io.wireguardjava.tun.linux.SegmentBuilder.FIN;
import static io.wireguardjava.tun.linux.SegmentBuilder.PSH;
import static io.wireguardjava.tun.linux.SegmentBuilder.URG;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link GsoSplit} against a naive model: each segment built from scratch by the builder. */
class GsoSplitTest {

  private static final int[] FLAGS = {
    ACK, ACK | PSH, ACK | FIN, ACK | PSH | FIN, ACK | CWR, ACK | CWR | PSH, ACK | URG | PSH
  };

  /** A read as the kernel hands it over: header, then the super-packet with a partial checksum. */
  static byte[] superRead(SegmentBuilder b, byte[] payload, int gsoSize, int hdrLenField) {
    byte[] p = b.build(payload);
    int il = b.ipLen();
    int at = il + (b.tcp ? 16 : 6);
    SegmentBuilder.put16(p, at, SegmentBuilder.fold(b.pseudo(p))); // pseudo-header only
    byte[] raw = new byte[VirtioNetHeader.LENGTH + p.length];
    VirtioNetHeader h = new VirtioNetHeader();
    h.flags = VirtioNetHeader.F_NEEDS_CSUM;
    h.gsoType =
        b.tcp
            ? (b.v6 ? VirtioNetHeader.GSO_TCPV6 : VirtioNetHeader.GSO_TCPV4)
            : VirtioNetHeader.GSO_UDP_L4;
    h.hdrLen = hdrLenField;
    h.gsoSize = gsoSize;
    h.csumStart = il;
    h.csumOffset = b.tcp ? 16 : 6;
    h.write(raw, 0);
    System.arraycopy(p, 0, raw, VirtioNetHeader.LENGTH, p.length);
    return raw;
  }

  /** The packets the split should give: the builder's, one per gso_size of payload. */
  static List<byte[]> model(SegmentBuilder b, byte[] payload, int gsoSize) {
    List<byte[]> out = new ArrayList<>();
    long seq0 = b.seq;
    int id0 = b.ipId;
    int flags0 = b.flags;
    int n = (payload.length + gsoSize - 1) / gsoSize;
    for (int i = 0; i < n; i++) {
      b.seq = (seq0 + (long) i * gsoSize) & 0xffffffffL;
      b.ipId = (id0 + i) & 0xffff;
      int f = flags0;
      if (i != n - 1) {
        f &= ~(FIN | PSH);
      }
      if (i != 0) {
        f &= ~CWR;
      }
      b.flags = f;
      out.add(
          b.build(
              Arrays.copyOfRange(
                  payload, i * gsoSize, Math.min(payload.length, (i + 1) * gsoSize))));
    }
    b.seq = seq0;
    b.ipId = id0;
    b.flags = flags0;
    return out;
  }

  static List<byte[]> split(byte[] raw) {
    GsoSplit s = new GsoSplit();
    int n = s.begin(raw, 0, raw.length);
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] b = new byte[s.length(i)];
      assertThat(s.write(i, b, 0)).isEqualTo(b.length);
      out.add(b);
    }
    return out;
  }

  static SegmentBuilder randomFlow(Random r, boolean tcp) {
    SegmentBuilder b = r.nextBoolean() ? SegmentBuilder.v4() : SegmentBuilder.v6();
    b.tcp = tcp;
    b.seq = r.nextInt(4) == 0 ? 0xffffffffL - r.nextInt(20000) : r.nextInt() & 0xffffffffL;
    b.ack = r.nextInt() & 0xffffffffL;
    b.ipId = r.nextInt(4) == 0 ? 0xffff - r.nextInt(10) : r.nextInt(0x10000);
    b.ttl = 1 + r.nextInt(255);
    b.tos = r.nextInt(256);
    b.flags = FLAGS[r.nextInt(FLAGS.length)];
    b.options = SegmentBuilder.options(r, 4 * r.nextInt(11));
    b.srcPort = r.nextInt(0x10000);
    b.dstPort = r.nextInt(0x10000);
    return b;
  }

  @Test
  void tsoAndUsoSplitsMatchTheModel() {
    Random r = new Random(15);
    for (int trial = 0; trial < 600; trial++) {
      boolean tcp = trial % 3 != 0;
      SegmentBuilder b = randomFlow(r, tcp);
      int gso = 1 + r.nextInt(r.nextBoolean() ? 1500 : 9000);
      int max = 65535 - b.ipLen() - b.l4HeaderLen();
      int payloadLen = 1 + r.nextInt(Math.min(max, gso * (1 + r.nextInt(60))));
      byte[] payload = SegmentBuilder.random(r, payloadLen);
      // hdr_len as the kernel may give it: right, or the whole first packet (forwarding path)
      int hdrLen = r.nextBoolean() ? b.ipLen() + b.l4HeaderLen() : 1500;
      List<byte[]> got = split(superRead(b, payload, gso, hdrLen));
      List<byte[]> want = model(b, payload, gso);
      assertThat(got).as("trial %d", trial).hasSameSizeAs(want);
      for (int i = 0; i < want.size(); i++) {
        assertThat(got.get(i)).as("trial %d segment %d", trial, i).isEqualTo(want.get(i));
        assertThat(SegmentBuilder.transportValid(got.get(i))).isTrue();
      }
    }
  }

  @Test
  void finAndPshOnlyOnTheLastCwrOnlyOnTheFirst() {
    SegmentBuilder b = SegmentBuilder.v4();
    b.flags = ACK | PSH | FIN | CWR;
    List<byte[]> got = split(superRead(b, new byte[3000], 1000, 0));
    assertThat(got).hasSize(3);
    assertThat(got.get(0)[33]).isEqualTo((byte) (ACK | CWR));
    assertThat(got.get(1)[33]).isEqualTo((byte) ACK);
    assertThat(got.get(2)[33]).isEqualTo((byte) (ACK | PSH | FIN));
  }

  @Test
  void aPlainPacketFlaggedNeedsCsumGetsItsChecksumCompleted() {
    Random r = new Random(3);
    for (int trial = 0; trial < 200; trial++) {
      SegmentBuilder b = randomFlow(r, r.nextBoolean());
      byte[] want = b.build(SegmentBuilder.random(r, r.nextInt(1400)));
      byte[] raw =
          superRead(b, Arrays.copyOfRange(want, b.ipLen() + b.l4HeaderLen(), want.length), 1, 0);
      raw[1] = VirtioNetHeader.GSO_NONE;
      assertThat(split(raw)).singleElement().isEqualTo(want);
    }
  }

  @Test
  void aPlainPacketWithoutFlagsPassesUnchanged() {
    byte[] p = SegmentBuilder.v6().build(new byte[100]);
    p[50] ^= 1; // even a bad checksum: not ours to judge
    byte[] raw = new byte[VirtioNetHeader.LENGTH + p.length];
    System.arraycopy(p, 0, raw, VirtioNetHeader.LENGTH, p.length);
    assertThat(split(raw)).singleElement().isEqualTo(p);
  }

  @Test
  void malformedReadsAreRefused() {
    byte[] good = superRead(SegmentBuilder.v4(), new byte[3000], 1000, 0);
    assertThat(split(good)).hasSize(3);
    assertThat(new GsoSplit().begin(good, 0, VirtioNetHeader.LENGTH)).isZero(); // header only
    byte[] zeroGso = good.clone();
    zeroGso[VirtioNetHeader.GSO_SIZE] = 0;
    zeroGso[VirtioNetHeader.GSO_SIZE + 1] = 0;
    assertThat(split(zeroGso)).isEmpty();
    byte[] wrongOffset = good.clone();
    wrongOffset[VirtioNetHeader.CSUM_OFFSET] = 6; // TCP's field is at 16
    assertThat(split(wrongOffset)).isEmpty();
    byte[] wrongStart = good.clone();
    wrongStart[VirtioNetHeader.CSUM_START] = 24; // the IPv4 header has no options
    assertThat(split(wrongStart)).isEmpty();
    byte[] v6asV4 = good.clone();
    v6asV4[VirtioNetHeader.GSO_TYPE] = VirtioNetHeader.GSO_TCPV6;
    assertThat(split(v6asV4)).isEmpty();
    byte[] unknownType = good.clone();
    unknownType[VirtioNetHeader.GSO_TYPE] = 3; // UFO
    assertThat(split(unknownType)).isEmpty();
    byte[] csumOutside = superRead(SegmentBuilder.v4(), new byte[10], 1000, 0);
    csumOutside[VirtioNetHeader.GSO_TYPE] = 0;
    csumOutside[VirtioNetHeader.CSUM_OFFSET] = (byte) 200;
    assertThat(split(csumOutside)).isEmpty();
  }
}
