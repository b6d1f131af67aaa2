package io.wireguardjava.netstack.internal.stack;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Drop counters by {@link StackDrop} plus packet totals; written by the stack thread, read by any.
 */
public final class StackCounters {
  private static final StackDrop[] DROPS = StackDrop.values();
  private final AtomicLongArray drops = new AtomicLongArray(DROPS.length);
  private final AtomicLongArray totals = new AtomicLongArray(2);

  void drop(StackDrop reason) {
    drops.incrementAndGet(reason.ordinal());
  }

  void received() {
    totals.incrementAndGet(0);
  }

  void sent() {
    totals.incrementAndGet(1);
  }

  /**
   * How many packets were dropped for a reason.
   *
   * @param reason the reason
   * @return the count
   */
  public long dropped(StackDrop reason) {
    return drops.get(reason.ordinal());
  }

  /**
   * Packets handed to {@code onPacket}.
   *
   * @return the count
   */
  public long packetsReceived() {
    return totals.get(0);
  }

  /**
   * Packets the output accepted.
   *
   * @return the count
   */
  public long packetsSent() {
    return totals.get(1);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("StackCounters[received=").append(packetsReceived());
    sb.append(", sent=").append(packetsSent());
    for (StackDrop d : DROPS) {
      long n = dropped(d);
      if (n != 0) {
        sb.append(", ").append(d).append('=').append(n);
      }
    }
    return sb.append(']').toString();
  }
}
