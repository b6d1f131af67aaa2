package io.wireguardjava.uapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.wireguardjava.InetNetwork;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link PrefixSet} against the {@code LinkedHashSet} it replaces, on random operations. */
class PrefixSetTest {

  @Test
  void behavesAsALinkedHashSet() {
    Random rnd = new Random(5);
    for (int round = 0; round < 20; round++) {
      int universe = 1 + rnd.nextInt(round < 10 ? 40 : 5_000);
      List<InetNetwork> initial = new ArrayList<>();
      for (int i = rnd.nextInt(50); i > 0; i--) {
        initial.add(prefix(rnd.nextInt(universe)));
      }
      PrefixSet set = new PrefixSet(initial);
      LinkedHashSet<InetNetwork> model = new LinkedHashSet<>(initial);
      for (int i = 0; i < 20_000; i++) {
        InetNetwork n = prefix(rnd.nextInt(universe));
        int op = rnd.nextInt(100);
        if (op < 60) {
          assertThat(set.add(n)).isEqualTo(model.add(n));
        } else if (op < 98) {
          assertThat(set.remove(n)).isEqualTo(model.remove(n));
        } else if (op < 99) {
          set.reserve(rnd.nextInt(3_000)); // room for a run: changes nothing visible
        } else {
          set.clear();
          model.clear();
        }
        assertThat(set.size()).isEqualTo(model.size());
      }
      assertThat(set.toList()).containsExactlyElementsOf(model);
    }
  }

  @Test
  void aReservedRunOfAMillionKeepsOrderAndDuplicates() {
    PrefixSet set = new PrefixSet(List.of(host(7)));
    set.reserve(1_000_000);
    for (int i = 0; i < 1_000_000; i++) {
      assertThat(set.add(host(i))).isEqualTo(i != 7);
    }
    assertThat(set.size()).isEqualTo(1_000_000);
    List<InetNetwork> list = set.toList();
    assertThat(list.get(0)).isEqualTo(host(7));
    assertThat(list.get(1)).isEqualTo(host(0));
    assertThat(list.get(999_999)).isEqualTo(host(999_999));
  }

  private static InetNetwork host(int i) {
    return InetNetwork.of(new byte[] {10, (byte) (i >> 16), (byte) (i >> 8), (byte) i}, 32);
  }

  /** Prefix number {@code i}: IPv4 and IPv6, several lengths. */
  private static InetNetwork prefix(int i) {
    if (i % 3 == 0) {
      byte[] b = new byte[16];
      b[0] = (byte) 0xfd;
      b[14] = (byte) (i >> 8);
      b[15] = (byte) i;
      return InetNetwork.of(b, 128);
    }
    return InetNetwork.of(new byte[] {10, (byte) (i >> 16), (byte) (i >> 8), (byte) i}, 32 - i % 2);
  }
}
