package io.wireguardjava.tun.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ChecksumTest {

  @Test
  void eightByteLoadsAgreeWithTheWordByWordSum() {
    Random r = new Random(1071);
    for (int trial = 0; trial < 5000; trial++) {
      byte[] b = SegmentBuilder.random(r, 1 + r.nextInt(3000));
      int off = r.nextInt(b.length);
      int len = r.nextInt(b.length - off + 1);
      long start = r.nextInt(1 << 20);
      assertThat(Checksum.fold(Checksum.add(b, off, len, start)))
          .as("offset %d length %d", off, len)
          .isEqualTo(SegmentBuilder.fold(SegmentBuilder.sum(b, off, len, start)));
    }
  }

  @Test
  void allOnesAndTheRfc1071Example() {
    byte[] ones = new byte[65534];
    java.util.Arrays.fill(ones, (byte) 0xff);
    assertThat(Checksum.fold(Checksum.add(ones, 0, ones.length, 0))).isEqualTo(0xffff);
    // RFC 1071 section 3: 00 01 f2 03 f4 f5 f6 f7 sums to ddf2
    byte[] rfc = {
      0x00, 0x01, (byte) 0xf2, 0x03, (byte) 0xf4, (byte) 0xf5, (byte) 0xf6, (byte) 0xf7
    };
    assertThat(Checksum.fold(Checksum.add(rfc, 0, 8, 0))).isEqualTo(0xddf2);
  }
}
