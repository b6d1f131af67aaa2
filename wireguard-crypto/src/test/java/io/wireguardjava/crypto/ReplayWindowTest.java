package io.wireguardjava.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The Linux kernel's {@code selftest/counter.c}, case by case, with its numbering. */
class ReplayWindowTest {

  private static final long WINDOW = Protocol.REPLAY_WINDOW_SIZE;
  private static final long T_LIM = WINDOW + 1;
  private static final long REJECT = Protocol.REJECT_AFTER_MESSAGES;

  private ReplayWindow w = new ReplayWindow();
  private int n;

  private void t(long counter, boolean expected) {
    n++;
    assertThat(w.validate(counter))
        .as("case %d: counter %s", n, Long.toUnsignedString(counter))
        .isEqualTo(expected);
  }

  private void init() {
    w = new ReplayWindow();
    n = 0;
  }

  @Test
  void kernelNumberedCases() {
    init();
    /*  1 */ t(0, true);
    /*  2 */ t(1, true);
    /*  3 */ t(1, false);
    /*  4 */ t(9, true);
    /*  5 */ t(8, true);
    /*  6 */ t(7, true);
    /*  7 */ t(7, false);
    /*  8 */ t(T_LIM, true);
    /*  9 */ t(T_LIM - 1, true);
    /* 10 */ t(T_LIM - 1, false);
    /* 11 */ t(T_LIM - 2, true);
    /* 12 */ t(2, true);
    /* 13 */ t(2, false);
    /* 14 */ t(T_LIM + 16, true);
    /* 15 */ t(3, false);
    /* 16 */ t(T_LIM + 16, false);
    /* 17 */ t(T_LIM * 4, true);
    /* 18 */ t(T_LIM * 4 - (T_LIM - 1), true);
    /* 19 */ t(10, false);
    /* 20 */ t(T_LIM * 4 - T_LIM, false);
    /* 21 */ t(T_LIM * 4 - (T_LIM + 1), false);
    /* 22 */ t(T_LIM * 4 - (T_LIM - 2), true);
    /* 23 */ t(T_LIM * 4 + 1 - T_LIM, false);
    /* 24 */ t(0, false);
    /* 25 */ t(REJECT, false);
    /* 26 */ t(REJECT - 1, true);
    /* 27 */ t(REJECT, false);
    /* 28 */ t(REJECT - 1, false);
    /* 29 */ t(REJECT - 2, true);
    /* 30 */ t(REJECT + 1, false);
    /* 31 */ t(REJECT + 2, false);
    /* 32 */ t(REJECT - 2, false);
    /* 33 */ t(REJECT - 3, true);
    /* 34 */ t(0, false);
  }

  @Test
  void bulkAscendingThenZero() {
    init();
    for (long i = 1; i <= WINDOW; ++i) {
      t(i, true);
    }
    t(0, true);
    t(0, false);
  }

  @Test
  void bulkAscendingFromTwoThenOneThenZero() {
    init();
    for (long i = 2; i <= WINDOW + 1; ++i) {
      t(i, true);
    }
    t(1, true);
    t(0, false);
  }

  @Test
  void bulkDescendingFromWindow() {
    init();
    for (long i = WINDOW + 1; i-- > 0; ) {
      t(i, true);
    }
  }

  @Test
  void bulkDescendingFromWindowPlusOneThenZero() {
    init();
    for (long i = WINDOW + 2; i-- > 1; ) {
      t(i, true);
    }
    t(0, false);
  }

  @Test
  void bulkDescendingThenTopThenZero() {
    init();
    for (long i = WINDOW + 1; i-- > 1; ) {
      t(i, true);
    }
    t(WINDOW + 1, true);
    t(0, false);
  }

  @Test
  void bulkDescendingThenZeroThenTop() {
    init();
    for (long i = WINDOW + 1; i-- > 1; ) {
      t(i, true);
    }
    t(0, true);
    t(WINDOW + 1, true);
  }

  /** The optimised bitmap against a naive set of everything seen, on random counters. */
  @Test
  void matchesNaiveModel() {
    java.util.SplittableRandom r = new java.util.SplittableRandom(7);
    ReplayWindow window = new ReplayWindow();
    java.util.Set<Long> seen = new java.util.HashSet<>();
    long max = -1;
    for (int i = 0; i < 200_000; i++) {
      long c = Math.max(0, (max < 0 ? 0 : max) + r.nextLong(-9000, 300));
      boolean expected = !seen.contains(c) && (max < 0 || c + WINDOW >= max);
      assertThat(window.validate(c)).as("counter %d after max %d", c, max).isEqualTo(expected);
      if (expected) {
        seen.add(c);
        max = Math.max(max, c);
      }
    }
  }
}
