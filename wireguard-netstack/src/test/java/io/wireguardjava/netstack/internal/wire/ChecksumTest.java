package io.wireguardjava.netstack.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChecksumTest {
  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replace(" ", ""));
  }

  /** The naive model: 16-bit words, end-around carry after each addition. */
  private static int naive(byte[] b, int off, int len) {
    int sum = 0;
    for (int i = 0; i < len; i += 2) {
      int word = (b[off + i] & 0xff) << 8 | (i + 1 < len ? b[off + i + 1] & 0xff : 0);
      sum += word;
      sum = (sum & 0xffff) + (sum >>> 16);
    }
    return ~sum & 0xffff;
  }

  @Test
  void rfc1071Example() {
    // RFC 1071 section 3: the words 0001 f203 f4f5 f6f7 sum to ddf2; the checksum is its
    // complement.
    assertThat(Checksum.of(hex("0001f203f4f5f6f7"), 0, 8)).isEqualTo(~0xddf2 & 0xffff);
  }

  @Test
  void knownIpv4Header() {
    // A captured header (192.168.0.1 -> 192.168.0.199, UDP) whose checksum field is b861.
    byte[] h = hex("4500 0073 0000 4000 4011 b861 c0a8 0001 c0a8 00c7");
    assertThat(Checksum.of(h, 0, 20)).isZero();
    h[10] = 0;
    h[11] = 0;
    assertThat(Checksum.of(h, 0, 20)).isEqualTo(0xb861);
  }

  @Test
  void knownIcmpEchoFromLinuxPing() {
    // An echo request, identifier 1, sequence 0, no data: its checksum is 0xf7fe.
    byte[] icmp = hex("0800 f7fe 0001 0000");
    assertThat(Checksum.of(icmp, 0, icmp.length)).isZero();
  }

  @Test
  void matchesTheNaiveModelOnRandomDataAtEveryOffsetAndLength() {
    Random r = new Random(7);
    byte[] b = new byte[1600];
    for (int round = 0; round < 2000; round++) {
      r.nextBytes(b);
      int off = r.nextInt(64);
      int len = r.nextInt(b.length - off);
      assertThat(Checksum.of(b, off, len))
          .as("off %d len %d", off, len)
          .isEqualTo(naive(b, off, len));
    }
  }

  @Test
  void runningSumsComposeOverEvenSplits() {
    Random r = new Random(11);
    byte[] b = new byte[999];
    r.nextBytes(b);
    for (int split = 0; split < b.length; split += 2) {
      long sum = Checksum.add(Checksum.add(0, b, 0, split), b, split, b.length - split);
      assertThat(Checksum.finish(sum)).isEqualTo(naive(b, 0, b.length));
    }
  }
}
