package io.wireguardjava.netstack.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class Ipv4ReassemblerTest {
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
  private static final byte[] SRC = {10, 0, 0, 2};
  private static final byte[] DST = {10, 0, 0, 1};

  /** A whole UDP-sized payload with recognisable bytes. */
  private static byte[] payload(int length, int seed) {
    byte[] b = new byte[length];
    new Random(seed).nextBytes(b);
    return b;
  }

  /** One fragment of {@code payload}: bytes [start, stop), MF unless it is the end. */
  private static byte[] fragment(byte[] payload, int id, int start, int stop) {
    byte[] p = new byte[20 + stop - start];
    Ipv4.write(p, 0, p.length, id, 17, SRC, DST);
    boolean more = stop < payload.length;
    Bytes.put16(p, 6, (more ? 0x2000 : 0) | start / 8);
    Bytes.put16(p, 10, 0);
    Bytes.put16(p, 10, Checksum.of(p, 0, 20));
    System.arraycopy(payload, start, p, 20, stop - start);
    assertThat(Ipv4.check(p, 0, p.length)).isEqualTo(PacketCheck.OK);
    assertThat(Ipv4.isFragment(p, 0)).isTrue();
    return p;
  }

  private static List<byte[]> split(byte[] payload, int id, int size) {
    List<byte[]> out = new ArrayList<>();
    for (int at = 0; at < payload.length; at += size) {
      out.add(fragment(payload, id, at, Math.min(payload.length, at + size)));
    }
    return out;
  }

  private static void assertWhole(byte[] whole, byte[] payload) {
    assertThat(whole).isNotNull();
    assertThat(Ipv4.check(whole, 0, whole.length)).isEqualTo(PacketCheck.OK);
    assertThat(Ipv4.isFragment(whole, 0)).isFalse();
    assertThat(Ipv4.totalLength(whole, 0)).isEqualTo(20 + payload.length);
    assertThat(java.util.Arrays.copyOfRange(whole, 20, whole.length)).isEqualTo(payload);
  }

  @Test
  void inOrder() {
    Ipv4Reassembler r = new Ipv4Reassembler(1 << 20, 16, 30 * SECOND);
    byte[] payload = payload(3000, 1);
    List<byte[]> frags = split(payload, 7, 1400);
    assertThat(r.offer(frags.get(0), 0, 0)).isNull();
    assertThat(r.offer(frags.get(1), 0, 0)).isNull();
    assertWhole(r.offer(frags.get(2), 0, 0), payload);
    assertThat(r.pending()).isZero();
    assertThat(r.bytesHeld()).isZero();
    assertThat(r.reassembled()).isEqualTo(1);
  }

  @Test
  void anyOrderWithDuplicates() {
    Random rnd = new Random(3);
    for (int round = 0; round < 200; round++) {
      Ipv4Reassembler r = new Ipv4Reassembler(1 << 20, 16, 30 * SECOND);
      int size = 8 * (1 + rnd.nextInt(180));
      byte[] payload = payload(size + 1 + rnd.nextInt(20000), round);
      List<byte[]> frags = split(payload, round, size);
      List<byte[]> sent = new ArrayList<>(frags);
      sent.add(frags.get(rnd.nextInt(frags.size()))); // a retransmitted duplicate
      Collections.shuffle(sent, rnd);
      byte[] whole = null;
      int completions = 0;
      for (byte[] f : sent) {
        byte[] w = r.offer(f, 0, 0);
        if (w != null) {
          whole = w;
          completions++;
        }
      }
      // The duplicate may come after completion: it then starts a new datagram that times out.
      assertThat(completions).as("round %d", round).isEqualTo(1);
      assertWhole(whole, payload);
    }
  }

  @Test
  void partialOverlapDiscardsTheDatagram() {
    Ipv4Reassembler r = new Ipv4Reassembler(1 << 20, 16, 30 * SECOND);
    byte[] payload = payload(2400, 2);
    assertThat(r.offer(fragment(payload, 1, 0, 1200), 0, 0)).isNull();
    // Starts inside held data and runs past it: the FragmentSmack / teardrop shape.
    assertThat(r.offer(fragment(payload, 1, 800, 1600), 0, 0)).isNull();
    assertThat(r.pending()).isZero();
    assertThat(r.discarded()).isEqualTo(1);
    // What follows belongs to a new, incomplete datagram: nothing is delivered from the mix.
    assertThat(r.offer(fragment(payload, 1, 1600, 2400), 0, 0)).isNull();
  }

  @Test
  void conflictingEndsDiscardTheDatagram() {
    Ipv4Reassembler r = new Ipv4Reassembler(1 << 20, 16, 30 * SECOND);
    byte[] payload = payload(2400, 4);
    assertThat(r.offer(fragment(payload, 9, 1600, 2400), 0, 0)).isNull(); // end = 2400
    byte[] shorter = payload(1600, 4);
    assertThat(r.offer(fragment(shorter, 9, 800, 1600), 0, 0)).isNull(); // claims end = 1600
    assertThat(r.pending()).isZero();
  }

  @Test
  void timeoutDropsIncompleteDatagrams() {
    Ipv4Reassembler r = new Ipv4Reassembler(1 << 20, 16, 30 * SECOND);
    byte[] payload = payload(3000, 5);
    List<byte[]> frags = split(payload, 3, 1480);
    r.offer(frags.get(0), 0, 0);
    assertThat(r.nextDeadline()).isEqualTo(30 * SECOND);
    r.expire(29 * SECOND);
    assertThat(r.pending()).isEqualTo(1);
    r.expire(30 * SECOND);
    assertThat(r.pending()).isZero();
    assertThat(r.bytesHeld()).isZero();
    assertThat(r.nextDeadline()).isEqualTo(Long.MAX_VALUE);
    // The rest arriving late does not complete anything.
    assertThat(r.offer(frags.get(1), 0, 31 * SECOND)).isNull();
    assertThat(r.offer(frags.get(2), 0, 31 * SECOND)).isNull();
  }

  @Test
  void memoryAndCountStayWithinBoundsUnderAFloodOfFirstFragments() {
    int budget = 64 * 1024;
    Ipv4Reassembler r = new Ipv4Reassembler(budget, 8, 30 * SECOND);
    for (int id = 0; id < 10_000; id++) {
      byte[] payload = payload(4000, id);
      r.offer(fragment(payload, id, 0, 1480), 0, id);
      assertThat(r.bytesHeld()).isLessThanOrEqualTo(budget);
      assertThat(r.pending()).isLessThanOrEqualTo(8);
    }
    // Room is still made for honest traffic: a fresh datagram completes.
    byte[] payload = payload(3000, 99_999);
    byte[] whole = null;
    for (byte[] f : split(payload, 60_000, 1480)) {
      whole = r.offer(f, 0, 20_000);
    }
    assertWhole(whole, payload);
  }

  @Test
  void refusesFragmentsThatCannotBeHonest() {
    Ipv4Reassembler r = new Ipv4Reassembler(1 << 20, 16, 30 * SECOND);
    byte[] payload = payload(3000, 6);
    byte[] odd = fragment(payload, 1, 0, 1001); // non-final fragment not a multiple of 8
    assertThat(r.offer(odd, 0, 0)).isNull();
    assertThat(r.pending()).isZero();
    byte[] beyond = fragment(payload(65600, 1), 2, 65528, 65600); // past 65535
    assertThat(r.offer(beyond, 0, 0)).isNull();
    assertThat(r.pending()).isZero();
  }
}
