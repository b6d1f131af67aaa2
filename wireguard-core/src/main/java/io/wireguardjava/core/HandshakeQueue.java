package io.wireguardjava.core;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Handshake messages (initiations, responses, cookie replies) waiting for a thread, with their
 * source addresses: a bounded ring of preallocated 148-byte slots. Producers offer (never block: a
 * full queue drops); the consumer polls, or waits in {@link #take} until a message comes or the
 * queue is closed. Nothing is allocated per message.
 */
final class HandshakeQueue {
  static final int SLOT = 148;

  private final byte[][] slots;
  private final int[] lengths;
  private final @Nullable InetSocketAddress[] sources;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private int head;
  private int count;
  private boolean closed;

  HandshakeQueue(int capacity) {
    slots = new byte[capacity][SLOT];
    lengths = new int[capacity];
    sources = new InetSocketAddress[capacity];
  }

  /** Copies a message in; false when full, closed or too long. */
  boolean offer(byte[] buf, int off, int len, InetSocketAddress source) {
    lock.lock();
    try {
      if (closed || count == slots.length || len > SLOT) {
        return false;
      }
      int tail = (head + count) % slots.length;
      System.arraycopy(buf, off, slots[tail], 0, len);
      lengths[tail] = len;
      sources[tail] = source;
      count++;
      notEmpty.signal();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Copies the oldest message to {@code dst[0..)}.
   *
   * @return its source, or null when empty; the length is in {@code lengthOut[0]}
   */
  @Nullable InetSocketAddress poll(byte[] dst, int[] lengthOut) {
    lock.lock();
    try {
      return count == 0 ? null : removeFirst(dst, lengthOut);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Like {@link #poll}, but waits for a message.
   *
   * @return its source, or null once the queue is closed
   * @throws InterruptedException when interrupted while waiting
   */
  @Nullable InetSocketAddress take(byte[] dst, int[] lengthOut) throws InterruptedException {
    lock.lockInterruptibly();
    try {
      while (count == 0) {
        if (closed) {
          return null;
        }
        notEmpty.await();
      }
      return closed ? null : removeFirst(dst, lengthOut);
    } finally {
      lock.unlock();
    }
  }

  private InetSocketAddress removeFirst(byte[] dst, int[] lengthOut) {
    int n = lengths[head];
    System.arraycopy(slots[head], 0, dst, 0, n);
    lengthOut[0] = n;
    InetSocketAddress s = sources[head];
    sources[head] = null;
    head = (head + 1) % slots.length;
    count--;
    return java.util.Objects.requireNonNull(s, "a queued message has a source");
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
      Arrays.fill(sources, null);
      for (byte[] s : slots) {
        Arrays.fill(s, (byte) 0);
      }
      count = 0;
    } finally {
      lock.unlock();
    }
  }
}
