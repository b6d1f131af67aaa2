package io.wireguardjava.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The trie against a deliberately naive model: a list scanned for the longest match. */
class AllowedIpsTest {

  /** The naive model: every prefix in a list; the longest containing prefix wins. */
  private static final class NaiveTable {
    final List<Object[]> rows = new ArrayList<>(); // {byte[] masked, Integer cidr, Integer value}

    void insert(byte[] addr, int cidr, int value) {
      byte[] m = AllowedIps.mask(addr, cidr);
      rows.removeIf(r -> ((Integer) r[1]) == cidr && java.util.Arrays.equals((byte[]) r[0], m));
      rows.add(new Object[] {m, cidr, value});
    }

    void removeValue(int value) {
      rows.removeIf(r -> ((Integer) r[2]) == value);
    }

    Integer lookup(byte[] addr) {
      Integer best = null;
      int bestCidr = -1;
      for (Object[] r : rows) {
        byte[] m = (byte[]) r[0];
        int cidr = (Integer) r[1];
        if (m.length == addr.length
            && java.util.Arrays.equals(m, AllowedIps.mask(addr, cidr))
            && cidr > bestCidr) {
          best = (Integer) r[2];
          bestCidr = cidr;
        }
      }
      return best;
    }
  }

  @Test
  void matchesNaiveModelOnRandomPrefixes() {
    for (int len : new int[] {4, 16}) {
      for (long seed = 0; seed < 6; seed++) {
        Random rnd = new Random(seed * 31 + len);
        AllowedIps<Integer> trie = new AllowedIps<>();
        NaiveTable naive = new NaiveTable();
        Integer[] values = new Integer[16];
        for (int i = 0; i < values.length; i++) {
          values[i] = i;
        }
        // A few base addresses, so prefixes nest and diverge at many depths.
        byte[][] bases = new byte[4][len];
        for (byte[] b : bases) {
          rnd.nextBytes(b);
        }
        for (int i = 0; i < 200; i++) {
          byte[] addr = randomNear(rnd, bases, len);
          int cidr = rnd.nextInt(len * 8 + 1);
          int value = rnd.nextInt(values.length);
          trie.insert(addr, cidr, values[value]);
          naive.insert(addr, cidr, value);
          if (rnd.nextInt(20) == 0) {
            int victim = rnd.nextInt(values.length);
            trie.removeValue(values[victim]);
            naive.removeValue(victim);
          }
          for (int q = 0; q < 20; q++) {
            byte[] probe = randomNear(rnd, bases, len);
            assertThat(trie.lookup(probe)).as("seed %d probe %d", seed, q)
                .isEqualTo(naive.lookup(probe));
          }
        }
      }
    }
  }

  private static byte[] randomNear(Random rnd, byte[][] bases, int len) {
    byte[] a = bases[rnd.nextInt(bases.length)].clone();
    int flips = rnd.nextInt(4);
    for (int i = 0; i < flips; i++) {
      int bit = rnd.nextInt(len * 8);
      a[bit >>> 3] ^= (byte) (0x80 >>> (bit & 7));
    }
    if (rnd.nextInt(8) == 0) {
      rnd.nextBytes(a);
    }
    return a;
  }

  @Test
  void longestPrefixWinsAndFamiliesAreSeparate() {
    AllowedIps<String> t = new AllowedIps<>();
    t.insert(new byte[] {10, 0, 0, 0}, 8, "a");
    t.insert(new byte[] {10, 1, 0, 0}, 16, "b");
    t.insert(new byte[] {10, 1, 2, 3}, 32, "c");
    t.insert(new byte[16], 0, "v6default");
    assertThat(t.lookup(new byte[] {10, 9, 9, 9})).isEqualTo("a");
    assertThat(t.lookup(new byte[] {10, 1, 9, 9})).isEqualTo("b");
    assertThat(t.lookup(new byte[] {10, 1, 2, 3})).isEqualTo("c");
    assertThat(t.lookup(new byte[] {11, 1, 2, 3})).isNull();
    assertThat(t.lookup(new byte[16])).isEqualTo("v6default");
    byte[] packet = {0, 0, 0, 10, 1, 2, 3, 0};
    assertThat(t.lookup(packet, 3, 4)).isEqualTo("c");
    t.removeValue("b");
    assertThat(t.lookup(new byte[] {10, 1, 9, 9})).isEqualTo("a");
    assertThat(t.entriesOf("a")).hasSize(1);
    t.insert(new byte[] {10, 0, 0, 0}, 8, "z"); // an existing prefix moves to the new value
    assertThat(t.entriesOf("a")).isEmpty();
    assertThat(t.lookup(new byte[] {10, 9, 9, 9})).isEqualTo("z");
  }
}
