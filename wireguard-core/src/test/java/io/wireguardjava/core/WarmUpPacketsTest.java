package io.wireguardjava.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class WarmUpPacketsTest {
  private static final byte[] V4_A = {(byte) 192, 0, 2, 1};
  private static final byte[] V4_B = {(byte) 192, 0, 2, 2};
  private static final byte[] V6_A = v6(1);
  private static final byte[] V6_B = v6(2);

  @Test
  void ipv4PacketsAreWellFormedAndFitTheMtu() {
    byte[] buf = new byte[1420];
    for (int seq = 0; seq < 32; seq++) {
      int len = WarmUpPackets.udp(buf, V4_A, V4_B, seq, 1420);
      assertThat(IpPackets.version(buf, 0, len)).isEqualTo(4);
      assertThat(IpPackets.declaredLength(buf, 0, 4)).isEqualTo(len);
      assertThat(len).isBetween(28, 1420);
      assertThat(buf[9]).as("UDP").isEqualTo((byte) 17);
      assertThat(onesComplementSum(buf, 20)).as("header checksum").isEqualTo(0xffff);
      assertThat(Arrays.copyOfRange(buf, 16, 20)).isEqualTo(V4_B);
    }
  }

  @Test
  void ipv6PacketsAreWellFormed() {
    byte[] buf = new byte[1420];
    for (int seq = 0; seq < 32; seq++) {
      int len = WarmUpPackets.udp(buf, V6_A, V6_B, seq, 1420);
      assertThat(IpPackets.version(buf, 0, len)).isEqualTo(6);
      assertThat(IpPackets.declaredLength(buf, 0, 6)).isEqualTo(len);
      assertThat(buf[6]).as("UDP").isEqualTo((byte) 17);
      assertThat(Arrays.copyOfRange(buf, 24, 40)).isEqualTo(V6_B);
    }
  }

  @Test
  void aSmallMtuCutsThePackets() {
    byte[] buf = new byte[1420];
    for (int seq = 0; seq < 16; seq++) {
      assertThat(WarmUpPackets.udp(buf, V4_A, V4_B, seq, 576)).isLessThanOrEqualTo(576);
    }
  }

  @Test
  void swappingTheAddressesTurnsThePacketAround() {
    for (byte[][] pair : new byte[][][] {{V4_A, V4_B}, {V6_A, V6_B}}) {
      byte[] buf = new byte[1420];
      int len = WarmUpPackets.udp(buf, pair[0], pair[1], 3, 1420);
      byte[] original = Arrays.copyOf(buf, len);
      WarmUpPackets.swapAddresses(buf);
      byte[] reply = new byte[1420];
      WarmUpPackets.udp(reply, pair[1], pair[0], 3, 1420);
      assertThat(Arrays.copyOf(buf, len)).isEqualTo(Arrays.copyOf(reply, len));
      WarmUpPackets.swapAddresses(buf);
      assertThat(Arrays.copyOf(buf, len)).isEqualTo(original);
    }
  }

  private static byte[] v6(int n) {
    byte[] a = new byte[16];
    a[0] = 0x20;
    a[1] = 0x01;
    a[2] = 0x0d;
    a[3] = (byte) 0xb8;
    a[15] = (byte) n;
    return a;
  }

  private static int onesComplementSum(byte[] buf, int n) {
    int sum = 0;
    for (int i = 0; i < n; i += 2) {
      sum += ((buf[i] & 0xff) << 8) | (buf[i + 1] & 0xff);
    }
    while ((sum >>> 16) != 0) {
      sum = (sum & 0xffff) + (sum >>> 16);
    }
    return sum;
  }
}
