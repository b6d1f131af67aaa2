package io.wireguardjava.tun.mac;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class UtunFramingTest {

  /** A minimal IPv4 header's first bytes (version 4, IHL 5) and some payload. */
  private static final byte[] V4 = {0x45, 0x00, 0x00, 0x1c, 1, 2, 3, 4};

  /** An IPv6 header's first bytes (version 6). */
  private static final byte[] V6 = {0x60, 0x00, 0x00, 0x00, 9, 8, 7};

  @Test
  void framesIpv4BehindBigEndianAfInet() {
    byte[] frame = new byte[64];
    int n = UtunFraming.frame(V4, 0, V4.length, frame);
    assertThat(n).isEqualTo(V4.length + 4);
    assertThat(Arrays.copyOf(frame, 4)).containsExactly(0, 0, 0, 2);
    assertThat(Arrays.copyOfRange(frame, 4, n)).containsExactly(V4);
  }

  @Test
  void framesIpv6BehindBigEndianAfInet6Of30() {
    byte[] frame = new byte[64];
    int n = UtunFraming.frame(V6, 0, V6.length, frame);
    assertThat(Arrays.copyOf(frame, 4)).containsExactly(0, 0, 0, 30);
    assertThat(Arrays.copyOfRange(frame, 4, n)).containsExactly(V6);
  }

  @Test
  void framesFromAnOffset() {
    byte[] buf = new byte[20];
    System.arraycopy(V6, 0, buf, 7, V6.length);
    byte[] frame = new byte[64];
    int n = UtunFraming.frame(buf, 7, V6.length, frame);
    assertThat(UtunFraming.family(frame)).isEqualTo(Darwin.AF_INET6);
    assertThat(Arrays.copyOfRange(frame, 4, n)).containsExactly(V6);
  }

  @Test
  void rejectsNonIpEmptyAndOversizedPackets() {
    byte[] frame = new byte[64];
    assertThatThrownBy(() -> UtunFraming.frame(new byte[] {0x50, 0}, 0, 2, frame))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("version 5");
    assertThatThrownBy(() -> UtunFraming.frame(V4, 0, 0, frame))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> UtunFraming.frame(V4, 0, V4.length, new byte[V4.length + 3]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void stripsTheHeaderOfIpv4AndIpv6Frames() {
    for (byte[] packet : new byte[][] {V4, V6}) {
      byte[] frame = new byte[64];
      int n = UtunFraming.frame(packet, 0, packet.length, frame);
      byte[] dst = new byte[32];
      int len = UtunFraming.unframe(frame, n, dst, 5, 27);
      assertThat(len).isEqualTo(packet.length);
      assertThat(Arrays.copyOfRange(dst, 5, 5 + len)).containsExactly(packet);
      assertThat(dst[4]).isZero();
    }
  }

  @Test
  void dropsFramesWhoseHeaderDisagreesWithThePacket() {
    byte[] frame = {0, 0, 0, 2, 0x60, 0, 0, 0};
    assertThat(UtunFraming.unframe(frame, frame.length, new byte[16], 0, 16)).isEqualTo(-1);
    byte[] unknown = {0, 0, 0, 7, 0x45, 0, 0, 0};
    assertThat(UtunFraming.unframe(unknown, unknown.length, new byte[16], 0, 16)).isEqualTo(-1);
  }

  @Test
  void dropsEmptyAndTooLargeFrames() {
    byte[] frame = new byte[64];
    int n = UtunFraming.frame(V4, 0, V4.length, frame);
    assertThat(UtunFraming.unframe(frame, 4, new byte[16], 0, 16)).isEqualTo(-1);
    assertThat(UtunFraming.unframe(frame, 3, new byte[16], 0, 16)).isEqualTo(-1);
    assertThat(UtunFraming.unframe(frame, n, new byte[16], 0, V4.length - 1)).isEqualTo(-1);
  }

  @Test
  void roundTripsEveryLength() {
    byte[] frame = new byte[UtunDevice.MAX_FRAME];
    byte[] dst = new byte[2000];
    for (int length = 1; length <= 1500; length += 37) {
      byte[] packet = new byte[length];
      Arrays.fill(packet, (byte) length);
      packet[0] = (byte) (length % 2 == 0 ? 0x45 : 0x60);
      int n = UtunFraming.frame(packet, 0, length, frame);
      assertThat(UtunFraming.unframe(frame, n, dst, 0, dst.length)).isEqualTo(length);
      assertThat(Arrays.copyOf(dst, length)).containsExactly(packet);
    }
  }
}
