package io.wireguardjava.tun.linux;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Keeps a file descriptor's number from being closed (and reused by the OS for another file) while
 * a call is inside it: every call {@link #enter}s and {@link #exit}s, and close marks the gate
 * closed, wakes the blocked calls its own way, and {@link #awaitNoCalls waits} for them to leave
 * before it closes the descriptor. Lock-free for the calls: one atomic counter with a closed bit.
 */
final class DescriptorGate {
  private static final int CLOSED_BIT = 1 << 30;

  /** Calls inside, plus {@link #CLOSED_BIT} once closing started. */
  private final AtomicInteger state = new AtomicInteger();

  /** Enters a call; false once closing started (the caller must not touch the descriptor). */
  boolean enter() {
    int s = state.incrementAndGet();
    if ((s & CLOSED_BIT) != 0) {
      state.decrementAndGet();
      return false;
    }
    return true;
  }

  /** Leaves a call that {@link #enter} admitted. */
  void exit() {
    state.decrementAndGet();
  }

  /** Whether closing started. */
  boolean isClosed() {
    return (state.get() & CLOSED_BIT) != 0;
  }

  /** Starts closing: no call enters from now on. False when it had started already. */
  boolean markClosed() {
    int s = state.get();
    while ((s & CLOSED_BIT) == 0) {
      if (state.compareAndSet(s, s | CLOSED_BIT)) {
        return true;
      }
      s = state.get();
    }
    return false;
  }

  /**
   * Waits until no call is inside, for at most {@code nanos} (a stuck call must not hang close).
   */
  void awaitNoCalls(long nanos) {
    long deadline = System.nanoTime() + nanos;
    while ((state.get() & ~CLOSED_BIT) != 0 && System.nanoTime() < deadline) {
      LockSupport.parkNanos(100_000);
    }
  }
}
