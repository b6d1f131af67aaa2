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
            assertThat(trie.lookup(probe))
                .as("seed %d probe %d", seed, q)
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

  /** A map from masked prefix to value: the model of the table's contents. */
  private static String keyOf(byte[] addr, int cidr) {
    return java.util.Arrays.toString(AllowedIps.mask(addr, cidr)) + "/" + cidr;
  }

  @Test
  void insertAndRemoveInterleavedMatchTheModel() {
    for (int len : new int[] {4, 16}) {
      for (long seed = 0; seed < 5; seed++) {
        Random rnd = new Random(seed * 131 + len);
        AllowedIps<Integer> trie = new AllowedIps<>();
        NaiveTable naive = new NaiveTable();
        java.util.Map<String, Integer> contents = new java.util.HashMap<>();
        List<byte[]> addrs = new ArrayList<>();
        List<Integer> cidrs = new ArrayList<>();
        byte[][] bases = new byte[3][len];
        for (byte[] b : bases) {
          rnd.nextBytes(b);
        }
        for (int step = 0; step < 250; step++) {
          // Edits of one to eight changes, each published whole.
          try (AllowedIps<Integer>.Edit edit = trie.edit()) {
            int changes = 1 + rnd.nextInt(8);
            for (int c = 0; c < changes; c++) {
              if (addrs.isEmpty() || rnd.nextInt(3) > 0) {
                byte[] addr = randomNear(rnd, bases, len);
                int cidr = rnd.nextInt(len * 8 + 1);
                int value = rnd.nextInt(6);
                edit.insert(addr, cidr, value);
                naive.insert(addr, cidr, value);
                contents.put(keyOf(addr, cidr), value);
                addrs.add(addr);
                cidrs.add(cidr);
              } else {
                int i = rnd.nextInt(addrs.size());
                byte[] addr = addrs.get(i);
                int cidr = cidrs.get(i);
                int value = rnd.nextInt(6);
                Integer had = contents.get(keyOf(addr, cidr));
                boolean removed = edit.remove(addr, cidr, value);
                assertThat(removed).isEqualTo(had != null && had == value);
                if (removed) {
                  contents.remove(keyOf(addr, cidr));
                  byte[] m = AllowedIps.mask(addr, cidr);
                  naive.rows.removeIf(
                      r -> ((Integer) r[1]) == cidr && java.util.Arrays.equals((byte[]) r[0], m));
                }
              }
            }
            edit.commit();
          }
          assertThat(trie.size()).isEqualTo(contents.size());
          for (int q = 0; q < 10; q++) {
            byte[] probe = randomNear(rnd, bases, len);
            assertThat(trie.lookup(probe))
                .as("seed %d step %d", seed, step)
                .isEqualTo(naive.lookup(probe));
          }
          if (!addrs.isEmpty()) {
            int i = rnd.nextInt(addrs.size());
            assertThat(trie.exact(addrs.get(i), cidrs.get(i)))
                .isEqualTo(contents.get(keyOf(addrs.get(i), cidrs.get(i))));
          }
        }
        java.util.Map<String, Integer> listed = new java.util.HashMap<>();
        for (AllowedIps.Entry<Integer> e : trie.entries()) {
          listed.put(keyOf(e.address(), e.cidr()), e.value());
        }
        assertThat(listed).isEqualTo(contents);
      }
    }
  }

  @Test
  void anEditIsInvisibleUntilCommittedAndDroppedWhenClosed() {
    AllowedIps<String> t = new AllowedIps<>();
    t.insert(new byte[] {10, 0, 0, 0}, 8, "old");
    try (AllowedIps<String>.Edit e = t.edit()) {
      e.insert(new byte[] {10, 1, 0, 0}, 16, "new");
      e.remove(new byte[] {10, 0, 0, 0}, 8, "old");
      assertThat(t.lookup(new byte[] {10, 1, 1, 1})).isEqualTo("old");
      // no commit: dropped
    }
    assertThat(t.lookup(new byte[] {10, 1, 1, 1})).isEqualTo("old");
    assertThat(t.size()).isEqualTo(1);
    try (AllowedIps<String>.Edit e = t.edit()) {
      e.insert(new byte[] {10, 1, 0, 0}, 16, "new");
      e.commit();
    }
    assertThat(t.lookup(new byte[] {10, 1, 1, 1})).isEqualTo("new");
  }

  @Test
  void readersNeverSeeHalfAnEdit() throws Exception {
    // Each edit adds 10.0.0.0/8 and 10.1.2.3/32 together, the next removes both: a reader
    // that ever finds the /8's value for 10.1.2.3 saw the first insert without the second.
    AllowedIps<String> t = new AllowedIps<>();
    byte[] outer = {10, 0, 0, 0};
    byte[] inner = {10, 1, 2, 3};
    java.util.concurrent.atomic.AtomicBoolean stop =
        new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.atomic.AtomicReference<String> seen =
        new java.util.concurrent.atomic.AtomicReference<>();
    Thread reader =
        new Thread(
            () -> {
              while (!stop.get()) {
                String v = t.lookup(inner);
                if ("outer".equals(v)) {
                  seen.set(v);
                }
              }
            });
    reader.start();
    try {
      for (int round = 0; round < 20_000; round++) {
        try (AllowedIps<String>.Edit e = t.edit()) {
          e.insert(outer, 8, "outer");
          e.insert(inner, 32, "inner");
          e.commit();
        }
        try (AllowedIps<String>.Edit e = t.edit()) {
          e.remove(inner, 32, "inner");
          e.remove(outer, 8, "outer");
          e.commit();
        }
      }
    } finally {
      stop.set(true);
      reader.join();
    }
    assertThat(seen.get()).isNull();
    assertThat(t.size()).isZero();
  }

  @Test
  void lookupsAllocateNothing() {
    AllowedIps<String> t = new AllowedIps<>();
    Random rnd = new Random(7);
    for (int i = 0; i < 1000; i++) {
      byte[] a4 = new byte[4];
      byte[] a6 = new byte[16];
      rnd.nextBytes(a4);
      rnd.nextBytes(a6);
      t.insert(a4, 8 + rnd.nextInt(25), "v4");
      t.insert(a6, 16 + rnd.nextInt(113), "v6");
    }
    byte[] packet = new byte[40];
    rnd.nextBytes(packet);
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    int hits = 0;
    for (int i = 0; i < 200_000; i++) { // warm up: compiled code is what runs per packet
      hits += t.lookup(packet, i & 15, 4) != null ? 1 : 0;
      hits += t.lookup(packet, i & 15, 16) != null ? 1 : 0;
    }
    long before = mx.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < 100_000; i++) {
      hits += t.lookup(packet, i & 15, 4) != null ? 1 : 0;
      hits += t.lookup(packet, i & 15, 16) != null ? 1 : 0;
    }
    long allocated = mx.getCurrentThreadAllocatedBytes() - before;
    assertThat(hits).isGreaterThanOrEqualTo(0);
    assertThat(allocated).as("bytes allocated by 200,000 lookups").isLessThan(1024);
  }

  @Test
  void aQuarterMillionPrefixesInOneEdit() {
    // The old table rebuilt itself on every insert: 16k prefixes took about a minute. Here
    // 262,144 /32s and /128s go in one edit and out in another, in seconds.
    AllowedIps<Integer> t = new AllowedIps<>();
    int n = 1 << 17;
    Integer[] values = new Integer[n]; // removal matches the value by identity, as a peer
    for (int i = 0; i < n; i++) {
      values[i] = Integer.valueOf(i);
    }
    long start = System.nanoTime();
    try (AllowedIps<Integer>.Edit e = t.edit()) {
      for (int i = 0; i < n; i++) {
        e.insert(new byte[] {10, (byte) (i >>> 16), (byte) (i >>> 8), (byte) i}, 32, values[i]);
        byte[] v6 = new byte[16];
        v6[0] = (byte) 0xfd;
        v6[13] = (byte) (i >>> 16);
        v6[14] = (byte) (i >>> 8);
        v6[15] = (byte) i;
        e.insert(v6, 128, values[i]);
      }
      e.commit();
    }
    assertThat(t.size()).isEqualTo(2 * n);
    assertThat(t.lookup(new byte[] {10, 1, 0, 5})).isEqualTo(65_541);
    // Single inserts into the big table copy one path each.
    for (int i = 0; i < 1000; i++) {
      t.insert(new byte[] {11, 0, (byte) (i >>> 8), (byte) i}, 32, -i);
    }
    assertThat(t.lookup(new byte[] {11, 0, 3, (byte) 231})).isEqualTo(-999);
    try (AllowedIps<Integer>.Edit e = t.edit()) {
      for (int i = 0; i < n; i++) {
        e.remove(new byte[] {10, (byte) (i >>> 16), (byte) (i >>> 8), (byte) i}, 32, values[i]);
      }
      e.commit();
    }
    assertThat(t.size()).isEqualTo(n + 1000);
    assertThat(t.lookup(new byte[] {10, 1, 0, 5})).isNull();
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertThat(millis).as("milliseconds for 263k inserts and 131k removals").isLessThan(20_000);
  }
}
