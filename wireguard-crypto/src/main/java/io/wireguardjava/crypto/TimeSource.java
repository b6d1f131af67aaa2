package io.wireguardjava.crypto;

/**
 * The two clocks the protocol reads: a monotonic one for ages and rate limits, and the wall clock
 * for the initiator's TAI64N timestamp. Injected so tests can move time by hand (a manual clock).
 */
public interface TimeSource {

  /**
   * Monotonic nanoseconds, as {@link System#nanoTime()}: only differences are meaningful.
   *
   * @return monotonic nanoseconds
   */
  long nanoTime();

  /**
   * Wall-clock nanoseconds since the Unix epoch (UTC), as used for TAI64N timestamps.
   *
   * @return nanoseconds since 1970-01-01T00:00:00Z
   */
  long epochNanos();

  /**
   * The system clocks.
   *
   * @return the system clocks
   */
  static TimeSource system() {
    return SystemTime.INSTANCE;
  }

  /** The system clocks, as a singleton. */
  enum SystemTime implements TimeSource {
    /** The one instance. */
    INSTANCE;

    @Override
    public long nanoTime() {
      return System.nanoTime();
    }

    @Override
    public long epochNanos() {
      java.time.Instant now = java.time.Instant.now();
      return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
  }
}
