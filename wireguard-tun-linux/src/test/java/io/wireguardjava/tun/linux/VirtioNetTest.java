package io.wireguardjava.tun.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class VirtioNetTest {

  private static final Random RANDOM = new Random(7);

  /** A TSO read: virtio header + one IPv4 or IPv6 TCP packet with {@code payload} bytes. */
  private static byte[] superPacket(boolean v4, int payload, int gsoSize, int tcpFlags) {
    int ipLen = v4 ? 20 : 40;
    int tcpLen = 32; // with options
    byte[] b = new byte[VirtioNet.HEADER_LEN + ipLen + tcpLen + payload];
    int p = VirtioNet.HEADER_LEN;
    b[0] = VirtioNet.F_NEEDS_CSUM;
    b[1] = (byte) (v4 ? VirtioNet.GSO_TCPV4 : VirtioNet.GSO_TCPV6);
    b[2] = (byte) (ipLen + tcpLen);
    b[4] = (byte) gsoSize;
    b[5] = (byte) (gsoSize >> 8);
    b[6] = (byte) ipLen; // csum_start
    b[8] = 16; // csum_offset
    if (v4) {
      b[p] = 0x45;
      b[p + 4] = 0x12;
      b[p + 5] = 0x34; // id
      b[p + 8] = 64;
      b[p + 9] = 6;
      System.arraycopy(new byte[] {10, 0, 0, 1, 10, 0, 0, 2}, 0, b, p + 12, 8);
    } else {
      b[p] = 0x60;
      b[p + 6] = 6;
      b[p + 7] = 64;
      b[p + 8] = (byte) 0xfd;
      b[p + 23] = 1;
      b[p + 24] = (byte) 0xfd;
      b[p + 39] = 2;
    }
    int t = p + ipLen;
    b[t] = 0x30;
    b[t + 1] = 0x39; // sport
    b[t + 2] = 0x14;
    b[t + 3] = (byte) 0x51; // dport
    b[t + 4] = (byte) 0xff;
    b[t + 5] = (byte) 0xff;
    b[t + 6] = (byte) 0xf0;
    b[t + 7] = 0; // seq near wrap-around
    b[t + 12] = (byte) ((tcpLen / 4) << 4);
    b[t + 13] = (byte) tcpFlags;
    for (int i = t + 20; i < t + tcpLen; i++) {
      b[i] = 1; // NOP options
    }
    for (int i = t + tcpLen; i < b.length; i++) {
      b[i] = (byte) RANDOM.nextInt();
    }
    return b;
  }

  private static List<byte[]> unpack(byte[] raw) {
    List<byte[]> out = new ArrayList<>();
    VirtioNet.unpack(
        raw,
        raw.length,
        new byte[65535],
        (buf, off, len) -> out.add(Arrays.copyOfRange(buf, off, off + len)));
    return out;
  }

  private static boolean tcpChecksumOk(byte[] p, boolean v4) {
    int ipLen = v4 ? 20 : 40;
    long s = v4 ? VirtioNet.sum(p, 12, 8, 0) : VirtioNet.sum(p, 8, 32, 0);
    s += 6 + p.length - ipLen;
    s = VirtioNet.sum(p, ipLen, p.length - ipLen, s);
    return VirtioNet.fold(s) == 0xffff;
  }

  @Test
  void splitsAnIpv4TsoPacketIntoValidSegments() {
    byte[] raw = superPacket(true, 3000, 1400, 0x18 | 0x01 | 0x80); // PSH ACK FIN CWR
    List<byte[]> segs = unpack(raw);
    assertThat(segs).hasSize(3);
    byte[] payload = Arrays.copyOfRange(raw, VirtioNet.HEADER_LEN + 52, raw.length);
    byte[] joined = new byte[0];
    for (int i = 0; i < 3; i++) {
      byte[] s = segs.get(i);
      assertThat(s.length).isEqualTo(52 + (i < 2 ? 1400 : 200));
      assertThat(((s[2] & 0xff) << 8) | (s[3] & 0xff)).isEqualTo(s.length);
      assertThat(((s[4] & 0xff) << 8) | (s[5] & 0xff)).isEqualTo(0x1234 + i);
      assertThat(VirtioNet.fold(VirtioNet.sum(s, 0, 20, 0))).as("IP checksum").isEqualTo(0xffff);
      assertThat(tcpChecksumOk(s, true)).as("TCP checksum of segment " + i).isTrue();
      long seq =
          ((long) (s[24] & 0xff) << 24
              | (s[25] & 0xff) << 16
              | (s[26] & 0xff) << 8
              | (s[27] & 0xff));
      assertThat(seq).isEqualTo((0xfffff000L + 1400L * i) & 0xffffffffL);
      int flags = s[33] & 0xff;
      assertThat(flags & 0x09).isEqualTo(i == 2 ? 0x09 : 0);
      assertThat(flags & 0x80).isEqualTo(i == 0 ? 0x80 : 0);
      assertThat(flags & 0x10).isEqualTo(0x10);
      byte[] j = Arrays.copyOf(joined, joined.length + s.length - 52);
      System.arraycopy(s, 52, j, joined.length, s.length - 52);
      joined = j;
    }
    assertThat(joined).isEqualTo(payload);
  }

  @Test
  void splitsAnIpv6TsoPacketIntoValidSegments() {
    byte[] raw = superPacket(false, 5000, 1388, 0x10);
    List<byte[]> segs = unpack(raw);
    assertThat(segs).hasSize(4);
    for (byte[] s : segs) {
      assertThat(((s[4] & 0xff) << 8) | (s[5] & 0xff)).isEqualTo(s.length - 40);
      assertThat(tcpChecksumOk(s, false)).isTrue();
    }
  }

  @Test
  void completesAPartialChecksum() {
    // one plain IPv4 TCP packet whose checksum field holds the pseudo-header sum, as the kernel
    // leaves it with NEEDS_CSUM
    byte[] raw = superPacket(true, 500, 0, 0x18);
    raw[1] = VirtioNet.GSO_NONE;
    int p = VirtioNet.HEADER_LEN;
    int l4 = raw.length - p - 20;
    raw[p + 2] = (byte) ((raw.length - p) >> 8);
    raw[p + 3] = (byte) (raw.length - p);
    int pseudo = VirtioNet.fold(VirtioNet.sum(raw, p + 12, 8, 0) + 6 + l4);
    raw[p + 36] = (byte) (pseudo >> 8);
    raw[p + 37] = (byte) pseudo;
    List<byte[]> out = unpack(raw);
    assertThat(out).hasSize(1);
    assertThat(tcpChecksumOk(out.get(0), true)).isTrue();
  }

  @Test
  void passesAPacketWithoutOffloadThrough() {
    byte[] raw = new byte[VirtioNet.HEADER_LEN + 28];
    raw[VirtioNet.HEADER_LEN] = 0x45;
    assertThat(unpack(raw))
        .singleElement()
        .satisfies(p -> assertThat(p).hasSize(28).startsWith((byte) 0x45));
    assertThat(unpack(new byte[5])).isEmpty();
  }
}
