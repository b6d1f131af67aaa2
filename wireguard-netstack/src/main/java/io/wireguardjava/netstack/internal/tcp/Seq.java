package io.wireguardjava.netstack.internal.tcp;

/**
 * Sequence-number arithmetic modulo 2^32 (RFC 9293 §3.4): compare through the signed difference.
 */
final class Seq {
  private Seq() {}

  static boolean lt(int a, int b) {
    return a - b < 0;
  }

  static boolean le(int a, int b) {
    return a - b <= 0;
  }

  static boolean gt(int a, int b) {
    return a - b > 0;
  }

  static boolean ge(int a, int b) {
    return a - b >= 0;
  }

  static int max(int a, int b) {
    return gt(a, b) ? a : b;
  }

  static int min(int a, int b) {
    return lt(a, b) ? a : b;
  }

  /** True if {@code low <= x < high} in sequence space. */
  static boolean inRange(int x, int low, int high) {
    return x - low >= 0 && x - high < 0;
  }
}
