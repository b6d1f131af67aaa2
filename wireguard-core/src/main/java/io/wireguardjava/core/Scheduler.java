package io.wireguardjava.core;

import io.wireguardjava.crypto.TimeSource;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The timers of every peer, and the wait point of the handshake thread that runs them.
 *
 * <p>A {@link Timer} is one volatile deadline: arming or disarming it from a data-path thread is a
 * field write, with no allocation and no lock, unless the new deadline is earlier than the one the
 * handshake thread sleeps towards (then it is woken). The handshake thread calls {@link #runDue()}
 * to run expired timers and {@link #await()} to sleep until the next deadline or a {@link
 * #wakeup()}. Tests create a scheduler on a manual clock and call {@link #runDue()} themselves
 * after advancing it: no thread, no sleeping.
 */
final class Scheduler {
  private static final long OFF = Long.MAX_VALUE;

  /** One timer; its action runs on the thread calling {@link #runDue()}. */
  final class Timer {
    private volatile long deadline = OFF;
    private final Runnable action;

    /** Creation order: timers run in the order they were made, as before. */
    private final long sequence = sequences.getAndIncrement();

    private Timer(Runnable action) {
      this.action = action;
    }

    /** Arms (or re-arms) the timer to fire {@code delayNanos} from now. */
    void mod(long delayNanos) {
      long d = clock.nanoTime() + delayNanos;
      deadline = d;
      if (d < sleepTarget) {
        wakeup();
      }
    }

    /** Disarms the timer. */
    void del() {
      if (deadline != OFF) {
        deadline = OFF;
      }
    }

    boolean pending() {
      return deadline != OFF;
    }
  }

  private final TimeSource clock;

  /**
   * Every timer, in creation order. A sorted concurrent map rather than a copy-on-write list:
   * adding the five timers of each of 65,536 peers must not copy the whole list each time.
   */
  private final ConcurrentSkipListMap<Long, Timer> timers = new ConcurrentSkipListMap<>();

  private final AtomicLong sequences = new AtomicLong();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wake = lock.newCondition();
  private volatile long sleepTarget = OFF;
  private boolean woken;

  Scheduler(TimeSource clock) {
    this.clock = clock;
  }

  /** A new, disarmed timer running {@code action} when it expires. */
  Timer newTimer(Runnable action) {
    Timer t = new Timer(action);
    timers.put(t.sequence, t);
    return t;
  }

  /** Disarms and forgets timers (a removed peer's). */
  void remove(Timer... ts) {
    for (Timer t : ts) {
      t.del();
      timers.remove(t.sequence);
    }
  }

  /**
   * Runs the action of every expired timer (disarming it first, so the action may re-arm it).
   *
   * @return the earliest remaining deadline, {@link Long#MAX_VALUE} when none
   */
  long runDue() {
    return runDue(null);
  }

  /**
   * Like {@link #runDue()}, but an action that throws is handed to {@code onFailure} and the
   * remaining timers still run; without a handler the exception propagates.
   */
  long runDue(@Nullable Consumer<RuntimeException> onFailure) {
    sleepTarget = OFF; // any timer armed while we scan wakes the next await()
    long now = clock.nanoTime();
    long next = OFF;
    for (Timer t : timers.values()) {
      long d = t.deadline;
      if (d == OFF) {
        continue;
      }
      if (d - now <= 0) {
        t.deadline = OFF;
        try {
          t.action.run();
        } catch (RuntimeException e) {
          if (onFailure == null) {
            throw e;
          }
          onFailure.accept(e);
        }
        d = t.deadline; // re-armed by its action?
      }
      if (d != OFF && d < next) {
        next = d;
      }
    }
    return next;
  }

  /** Sleeps until {@code nextDeadline} (from {@link #runDue()}) or a {@link #wakeup()}. */
  void await(long nextDeadline) throws InterruptedException {
    lock.lockInterruptibly();
    try {
      sleepTarget = nextDeadline;
      if (!woken) {
        if (nextDeadline == OFF) {
          wake.await();
        } else {
          long left = nextDeadline - clock.nanoTime();
          if (left > 0) {
            wake.awaitNanos(left);
          }
        }
      }
      woken = false;
    } finally {
      lock.unlock();
    }
  }

  /** Makes the next or current {@link #await} return at once. */
  void wakeup() {
    lock.lock();
    try {
      woken = true;
      wake.signal();
    } finally {
      lock.unlock();
    }
  }
}
