package io.wireguardjava.netstack.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class HeadersTest {
  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replace(" ", ""));
  }

  // A UDP datagram 10.0.0.1:54321 -> 10.0.0.2:53 carrying "abc"; its checksum fields are
  // recomputed by the independent word-by-word reference below.
  private static final String UDP_V4 =
      "4500 001f 1234 4000 4011 1486 0a00 0001 0a00 0002" + " d431 0035 000b 7c5f 61 62 63";

  @Test
  void parsesAndVerifiesAKnownIpv4UdpPacket() {
    byte[] p = hex(UDP_V4);
    fixChecksumsLikeTheKernel(p);
    assertThat(Ipv4.check(p, 0, p.length)).isEqualTo(PacketCheck.OK);
    assertThat(Ipv4.protocol(p, 0)).isEqualTo(Udp.PROTOCOL);
    assertThat(Ipv4.headerLength(p, 0)).isEqualTo(20);
    assertThat(Ipv4.isFragment(p, 0)).isFalse();
    assertThat(Udp.check(p, 0, 4, 20, 11)).isEqualTo(PacketCheck.OK);
    assertThat(Udp.srcPort(p, 20)).isEqualTo(54321);
    assertThat(Udp.dstPort(p, 20)).isEqualTo(53);
    p[27] ^= 1;
    assertThat(Udp.check(p, 0, 4, 20, 11)).isEqualTo(PacketCheck.BAD_CHECKSUM);
    p[11] ^= 1;
    assertThat(Ipv4.check(p, 0, p.length)).isEqualTo(PacketCheck.BAD_CHECKSUM);
  }

  /** Independent reference: the ones-complement sum computed word by word here. */
  private static void fixChecksumsLikeTheKernel(byte[] p) {
    p[10] = 0;
    p[11] = 0;
    int h = 0;
    for (int i = 0; i < 20; i += 2) {
      h += (p[i] & 0xff) << 8 | (p[i + 1] & 0xff);
    }
    h = (h & 0xffff) + (h >>> 16);
    h = (h & 0xffff) + (h >>> 16);
    Bytes.put16(p, 10, ~h);
    p[26] = 0;
    p[27] = 0;
    int s = 0;
    for (int i = 12; i < 20; i += 2) {
      s += (p[i] & 0xff) << 8 | (p[i + 1] & 0xff);
    }
    s += 17 + 11;
    for (int i = 20; i < 31; i += 2) {
      s += (p[i] & 0xff) << 8 | (i + 1 < 31 ? p[i + 1] & 0xff : 0);
    }
    s = (s & 0xffff) + (s >>> 16);
    s = (s & 0xffff) + (s >>> 16);
    Bytes.put16(p, 26, ~s);
  }

  @Test
  void writtenUdpPacketsMatchTheIndependentReference() {
    byte[] expected = hex(UDP_V4);
    fixChecksumsLikeTheKernel(expected);
    byte[] p = new byte[31];
    System.arraycopy(expected, 28, p, 28, 3);
    Ipv4.write(p, 0, 31, 0x1234, Udp.PROTOCOL, new byte[] {10, 0, 0, 1}, new byte[] {10, 0, 0, 2});
    Udp.write(p, 0, false, 20, 54321, 53, 3);
    assertThat(p).isEqualTo(expected);
  }

  @Test
  void rejectsBadIpv4Headers() {
    byte[] p = hex(UDP_V4);
    fixChecksumsLikeTheKernel(p);
    assertThat(Ipv4.check(p, 0, 19)).isEqualTo(PacketCheck.TRUNCATED);
    assertThat(Ipv4.check(p, 0, 30)).isEqualTo(PacketCheck.TRUNCATED); // total length 31
    byte[] v = p.clone();
    v[0] = 0x55;
    assertThat(Ipv4.check(v, 0, v.length)).isEqualTo(PacketCheck.BAD_VERSION);
    byte[] ihl = p.clone();
    ihl[0] = 0x44;
    assertThat(Ipv4.check(ihl, 0, ihl.length)).isEqualTo(PacketCheck.BAD_HEADER_LENGTH);
    byte[] total = p.clone();
    Bytes.put16(total, 2, 12);
    assertThat(Ipv4.check(total, 0, total.length)).isEqualTo(PacketCheck.BAD_LENGTH);
  }

  @Test
  void ipv6UdpRoundTripAndZeroChecksumRefused() {
    byte[] src = hex("fd000000000000000000000000000001");
    byte[] dst = hex("fd000000000000000000000000000002");
    byte[] p = new byte[40 + 8 + 5];
    System.arraycopy("hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, p, 48, 5);
    Ipv6.write(p, 0, 13, Udp.PROTOCOL, src, dst);
    Udp.write(p, 0, true, 40, 1000, 2000, 5);
    assertThat(Ipv6.check(p, 0, p.length)).isEqualTo(PacketCheck.OK);
    assertThat(Ipv6.upperLayer(p, 0)).isEqualTo(40 << 8 | Udp.PROTOCOL);
    assertThat(Udp.check(p, 0, 16, 40, 13)).isEqualTo(PacketCheck.OK);
    p[46] = 0;
    p[47] = 0;
    assertThat(Udp.check(p, 0, 16, 40, 13)).isEqualTo(PacketCheck.BAD_CHECKSUM);
    assertThat(Ipv6.check(p, 0, 47)).isEqualTo(PacketCheck.TRUNCATED);
  }

  @Test
  void ipv6SkipsHopByHopAndRefusesFragments() {
    byte[] p = new byte[40 + 8 + 8];
    Ipv6.write(p, 0, 16, 0, new byte[16], new byte[16]); // next header: hop-by-hop
    p[40] = (byte) Udp.PROTOCOL; // hop-by-hop's next header
    p[41] = 0; // 8 bytes long
    assertThat(Ipv6.upperLayer(p, 0)).isEqualTo(48 << 8 | Udp.PROTOCOL);
    p[6] = 44; // fragment header
    assertThat(Ipv6.upperLayer(p, 0)).isEqualTo(-1);
  }

  @Test
  void icmpv6ChecksumCoversThePseudoHeader() {
    byte[] p = new byte[40 + 8];
    byte[] src = hex("fd000000000000000000000000000001");
    byte[] dst = hex("fd000000000000000000000000000002");
    Ipv6.write(p, 0, 8, Icmp.PROTOCOL_V6, src, dst);
    p[40] = (byte) Icmp.V6_ECHO_REQUEST;
    Icmp.fillChecksum(p, 0, true, 40, 8);
    assertThat(Icmp.check(p, 0, true, 40, 8)).isEqualTo(PacketCheck.OK);
    p[23] ^= 1; // source address changed: the pseudo-header sum no longer matches
    assertThat(Icmp.check(p, 0, true, 40, 8)).isEqualTo(PacketCheck.BAD_CHECKSUM);
  }
}
