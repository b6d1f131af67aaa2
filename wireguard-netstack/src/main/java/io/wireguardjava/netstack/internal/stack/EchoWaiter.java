package io.wireguardjava.netstack.internal.stack;

import java.io.InterruptedIOException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** One outstanding echo request: the application thread waits here for the stack thread. */
final class EchoWaiter {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition answered = lock.newCondition();
  final byte[] peer;
  private long replyNanos = Long.MIN_VALUE;

  EchoWaiter(byte[] peer) {
    this.peer = peer;
  }

  /** Stack thread: the reply arrived at {@code nowNanos}. */
  void complete(long nowNanos) {
    lock.lock();
    try {
      replyNanos = nowNanos;
      answered.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Waits for the reply; returns its arrival time, or Long.MIN_VALUE on timeout. */
  long await(long timeoutNanos) throws InterruptedIOException {
    lock.lock();
    try {
      long left = timeoutNanos;
      while (replyNanos == Long.MIN_VALUE && left > 0) {
        left = answered.awaitNanos(left);
      }
      return replyNanos;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for an echo reply");
    } finally {
      lock.unlock();
    }
  }
}
