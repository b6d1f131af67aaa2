package io.wireguardjava.core;

import io.wireguardjava.spi.DatagramAddress;
import java.util.Arrays;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Handshake messages (initiations, responses, cookie replies) waiting for a thread, with their
 * source and the local address they arrived on (replies leave from it): a bounded ring of
 * preallocated 148-byte slots and {@link DatagramAddress} holders, both copied into and out of.
 * Producers offer (never block: a full queue drops); the consumer polls, or waits in {@link #take}
 * until a message comes or the queue is closed. Nothing is allocated per message.
 */
final class HandshakeQueue {
  static final int SLOT = 148;

  private final byte[][] slots;
  private final int[] lengths;
  private final DatagramAddress[] sources;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private int head;
  private int count;
  private boolean closed;

  HandshakeQueue(int capacity) {
    slots = new byte[capacity][SLOT];
    lengths = new int[capacity];
    sources = new DatagramAddress[capacity];
    for (int i = 0; i < capacity; i++) {
      sources[i] = new DatagramAddress();
    }
  }

  /** Copies a message and its addresses in; false when full, closed or too long. */
  boolean offer(byte[] buf, int off, int len, DatagramAddress source) {
    lock.lock();
    try {
      if (closed || count == slots.length || len > SLOT) {
        return false;
      }
      int tail = (head + count) % slots.length;
      System.arraycopy(buf, off, slots[tail], 0, len);
      lengths[tail] = len;
      sources[tail].copyFrom(source);
      count++;
      notEmpty.signal();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Copies the oldest message to {@code dst[0..)} and its addresses to {@code from}.
   *
   * @return false when empty; else the length is in {@code lengthOut[0]}
   */
  boolean poll(byte[] dst, int[] lengthOut, DatagramAddress from) {
    lock.lock();
    try {
      return count != 0 && removeFirst(dst, lengthOut, from);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Like {@link #poll}, but waits for a message.
   *
   * @return false once the queue is closed
   * @throws InterruptedException when interrupted while waiting
   */
  boolean take(byte[] dst, int[] lengthOut, DatagramAddress from) throws InterruptedException {
    lock.lockInterruptibly();
    try {
      while (count == 0) {
        if (closed) {
          return false;
        }
        notEmpty.await();
      }
      return !closed && removeFirst(dst, lengthOut, from);
    } finally {
      lock.unlock();
    }
  }

  private boolean removeFirst(byte[] dst, int[] lengthOut, DatagramAddress from) {
    int n = lengths[head];
    System.arraycopy(slots[head], 0, dst, 0, n);
    lengthOut[0] = n;
    from.copyFrom(sources[head]);
    head = (head + 1) % slots.length;
    count--;
    return true;
  }

  int size() {
    lock.lock();
    try {
      return count;
    } finally {
      lock.unlock();
    }
  }

  /** Refuses further messages and wakes the waiting consumer. */
  void close() {
    lock.lock();
    try {
      closed = true;
      notEmpty.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Wipes the queued messages. */
  void clear() {
    lock.lock();
    try {
      for (DatagramAddress a : sources) {
        a.clearLocal();
      }
      for (byte[] s : slots) {
        Arrays.fill(s, (byte) 0);
      }
      count = 0;
    } finally {
      lock.unlock();
    }
  }
}
