package io.wireguardjava.core;

import io.wireguardjava.crypto.TimeSource;
import java.time.Duration;

/**
 * A clock that moves only when told to; both clocks move together. The core's twin of the crypto
 * tests' {@code ManualTimeSource} (test sources are not shared between modules).
 */
final class ManualClock implements TimeSource {
  private volatile long nanos = 1_000_000_000_000L;
  private volatile long epochNanos = 1_767_225_600_000_000_000L; // 2026-01-01T00:00:00Z

  @Override
  public long nanoTime() {
    return nanos;
  }

  @Override
  public long epochNanos() {
    return epochNanos;
  }

  synchronized void advance(Duration d) {
    nanos += d.toNanos();
    epochNanos += d.toNanos();
  }
}
