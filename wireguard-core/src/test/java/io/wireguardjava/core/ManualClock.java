package io.wireguardjava.core;

import java.time.Duration;
import java.time.Instant;

/** A clock that moves only when told to. */
final class ManualClock implements Clock {
  private volatile long nanos = 1_000_000_000_000L;
  private volatile Instant wall = Instant.parse("2026-01-01T00:00:00Z");

  @Override
  public long nanos() {
    return nanos;
  }

  @Override
  public Instant now() {
    return wall;
  }

  synchronized void advance(Duration d) {
    nanos += d.toNanos();
    wall = wall.plus(d);
  }
}
