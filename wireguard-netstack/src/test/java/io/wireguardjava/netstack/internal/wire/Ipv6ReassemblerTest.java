package io.wireguardjava.netstack.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** IPv6 fragment reassembly (RFC 8200 §4.5, RFC 5722 overlaps, RFC 6946 atomic fragments). */
class Ipv6ReassemblerTest {
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
  private static final byte[] SRC = addr(2);
  private static final byte[] DST = addr(1);
  private static final int UDP = 17;

  private static byte[] addr(int last) {
    byte[] a = new byte[16];
    a[0] = (byte) 0xfd;
    a[15] = (byte) last;
    return a;
  }

  private static byte[] data(int length, int seed) {
    byte[] b = new byte[length];
    new Random(seed).nextBytes(b);
    return b;
  }

  /**
   * A fragment of {@code data}, bytes [start, stop), M unless it is the end; with {@code hopByHop}
   * an 8-byte Hop-by-Hop options header comes before the Fragment header.
   */
  private static byte[] fragment(byte[] data, int id, int start, int stop, boolean hopByHop) {
    int ext = hopByHop ? 8 : 0;
    byte[] p = new byte[40 + ext + 8 + stop - start];
    Ipv6.write(p, 0, p.length - 40, hopByHop ? 0 : 44, SRC, DST);
    if (hopByHop) {
      p[40] = 44; // next: Fragment; length 0 (8 bytes); options: PadN
      p[42] = 1;
      p[43] = 4;
    }
    int f = 40 + ext;
    p[f] = UDP;
    Bytes.put16(p, f + 2, start | (stop < data.length ? 1 : 0));
    Bytes.put32(p, f + 4, id);
    System.arraycopy(data, start, p, f + 8, stop - start);
    assertThat(Ipv6.check(p, 0, p.length)).isEqualTo(PacketCheck.OK);
    assertThat(Ipv6.fragmentHeader(p, 0)).isEqualTo(f);
    return p;
  }

  private static List<byte[]> split(byte[] data, int id, int size, boolean hopByHop) {
    List<byte[]> out = new ArrayList<>();
    for (int at = 0; at < data.length; at += size) {
      out.add(fragment(data, id, at, Math.min(data.length, at + size), hopByHop));
    }
    return out;
  }

  private static byte[] offer(Ipv6Reassembler r, byte[] f, long now) {
    return r.offer(f, 0, Ipv6.fragmentHeader(f, 0), now);
  }

  private static void assertWhole(byte[] whole, byte[] data) {
    assertThat(whole).isNotNull();
    assertThat(Ipv6.check(whole, 0, whole.length)).isEqualTo(PacketCheck.OK);
    assertThat(Ipv6.fragmentHeader(whole, 0)).as("no longer a fragment").isEqualTo(-1);
    assertThat(Ipv6.upperLayer(whole, 0)).isEqualTo(40 << 8 | UDP);
    assertThat(Ipv6.payloadLength(whole, 0)).isEqualTo(data.length);
    assertThat(Arrays.copyOfRange(whole, 8, 40)).as("addresses kept").isEqualTo(concat(SRC, DST));
    assertThat(Arrays.copyOfRange(whole, 40, whole.length)).isEqualTo(data);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  @Test
  void inOrder() {
    Ipv6Reassembler r = new Ipv6Reassembler(1 << 20, 16, 60 * SECOND);
    byte[] data = data(3000, 1);
    List<byte[]> frags = split(data, 7, 1232, false);
    assertThat(offer(r, frags.get(0), 0)).isNull();
    assertThat(offer(r, frags.get(1), 0)).isNull();
    assertWhole(offer(r, frags.get(2), 0), data);
    assertThat(r.pending()).isZero();
    assertThat(r.bytesHeld()).isZero();
    assertThat(r.reassembled()).isEqualTo(1);
  }

  @Test
  void anyOrderWithOptionsBeforeTheFragmentHeader() {
    for (int seed = 0; seed < 20; seed++) {
      Ipv6Reassembler r = new Ipv6Reassembler(1 << 20, 16, 60 * SECOND);
      byte[] data = data(9000, seed);
      List<byte[]> frags = split(data, seed, 1280, true);
      Collections.shuffle(frags, new Random(seed));
      byte[] whole = null;
      for (int i = 0; i < frags.size(); i++) {
        whole = offer(r, frags.get(i), 0);
        assertThat(whole == null)
            .as("complete only with the last of seed %d", seed)
            .isEqualTo(i < frags.size() - 1);
      }
      assertWhole(whole, data);
    }
  }

  @Test
  void anAtomicFragmentIsWholeAtOnce() {
    Ipv6Reassembler r = new Ipv6Reassembler(1 << 20, 16, 60 * SECOND);
    byte[] data = data(100, 3);
    assertWhole(offer(r, fragment(data, 9, 0, data.length, false), 0), data);
  }

  @Test
  void overlappingFragmentsDiscardThePacket() {
    Ipv6Reassembler r = new Ipv6Reassembler(1 << 20, 16, 60 * SECOND);
    byte[] data = data(3000, 4);
    assertThat(offer(r, fragment(data, 5, 0, 1600, false), 0)).isNull();
    assertThat(offer(r, fragment(data, 5, 1200, 2400, false), 0)).as("overlap").isNull();
    assertThat(r.pending()).as("RFC 5722: the whole packet is dropped").isZero();
    assertThat(offer(r, fragment(data, 5, 2400, 3000, false), 0)).isNull();
    assertThat(r.discarded()).isEqualTo(1);
  }

  @Test
  void differentIdentificationsAreDifferentPackets() {
    Ipv6Reassembler r = new Ipv6Reassembler(1 << 20, 16, 60 * SECOND);
    byte[] a = data(2000, 5);
    byte[] b = data(2000, 6);
    assertThat(offer(r, fragment(a, 1, 0, 1200, false), 0)).isNull();
    assertThat(offer(r, fragment(b, 2, 1200, 2000, false), 0)).isNull();
    assertThat(r.pending()).isEqualTo(2);
    assertWhole(offer(r, fragment(b, 2, 0, 1200, false), 0), b);
    assertWhole(offer(r, fragment(a, 1, 1200, 2000, false), 0), a);
  }

  @Test
  void boundedInTimeAndBytes() {
    Ipv6Reassembler r = new Ipv6Reassembler(4096, 16, 60 * SECOND);
    byte[] data = data(3000, 7);
    assertThat(offer(r, fragment(data, 1, 0, 1200, false), 0)).isNull();
    assertThat(r.nextDeadline()).isEqualTo(60 * SECOND);
    r.expire(60 * SECOND);
    assertThat(r.pending()).as("incomplete after 60 s: discarded").isZero();
    assertThat(offer(r, fragment(data, 1, 1200, 2400, false), 61 * SECOND)).isNull();
    assertThat(r.bytesHeld()).isLessThanOrEqualTo(4096);
    byte[] big = data(8000, 8);
    assertThat(offer(r, fragment(big, 2, 0, 5000, false), 61 * SECOND))
        .as("more than the budget")
        .isNull();
    assertThat(r.bytesHeld()).isLessThanOrEqualTo(4096);
  }
}
