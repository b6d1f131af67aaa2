package io.wireguardjava.netstack.internal.tcp;

import java.util.concurrent.atomic.AtomicLong;

/** The bound on buffer bytes of all connections of one layer together. Any thread. */
final class MemoryBudget {
  private final long limit;
  private final AtomicLong used = new AtomicLong();

  MemoryBudget(long limit) {
    this.limit = limit;
  }

  /** Takes n bytes if that stays within the limit. */
  boolean reserve(long n) {
    while (true) {
      long u = used.get();
      if (u + n > limit) {
        return false;
      }
      if (used.compareAndSet(u, u + n)) {
        return true;
      }
    }
  }

  void release(long n) {
    used.addAndGet(-n);
  }

  long used() {
    return used.get();
  }
}
