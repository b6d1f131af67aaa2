package io.wireguardjava.netstack.internal.tcp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A listening socket: SYNs to its address and port open connections, which wait in a bounded accept
 * queue until {@link #accept}. Half-open connections per listener are bounded too ({@link
 * TcpSettings#synBacklog()}): a SYN flood costs a bounded amount of state. Thread-safe.
 */
public final class TcpListener {
  private final TcpLayer layer;
  private final InetSocketAddress local;
  private final byte[] localBytes;
  private final int backlog;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition ready = lock.newCondition();
  private final ArrayDeque<TcpSocket> queue = new ArrayDeque<>();
  private final AtomicInteger halfOpen = new AtomicInteger();
  private boolean closed;

  TcpListener(TcpLayer layer, InetSocketAddress local, int backlog) {
    this.layer = layer;
    this.local = local;
    this.localBytes = local.getAddress().getAddress();
    this.backlog = backlog;
  }

  /**
   * Waits for the next established connection.
   *
   * @param timeoutNanos how long to wait; 0 waits forever
   * @return the connection's handle
   * @throws SocketTimeoutException if the timeout passed
   * @throws SocketException if the listener is or gets closed
   * @throws java.io.InterruptedIOException if the thread was interrupted
   */
  public TcpSocket accept(long timeoutNanos) throws IOException {
    lock.lock();
    try {
      long left = timeoutNanos;
      while (true) {
        if (closed) {
          throw new SocketException("Socket closed");
        }
        TcpSocket s = queue.poll();
        if (s != null) {
          s.markAccepted();
          return s;
        }
        if (timeoutNanos == 0) {
          ready.await();
        } else {
          if (left <= 0) {
            throw new SocketTimeoutException("Accept timed out");
          }
          left = ready.awaitNanos(left);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw TcpSocket.interrupted();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Takes the next established connection if one is waiting, without blocking.
   *
   * @return the connection's handle, or empty
   * @throws SocketException if the listener is closed
   */
  public Optional<TcpSocket> acceptNow() throws SocketException {
    lock.lock();
    try {
      if (closed) {
        throw new SocketException("Socket closed");
      }
      TcpSocket s = queue.poll();
      if (s != null) {
        s.markAccepted();
      }
      return Optional.ofNullable(s);
    } finally {
      lock.unlock();
    }
  }

  /**
   * The address and port this listener is bound to (the address may be a wildcard).
   *
   * @return the bound address
   */
  public InetSocketAddress localAddress() {
    return local;
  }

  /**
   * Whether {@link #close} ran.
   *
   * @return true once closed
   */
  public boolean isClosed() {
    lock.lock();
    try {
      return closed;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stops listening: blocked and later {@code accept} calls throw, connections not yet accepted are
   * reset, the port is free again.
   */
  public void close() {
    List<TcpSocket> unaccepted;
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      unaccepted = new ArrayList<>(queue);
      queue.clear();
      ready.signalAll();
    } finally {
      lock.unlock();
    }
    layer.unregister(this);
    for (TcpSocket s : unaccepted) {
      s.abort();
    }
  }

  /** Stack thread: may a SYN open one more half-open connection here? */
  boolean admitsSyn(int synBacklog) {
    lock.lock();
    try {
      return !closed && halfOpen.get() < synBacklog && queue.size() < backlog;
    } finally {
      lock.unlock();
    }
  }

  /** Stack thread: true while the accept queue is at its bound (and the listener open). */
  boolean queueFull() {
    lock.lock();
    try {
      return !closed && queue.size() >= backlog;
    } finally {
      lock.unlock();
    }
  }

  void halfOpenStarted() {
    halfOpen.incrementAndGet();
  }

  void halfOpenDone() {
    halfOpen.decrementAndGet();
  }

  /** Stack thread: queues an established connection; false if the listener is closed or full. */
  boolean deliver(TcpSocket s) {
    lock.lock();
    try {
      if (closed || queue.size() >= backlog) {
        return false;
      }
      queue.add(s);
      ready.signalAll();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** True if a segment to this destination address belongs here (wildcard or same address). */
  boolean acceptsAddress(byte[] p, int dstOff, int addrLen) {
    if (local.getAddress().isAnyLocalAddress()) {
      return true; // a wildcard of either family takes both, as a dual-stack ServerSocket does
    }
    return addrLen == localBytes.length
        && Arrays.equals(p, dstOff, dstOff + addrLen, localBytes, 0, addrLen);
  }

  boolean isWildcard() {
    return local.getAddress().isAnyLocalAddress();
  }

  int port() {
    return local.getPort();
  }

  @Override
  public String toString() {
    return "TcpListener[" + local + "]";
  }
}
