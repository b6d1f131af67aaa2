package io.wireguardjava.netstack.internal.stack;

import io.wireguardjava.netstack.internal.wire.Bytes;
import io.wireguardjava.netstack.internal.wire.Ipv4;
import io.wireguardjava.netstack.internal.wire.Ipv6;
import io.wireguardjava.netstack.internal.wire.Udp;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * A bound UDP port: a bounded ring of received datagrams filled by the stack thread and read by
 * application threads, the optional connected peer, and a pending port-unreachable error.
 *
 * <p>Ring slots are allocated on first use and reused: a busy socket allocates nothing per
 * datagram, a socket used once (a DNS query) allocates one slot.
 */
public final class UdpEndpoint {
  private final Stack stack;
  private final int port;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition readable = lock.newCondition();
  private final byte[][] data;
  private final int[] lengths;
  private final byte[][] from;
  private final int[] fromLength;
  private final int[] fromPort;
  private int head;
  private int count;
  private boolean closed;
  private boolean unreachable;
  private volatile @Nullable InetSocketAddress peer;

  /** The last ICMP "packet too big" for a datagram of ours: to where, the MTU, until when. */
  private byte @Nullable [] pathMtuAddress;

  private int pathMtu;
  private long pathMtuExpires;
  private byte @Nullable [] peerBytes;
  private int peerPort;

  UdpEndpoint(Stack stack, int port, int queueLength) {
    this.stack = stack;
    this.port = port;
    this.data = new byte[queueLength][];
    this.lengths = new int[queueLength];
    this.from = new byte[queueLength][];
    this.fromLength = new int[queueLength];
    this.fromPort = new int[queueLength];
  }

  /**
   * The local port.
   *
   * @return the port this endpoint is bound to
   */
  public int port() {
    return port;
  }

  /**
   * The connected peer, if any.
   *
   * @return the peer, or null when not connected
   */
  public @Nullable InetSocketAddress peer() {
    return peer;
  }

  /**
   * Accepts datagrams only from {@code to}, and sends there by default.
   *
   * @param to the peer (resolved)
   */
  public void connect(InetSocketAddress to) {
    lock.lock();
    try {
      peerBytes = to.getAddress().getAddress();
      peerPort = to.getPort();
      peer = to;
      unreachable = false;
    } finally {
      lock.unlock();
    }
  }

  /** Accepts datagrams from anyone again. */
  public void disconnect() {
    lock.lock();
    try {
      peer = null;
      peerBytes = null;
      unreachable = false;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Sends one datagram.
   *
   * @param payload the bytes from position to limit (consumed)
   * @param to the destination; null for the connected peer
   * @throws IOException when closed, not connected, too large (for the interface MTU, or for the
   *     path MTU an ICMP "packet too big" reported for this destination in the last {@link
   *     Stack#PATH_MTU_EXPIRY_NANOS}), or an earlier datagram to the connected peer came back
   *     port-unreachable ({@link PortUnreachableException})
   */
  public void send(ByteBuffer payload, @Nullable InetSocketAddress to) throws IOException {
    InetSocketAddress dst = to;
    lock.lock();
    try {
      if (closed) {
        throw new SocketException("Socket is closed");
      }
      if (dst == null) {
        dst = peer;
        if (dst == null) {
          throw new SocketException("Socket is not connected");
        }
        throwIfUnreachable();
      }
    } finally {
      lock.unlock();
    }
    if (dst.isUnresolved()) {
      throw new UnknownHostException(dst.getHostString() + " is unresolved: resolve it first");
    }
    checkPathMtu(payload.remaining(), dst.getAddress());
    stack.sendUdp(port, payload, dst.getAddress(), dst.getPort());
  }

  /** Refuses a datagram larger than the path MTU last reported for {@code to}, while valid. */
  private void checkPathMtu(int length, InetAddress to) throws SocketException {
    lock.lock();
    try {
      byte[] a = pathMtuAddress;
      if (a == null || stack.clockNanos() - pathMtuExpires >= 0) {
        pathMtuAddress = null;
        return;
      }
      byte[] b = to.getAddress();
      int headers = (b.length == 16 ? Ipv6.HEADER : Ipv4.HEADER) + Udp.HEADER;
      if (length + headers > pathMtu && Arrays.equals(a, b)) {
        throw new SocketException(
            "Message too long: "
                + length
                + " bytes, at most "
                + (pathMtu - headers)
                + " fit the path MTU of "
                + pathMtu
                + " to "
                + to.getHostAddress()
                + " (ICMP packet too big)");
      }
    } finally {
      lock.unlock();
    }
  }

  private void throwIfUnreachable() throws PortUnreachableException {
    if (unreachable) {
      unreachable = false;
      throw new PortUnreachableException(
          "ICMP port unreachable from " + peer + " for a datagram sent from local port " + port);
    }
  }

  /**
   * Waits for a datagram and copies it into {@code dst} (the rest is discarded when it does not
   * fit, as for {@code DatagramChannel}).
   *
   * @param dst where the payload goes
   * @param timeoutNanos how long to wait; 0 = forever
   * @return the sender
   * @throws SocketTimeoutException when nothing arrived in time
   * @throws PortUnreachableException on a connected socket after ICMP port unreachable
   * @throws SocketException when the socket is or gets closed
   * @throws InterruptedIOException when the thread is interrupted
   */
  public InetSocketAddress receive(ByteBuffer dst, long timeoutNanos) throws IOException {
    lock.lock();
    try {
      long left = timeoutNanos;
      while (count == 0) {
        if (closed) {
          throw new SocketException("Socket is closed");
        }
        if (peer != null) {
          throwIfUnreachable();
        }
        if (timeoutNanos == 0) {
          readable.await();
        } else {
          if (left <= 0) {
            throw new SocketTimeoutException(
                "Receive timed out after " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
          }
          left = readable.awaitNanos(left);
        }
      }
      int i = head;
      dst.put(data[i], 0, Math.min(lengths[i], dst.remaining()));
      byte[] a = new byte[fromLength[i]];
      System.arraycopy(from[i], 0, a, 0, a.length);
      InetSocketAddress sender = new InetSocketAddress(InetAddress.getByAddress(a), fromPort[i]);
      head = (head + 1) % data.length;
      count--;
      return sender;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while receiving");
    } finally {
      lock.unlock();
    }
  }

  /**
   * Datagrams waiting to be read.
   *
   * @return how many
   */
  public int queued() {
    lock.lock();
    try {
      return count;
    } finally {
      lock.unlock();
    }
  }

  /** Releases the port and wakes every waiting reader. */
  public void close() {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      readable.signalAll();
    } finally {
      lock.unlock();
    }
    stack.unbindUdp(this);
  }

  /**
   * Whether {@link #close} was called.
   *
   * @return whether closed
   */
  public boolean isClosed() {
    lock.lock();
    try {
      return closed;
    } finally {
      lock.unlock();
    }
  }

  /** Stack thread: queues a datagram; returns the drop reason, or null when queued. */
  @Nullable StackDrop deliver(
      byte[] p, int srcOff, int addrLength, int srcPort, int payloadOff, int payloadLength) {
    lock.lock();
    try {
      byte[] pb = peerBytes;
      if (pb != null
          && (pb.length != addrLength
              || peerPort != srcPort
              || !Bytes.equal(pb, 0, p, srcOff, addrLength))) {
        return StackDrop.UDP_NOT_CONNECTED_PEER;
      }
      if (closed || count == data.length) {
        return StackDrop.UDP_QUEUE_FULL;
      }
      int i = (head + count) % data.length;
      if (data[i] == null || data[i].length < payloadLength) {
        data[i] = new byte[Math.max(payloadLength, stack.mtu())];
        from[i] = new byte[16];
      }
      System.arraycopy(p, payloadOff, data[i], 0, payloadLength);
      lengths[i] = payloadLength;
      System.arraycopy(p, srcOff, from[i], 0, addrLength);
      fromLength[i] = addrLength;
      fromPort[i] = srcPort;
      count++;
      readable.signal();
      return null;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stack thread: an ICMP "fragmentation needed" / "packet too big" quoting a datagram we sent to
   * {@code dst}: later datagrams there larger than {@code mtu} are refused until it expires.
   */
  void packetTooBig(byte[] p, int dstOff, int addrLength, int mtu, long nowNanos) {
    int min = addrLength == 16 ? 1280 : 68; // RFC 8200 §5, RFC 791
    if (mtu < min || mtu >= stack.mtu()) {
      return;
    }
    lock.lock();
    try {
      pathMtuAddress = Arrays.copyOfRange(p, dstOff, dstOff + addrLength);
      pathMtu = mtu;
      pathMtuExpires = nowNanos + Stack.PATH_MTU_EXPIRY_NANOS;
    } finally {
      lock.unlock();
    }
  }

  /** Stack thread: an ICMP port unreachable quoting a datagram we sent to {@code dst:dstPort}. */
  void portUnreachable(byte[] p, int dstOff, int addrLength, int dstPort) {
    lock.lock();
    try {
      byte[] pb = peerBytes;
      if (pb != null
          && pb.length == addrLength
          && peerPort == dstPort
          && Bytes.equal(pb, 0, p, dstOff, addrLength)) {
        unreachable = true;
        readable.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }
}
