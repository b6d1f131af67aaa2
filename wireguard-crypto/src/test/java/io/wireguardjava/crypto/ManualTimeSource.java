package io.wireguardjava.crypto;

import java.time.Duration;

/**
 * A {@link TimeSource} that only moves when told to; both clocks move together. Thread-safe.
 *
 * <pre>{@code
 * ManualTimeSource time = new ManualTimeSource();
 * time.advance(Protocol.REKEY_AFTER_TIME);
 * }</pre>
 */
public final class ManualTimeSource implements TimeSource {

  private volatile long nanos;
  private volatile long epochNanos;

  /** Starts at monotonic time 0 and wall time 2020-01-01T00:00:00Z. */
  public ManualTimeSource() {
    this(1_577_836_800_000_000_000L);
  }

  /** Starts at monotonic time 0 and the given wall time in nanoseconds since the epoch. */
  public ManualTimeSource(long epochNanos) {
    this.epochNanos = epochNanos;
  }

  /** Moves both clocks forward. */
  public synchronized void advance(Duration d) {
    long n = d.toNanos();
    if (n < 0) {
      throw new IllegalArgumentException("time only moves forward: " + d);
    }
    nanos += n;
    epochNanos += n;
  }

  /** Sets the wall clock only (it may go backwards, as real wall clocks do). */
  public synchronized void setEpochNanos(long epochNanos) {
    this.epochNanos = epochNanos;
  }

  @Override
  public long nanoTime() {
    return nanos;
  }

  @Override
  public long epochNanos() {
    return epochNanos;
  }

  @Override
  public String toString() {
    return "ManualTimeSource[nanoTime=" + nanos + ", epochNanos=" + epochNanos + "]";
  }
}
