package io.wireguardjava.netstack.internal.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.BitSet;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The ring and the reassembly ranges against deliberately naive models, on random operations. */
class BuffersModelTest {

  @Test
  void ringBehavesLikeAQueueAcrossWrapsAndGrowth() {
    SplittableRandom r = new SplittableRandom(3);
    ByteRing ring = new ByteRing(64);
    java.util.ArrayDeque<Byte> model = new java.util.ArrayDeque<>();
    int next = 0;
    for (int op = 0; op < 5_000; op++) {
      int kind = r.nextInt(4);
      if (kind == 0 && ring.free() > 0) {
        int n = 1 + r.nextInt(ring.free());
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
          b[i] = (byte) next++;
          model.add(b[i]);
        }
        ring.append(b, 0, n);
      } else if (kind == 1 && ring.size() > 0) {
        int n = 1 + r.nextInt(ring.size());
        byte[] b = new byte[n];
        assertThat(ring.read(b, 0, n)).isEqualTo(n);
        for (int i = 0; i < n; i++) {
          assertThat(b[i]).isEqualTo(model.poll());
        }
      } else if (kind == 2 && ring.size() > 0) {
        int off = r.nextInt(ring.size());
        int n = 1 + r.nextInt(ring.size() - off);
        byte[] b = new byte[n];
        ring.peek(off, b, 0, n);
        Byte[] all = model.toArray(new Byte[0]);
        for (int i = 0; i < n; i++) {
          assertThat(b[i]).isEqualTo(all[off + i]);
        }
      } else if (kind == 3 && ring.capacity() < 1024 && r.nextInt(50) == 0) {
        ring.grow(ring.capacity() * 2, 0);
      }
      assertThat(ring.size()).isEqualTo(model.size());
    }
  }

  @Test
  void outOfOrderDataWrittenPastTheHeadSurvivesReadsAndGrowth() {
    ByteRing ring = new ByteRing(16);
    byte[] x = {1, 2, 3, 4};
    ring.append(x, 0, 4);
    ring.writeAt(4, new byte[] {9, 9}, 0, 2); // bytes 8..9 arrive before 4..7
    byte[] b = new byte[4];
    ring.read(b, 0, 4); // the ring is empty now, the early bytes must stay where they are
    ring.grow(32, 6);
    ring.writeAt(0, new byte[] {5, 6, 7, 8}, 0, 4);
    ring.commit(6);
    byte[] out = new byte[6];
    ring.read(out, 0, 6);
    assertThat(out).containsExactly(5, 6, 7, 8, 9, 9);
  }

  @Test
  void assemblerMatchesABitmapModel() {
    SplittableRandom r = new SplittableRandom(5);
    for (int trial = 0; trial < 200; trial++) {
      int base = r.nextInt(); // exercises sequence wrap-around
      Assembler a = new Assembler(8);
      BitSet model = new BitSet();
      int nxt = 0;
      for (int op = 0; op < 60; op++) {
        int s = nxt + 1 + r.nextInt(200);
        int e = s + 1 + r.nextInt(40);
        BitSet candidate = (BitSet) model.clone();
        candidate.set(s, e);
        boolean ok = a.add(base + s, base + e);
        if (ok) {
          model = candidate;
        } else {
          assertThat(rangesOf(candidate, nxt)).isGreaterThan(8);
        }
        assertThat(a.rangeCount()).isEqualTo(rangesOf(model, nxt));
        if (r.nextInt(4) == 0) {
          // In-order data up to some point, then the assembler tells how far it now reaches.
          int upTo = nxt + 1 + r.nextInt(100);
          model.set(nxt, upTo);
          int reach = model.nextClearBit(nxt);
          assertThat(a.advance(base + upTo) - base).isEqualTo(reach);
          model.clear(0, reach);
          nxt = reach;
        }
      }
      int[] ss = new int[4];
      int[] se = new int[4];
      int n = a.sackBlocks(ss, se, 4);
      for (int i = 0; i < n; i++) {
        assertThat(model.get(ss[i] - base)).isTrue();
        assertThat(model.get(se[i] - base)).isFalse();
        assertThat(model.get(ss[i] - base - 1)).isFalse();
      }
    }
  }

  private static int rangesOf(BitSet b, int from) {
    int count = 0;
    int i = b.nextSetBit(from);
    while (i >= 0) {
      count++;
      i = b.nextSetBit(b.nextClearBit(i));
    }
    return count;
  }
}
