package io.wireguardjava.core;

import io.wireguardjava.spi.PacketBatch;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A bounded FIFO of packets copied into preallocated slots: no allocation per packet, and no array
 * handed from one thread to another. Any number of producers and consumers.
 */
final class PacketRing {
  private final byte[][] slots;
  private final int[] lengths;
  private final int slotSize;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final Condition notFull = lock.newCondition();
  private int head;
  private int count;

  /** Takers blocked in {@link #takeBatch} on an empty ring (for tests: the send loop is idle). */
  private int waitingTakers;

  private boolean closed;

  PacketRing(int capacity, int slotSize) {
    this.slots = new byte[capacity][slotSize];
    this.lengths = new int[capacity];
    this.slotSize = slotSize;
  }

  /**
   * Copies a packet in; blocks while full when {@code block}, else returns false when full.
   *
   * @throws ClosedChannelException once closed
   * @throws InterruptedException when interrupted while blocked
   */
  boolean put(byte[] buf, int offset, int length, boolean block)
      throws ClosedChannelException, InterruptedException {
    if (length > slotSize) {
      throw new IllegalArgumentException("packet of " + length + " bytes exceeds " + slotSize);
    }
    lock.lockInterruptibly();
    try {
      while (!closed && count == slots.length) {
        if (!block) {
          return false;
        }
        notFull.await();
      }
      if (closed) {
        throw new ClosedChannelException();
      }
      int tail = (head + count) % slots.length;
      System.arraycopy(buf, offset, slots[tail], 0, length);
      lengths[tail] = length;
      count++;
      notEmpty.signal();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Copies the oldest packet out, waiting at most {@code timeoutNanos} (negative: forever).
   *
   * @param cut whether a packet longer than {@code length} is cut to it ({@link
   *     io.wireguardjava.spi.PacketDevice#read}'s contract) instead of refused
   * @return its length (its full length when cut), 0 on timeout, -1 once closed and drained
   * @throws IllegalArgumentException when the packet is longer than {@code length} and not {@code
   *     cut}; it stays queued
   */
  int take(byte[] buf, int offset, int length, long timeoutNanos, boolean cut)
      throws InterruptedException {
    lock.lockInterruptibly();
    try {
      long left = timeoutNanos;
      while (count == 0) {
        if (closed) {
          return -1;
        }
        if (timeoutNanos < 0) {
          notEmpty.await();
        } else {
          if (left <= 0) {
            return 0;
          }
          left = notEmpty.awaitNanos(left);
        }
      }
      int n = lengths[head];
      if (n > length && !cut) {
        throw new IllegalArgumentException("buffer of " + length + " bytes for a packet of " + n);
      }
      System.arraycopy(slots[head], 0, buf, offset, Math.min(n, length));
      head = (head + 1) % slots.length;
      count--;
      notFull.signal();
      return n;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Moves packets into {@code batch} (cleared first): waits for the first, then takes as many more
   * as are queued, up to the batch's capacity, under one lock. A packet longer than the batch's
   * slots is cut and added with its full length ({@link io.wireguardjava.spi.PacketDevice#read}'s
   * contract).
   *
   * @return the number taken (at least 1), or -1 once closed and drained
   */
  int takeBatch(PacketBatch batch) throws InterruptedException {
    batch.clear();
    lock.lockInterruptibly();
    try {
      while (count == 0) {
        if (closed) {
          return -1;
        }
        waitingTakers++;
        try {
          notEmpty.await();
        } finally {
          waitingTakers--;
        }
      }
      while (count > 0 && !batch.isFull()) {
        int n = lengths[head];
        int i = batch.count();
        System.arraycopy(
            slots[head], 0, batch.array(i), batch.offset(i), Math.min(n, batch.maxLength()));
        batch.add(n);
        head = (head + 1) % slots.length;
        count--;
      }
      notFull.signalAll();
      return batch.count();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Whether a taker waits in {@link #takeBatch} and nothing is queued: the reader has finished with
   * everything put so far (a thread state alone cannot tell this from a wait on a lock, or from a
   * wake-up not yet run).
   */
  boolean takerIdle() {
    lock.lock();
    try {
      return waitingTakers > 0 && count == 0;
    } finally {
      lock.unlock();
    }
  }

  /** Wakes every waiter; later puts fail, takes drain what is left and then return -1. */
  void close() {
    lock.lock();
    try {
      closed = true;
      notEmpty.signalAll();
      notFull.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
