package io.wireguardjava.core;

import java.time.Instant;

/**
 * The engine's time source: a monotonic clock for timers and session ages, and a wall clock for the
 * "latest handshake" users see. Tests use a manual implementation so every timer runs in
 * microseconds.
 */
interface Clock {

  /** Monotonic nanoseconds, like {@link System#nanoTime()}. */
  long nanos();

  /** Wall-clock time. */
  Instant now();

  /** The system clocks. */
  Clock SYSTEM =
      new Clock() {
        @Override
        public long nanos() {
          return System.nanoTime();
        }

        @Override
        public Instant now() {
          return Instant.now();
        }
      };
}
