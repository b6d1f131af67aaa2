package io.wireguardjava.netstack.internal.tcp;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Objects;
import java.util.concurrent.locks.Condition;

/**
 * The application's handle on one connection. Every method is thread-safe; blocking methods wait on
 * the connection's {@link Condition} (ReentrantLock, so virtual threads do not pin their carrier).
 * Work for the network (segments to send) is handed to the stack thread.
 */
public final class TcpSocket {
  private static final int MAX_BUFFER = 64 << 20;
  private final TcpConnection c;

  TcpSocket(TcpConnection c) {
    this.c = c;
  }

  static InterruptedIOException interrupted() {
    return new InterruptedIOException("interrupted while waiting on a TCP socket");
  }

  /**
   * Waits until the handshake completes.
   *
   * @param timeoutNanos how long to wait; 0 waits forever. On timeout the attempt is abandoned
   * @throws java.net.ConnectException "Connection refused" on RST, "Connection timed out" when the
   *     SYN retries ran out
   * @throws java.net.NoRouteToHostException on an ICMP unreachable
   * @throws SocketTimeoutException if the timeout passed
   * @throws SocketException if the socket was closed
   * @throws InterruptedIOException if the thread was interrupted
   */
  public void awaitConnected(long timeoutNanos) throws IOException {
    c.lock.lock();
    try {
      long left = timeoutNanos;
      while (true) {
        if (c.everConnected) {
          return;
        }
        if (c.error != null) {
          throw c.error.forConnect();
        }
        if (c.state == TcpState.CLOSED || c.appClosed) {
          throw new SocketException("Socket closed");
        }
        if (timeoutNanos == 0) {
          c.changed.await();
        } else {
          if (left <= 0) {
            abortLocked();
            throw new SocketTimeoutException("Connect timed out");
          }
          left = c.changed.awaitNanos(left);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw interrupted();
    } finally {
      c.lock.unlock();
    }
  }

  /**
   * Reads up to {@code len} bytes, blocking until at least one is there.
   *
   * @param b destination
   * @param off offset in b
   * @param len most bytes to read
   * @param timeoutNanos how long to wait; 0 waits forever
   * @return bytes read, 0 only if len is 0, or -1 at the end of the stream (peer's FIN, or input
   *     shut down)
   * @throws SocketTimeoutException if the timeout passed
   * @throws SocketException "Connection reset" after an RST, "Socket closed" after close
   * @throws InterruptedIOException if the thread was interrupted
   * @throws IndexOutOfBoundsException if off/len do not fit b
   */
  public int read(byte[] b, int off, int len, long timeoutNanos) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (len == 0) {
      return 0;
    }
    c.lock.lock();
    try {
      long left = timeoutNanos;
      while (true) {
        int n = readLocked(b, off, len);
        if (n != 0) {
          return n;
        }
        if (timeoutNanos == 0) {
          c.changed.await();
        } else {
          if (left <= 0) {
            throw new SocketTimeoutException("Read timed out");
          }
          left = c.changed.awaitNanos(left);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw interrupted();
    } finally {
      c.lock.unlock();
    }
  }

  /**
   * Reads what is there without blocking.
   *
   * @param b destination
   * @param off offset in b
   * @param len most bytes to read
   * @return bytes read (0 if none yet), or -1 at the end of the stream
   * @throws SocketException "Connection reset" after an RST, "Socket closed" after close
   * @throws IndexOutOfBoundsException if off/len do not fit b
   */
  public int readNow(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (len == 0) {
      return 0;
    }
    c.lock.lock();
    try {
      return readLocked(b, off, len);
    } finally {
      c.lock.unlock();
    }
  }

  private int readLocked(byte[] b, int off, int len) throws IOException {
    if (c.appClosed) {
      throw new SocketException("Socket closed");
    }
    ByteRing r = c.recvRing;
    if (r != null && r.size() > 0) {
      int n = r.read(b, off, len);
      if (c.state.receivesData() && Transmitter.windowGrewEnough(c)) {
        c.windowUpdatePending = true;
        c.schedule();
      }
      if ((c.finReceived || c.state == TcpState.CLOSED) && r.size() == 0) {
        c.releaseBuffersIfDone();
      }
      return n;
    }
    if (c.inputShutdown || c.finReceived) {
      return -1;
    }
    if (c.error != null) {
      throw c.error.forTransfer();
    }
    if (c.state == TcpState.CLOSED) {
      return -1;
    }
    return 0;
  }

  /**
   * Writes all of {@code b[off, off+len)}, blocking while the send buffer is full.
   *
   * @param b source
   * @param off offset in b
   * @param len bytes to write
   * @throws SocketException "Connection reset" after an RST, "Socket closed" after close, "Socket
   *     output is shutdown" after shutdownOutput
   * @throws InterruptedIOException if the thread was interrupted (some bytes may have been sent)
   * @throws IndexOutOfBoundsException if off/len do not fit b
   */
  public void write(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    c.lock.lock();
    try {
      while (len > 0) {
        int n = writeLocked(b, off, len);
        off += n;
        len -= n;
        if (len > 0 && n == 0) {
          c.changed.await();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw interrupted();
    } finally {
      c.lock.unlock();
    }
  }

  /**
   * Writes what fits in the send buffer now, without blocking.
   *
   * @param b source
   * @param off offset in b
   * @param len bytes offered
   * @return bytes taken (0 if the buffer is full or the handshake is not done)
   * @throws SocketException as {@link #write}
   * @throws IndexOutOfBoundsException if off/len do not fit b
   */
  public int writeNow(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    c.lock.lock();
    try {
      return writeLocked(b, off, len);
    } finally {
      c.lock.unlock();
    }
  }

  private int writeLocked(byte[] b, int off, int len) throws IOException {
    if (c.appClosed) {
      throw new SocketException("Socket closed");
    }
    if (c.error != null) {
      throw c.error.forTransfer();
    }
    if (c.finQueued) {
      throw new SocketException("Socket output is shutdown");
    }
    if (c.state == TcpState.SYN_SENT || c.state == TcpState.SYN_RECEIVED) {
      return 0;
    }
    if (c.state != TcpState.ESTABLISHED && c.state != TcpState.CLOSE_WAIT) {
      throw new SocketException("Socket closed");
    }
    ByteRing r = c.sendRing;
    if (r == null || len == 0) {
      return 0;
    }
    int n = Math.min(len, c.sendLimit - r.size());
    if (n <= 0) {
      return 0;
    }
    if (r.free() < n) {
      int target =
          (int)
              Math.min(
                  Math.max((long) r.capacity() * 2, (long) r.size() + n),
                  Math.max(c.sendLimit, r.capacity()));
      if (target > r.capacity() && c.layer.budget().reserve(target - r.capacity())) {
        r.grow(target, 0);
      }
      n = Math.min(n, r.free());
      if (n == 0) {
        return 0;
      }
    }
    r.append(b, off, n);
    c.schedule();
    return n;
  }

  /**
   * Bytes that can be read without blocking.
   *
   * @return the count
   */
  public int available() {
    c.lock.lock();
    try {
      return c.appClosed ? 0 : c.readable();
    } finally {
      c.lock.unlock();
    }
  }

  /** Half-close: a FIN follows the buffered data; reading goes on. */
  public void shutdownOutput() {
    c.lock.lock();
    try {
      queueFin();
    } finally {
      c.lock.unlock();
    }
  }

  /** Discards received data and everything that arrives later; reads return -1. */
  public void shutdownInput() {
    c.lock.lock();
    try {
      if (c.inputShutdown) {
        return;
      }
      c.inputShutdown = true;
      c.releaseBuffersIfDone();
      c.changed.signalAll();
    } finally {
      c.lock.unlock();
    }
  }

  private void queueFin() {
    if (c.finQueued || c.state == TcpState.CLOSED) {
      return;
    }
    c.finQueued = true;
    switch (c.state) {
      case ESTABLISHED -> c.state = TcpState.FIN_WAIT_1;
      case CLOSE_WAIT -> c.state = TcpState.LAST_ACK;
      default -> {} // SYN states: FIN_WAIT_1 once established
    }
    c.changed.signalAll();
    c.schedule();
  }

  /**
   * Closes the socket: a FIN after the buffered data, or an RST if received data was left unread
   * (as Linux does) or the handshake is not done. The connection finishes in the background.
   */
  public void close() {
    c.lock.lock();
    try {
      if (c.appClosed) {
        return;
      }
      if (c.state == TcpState.SYN_SENT
          || c.state == TcpState.SYN_RECEIVED && c.listener == null
          || c.readable() > 0) {
        abortLocked();
        return;
      }
      queueFin();
      c.appClosed = true;
      c.releaseBuffersIfDone();
      c.changed.signalAll();
      c.schedule();
    } finally {
      c.lock.unlock();
    }
  }

  /** Resets the connection now (SO_LINGER 0): an RST, buffered data dropped. */
  public void abort() {
    c.lock.lock();
    try {
      abortLocked();
    } finally {
      c.lock.unlock();
    }
  }

  private void abortLocked() {
    if (c.appClosed && c.abortRequested) {
      return;
    }
    c.appClosed = true;
    c.abortRequested = true;
    c.changed.signalAll();
    c.schedule();
  }

  /**
   * Turns Nagle's algorithm off (true) or on.
   *
   * @param on true to send small segments at once
   */
  public void setNoDelay(boolean on) {
    c.lock.lock();
    try {
      c.noDelay = on;
      c.schedule();
    } finally {
      c.lock.unlock();
    }
  }

  /**
   * Whether Nagle's algorithm is off.
   *
   * @return true if TCP_NODELAY is set
   */
  public boolean noDelay() {
    c.lock.lock();
    try {
      return c.noDelay;
    } finally {
      c.lock.unlock();
    }
  }

  /**
   * Turns keepalive probes on or off ({@link TcpSettings#keepaliveIdle()} and friends).
   *
   * @param on true to probe an idle connection
   */
  public void setKeepAlive(boolean on) {
    c.lock.lock();
    try {
      c.keepAlive = on;
      c.keepAliveChanged = true;
      c.schedule();
    } finally {
      c.lock.unlock();
    }
  }

  /**
   * Whether keepalive probes are on.
   *
   * @return true if SO_KEEPALIVE is set
   */
  public boolean keepAlive() {
    c.lock.lock();
    try {
      return c.keepAlive;
    } finally {
      c.lock.unlock();
    }
  }

  /**
   * Sets the receive buffer (SO_RCVBUF): the buffer grows to it at once and auto-tuning stops
   * there. The window scale was fixed at the handshake, so a window above 65535 &lt;&lt; scale is
   * not offered.
   *
   * @param bytes 1..64 MiB (clamped to at least 1 KiB)
   * @throws IllegalArgumentException if bytes is not positive or above 64 MiB
   */
  public void setReceiveBufferSize(int bytes) {
    checkSize(bytes);
    c.lock.lock();
    try {
      c.recvLimit = Math.max(bytes, 1024);
      ByteRing r = c.recvRing;
      if (r != null
          && c.recvLimit > r.capacity()
          && c.layer.budget().reserve(c.recvLimit - r.capacity())) {
        r.grow(c.recvLimit, c.assembler.highestEnd(c.rcvNxt) - c.rcvNxt);
        c.windowUpdatePending = true;
        c.schedule();
      }
    } finally {
      c.lock.unlock();
    }
  }

  /**
   * The receive buffer limit.
   *
   * @return bytes
   */
  public int receiveBufferSize() {
    c.lock.lock();
    try {
      return c.recvLimit;
    } finally {
      c.lock.unlock();
    }
  }

  /**
   * Sets the send buffer (SO_SNDBUF): writes block once this much is unacknowledged.
   *
   * @param bytes 1..64 MiB (clamped to at least 1 KiB)
   * @throws IllegalArgumentException if bytes is not positive or above 64 MiB
   */
  public void setSendBufferSize(int bytes) {
    checkSize(bytes);
    c.lock.lock();
    try {
      c.sendLimit = Math.max(bytes, 1024);
      c.changed.signalAll();
    } finally {
      c.lock.unlock();
    }
  }

  /**
   * The send buffer limit.
   *
   * @return bytes
   */
  public int sendBufferSize() {
    c.lock.lock();
    try {
      return c.sendLimit;
    } finally {
      c.lock.unlock();
    }
  }

  private static void checkSize(int bytes) {
    if (bytes <= 0 || bytes > MAX_BUFFER) {
      throw new IllegalArgumentException("buffer size must be in 1.." + MAX_BUFFER + ": " + bytes);
    }
  }

  /**
   * Our address and port.
   *
   * @return the local side
   */
  public InetSocketAddress localAddress() {
    return c.flow.local();
  }

  /**
   * The peer's address and port.
   *
   * @return the remote side
   */
  public InetSocketAddress remoteAddress() {
    return c.flow.remote();
  }

  /**
   * The connection's 4-tuple.
   *
   * @return the flow
   */
  public TcpFlow flow() {
    return c.flow;
  }

  /**
   * Whether the handshake completed (stays true after the connection ends, as java.net.Socket).
   *
   * @return true once connected
   */
  public boolean isConnected() {
    c.lock.lock();
    try {
      return c.everConnected;
    } finally {
      c.lock.unlock();
    }
  }

  /**
   * Whether {@link #close} or {@link #abort} ran.
   *
   * @return true once closed by the application
   */
  public boolean isClosed() {
    c.lock.lock();
    try {
      return c.appClosed;
    } finally {
      c.lock.unlock();
    }
  }

  void markAccepted() {
    c.lock.lock();
    try {
      c.accepted = true;
    } finally {
      c.lock.unlock();
    }
  }

  /** For tests and diagnostics: the connection state name. */
  String stateName() {
    c.lock.lock();
    try {
      return c.state.name();
    } finally {
      c.lock.unlock();
    }
  }

  TcpConnection connection() {
    return c;
  }

  @Override
  public String toString() {
    return "TcpSocket[" + c.flow + "]";
  }
}
