package io.wireguardjava.netstack.proxy;

import java.time.Duration;

/** Conversions of timeouts for the {@code java.net} methods that take milliseconds. */
final class Timeouts {
  private Timeouts() {}

  /** {@code d} in milliseconds for {@code setSoTimeout}/{@code connect}: 0 means forever. */
  static int millis(Duration d) {
    if (d.isZero()) {
      return 0;
    }
    long ms = Math.max(1, d.toMillis());
    return (int) Math.min(Integer.MAX_VALUE, ms);
  }

  /** Checks a timeout argument of a builder: zero (forever) or positive. */
  static Duration check(Duration d, String what) {
    if (d.isNegative()) {
      throw new IllegalArgumentException(what + " must not be negative: " + d);
    }
    return d;
  }
}
