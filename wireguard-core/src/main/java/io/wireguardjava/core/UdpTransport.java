package io.wireguardjava.core;

import io.wireguardjava.spi.DatagramAddress;
import io.wireguardjava.spi.DatagramBatch;
import io.wireguardjava.spi.DatagramTransport;
import io.wireguardjava.spi.DatagramTransportProvider;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The tunnel's UDP socket as the engine sees it: a {@link DatagramTransport} that can be replaced
 * ({@link #rebind}) and marked, chosen once when the tunnel opens: the first available {@link
 * DatagramTransportProvider} on the class path (Linux: batched system calls, GSO/GRO, sticky
 * source, {@code SO_MARK}), else, or when the application asks for it, the portable {@link
 * JdkUdpTransport}.
 *
 * <p>{@link #rebind} opens the new socket before closing the old one, so a failure leaves the
 * tunnel on its old port; the receive thread sees the old socket close and continues on the new
 * one, a sender racing with the swap retries once on it. The mark follows to the new socket.
 */
final class UdpTransport implements AutoCloseable, DatagramSender {
  private static final System.Logger LOG = System.getLogger(UdpTransport.class.getName());

  /** System property: {@code jdk} forces the portable transport (as the TunnelOptions switch). */
  static final String TRANSPORT_PROPERTY = "io.wireguardjava.udp.transport";

  /** How to open a socket: a provider's, or the JDK's. */
  private interface Opener {
    DatagramTransport open(Optional<InetAddress> bindAddress, int port) throws IOException;
  }

  private final Optional<InetAddress> bindAddress;
  private final Opener opener;
  private final boolean portable;
  private final ReentrantLock lock = new ReentrantLock();
  private volatile DatagramTransport current;
  private volatile boolean closed;
  private int mark;

  UdpTransport(Optional<InetAddress> bindAddress, int port, boolean portable) throws IOException {
    this.bindAddress = bindAddress;
    Optional<DatagramTransportProvider> p = osProvider(portable);
    this.opener = p.isPresent() ? p.get()::open : JdkUdpTransport::open;
    this.portable = p.isEmpty();
    this.current = opener.open(bindAddress, port);
    LOG.log(Level.DEBUG, () -> "UDP port " + current.port() + ": " + current.description());
  }

  /** Whether a tunnel opened with {@code options} would get an OS transport. */
  static boolean osTransportAvailable(io.wireguardjava.TunnelOptions options) {
    return osProvider(options.portableUdpTransport()).isPresent();
  }

  private static Optional<DatagramTransportProvider> osProvider(boolean portable) {
    if (portable || "jdk".equals(System.getProperty(TRANSPORT_PROPERTY))) {
      return Optional.empty();
    }
    for (DatagramTransportProvider p : ServiceLoader.load(DatagramTransportProvider.class)) {
      if (p.isAvailable()) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** Whether this is the JDK's portable transport (no OS provider, or asked for). */
  boolean portable() {
    return portable;
  }

  /** The bound port. */
  int port() {
    return current.port();
  }

  /** What the socket is, for diagnostics and tests. */
  String description() {
    return current.description();
  }

  /** Whether packets can be marked (SO_MARK), so a FwMark can be applied. */
  boolean supportsMark() {
    return current.supportsMark();
  }

  /**
   * Receives into {@code batch}; blocks.
   *
   * @return the count, or 0 when the socket was replaced by {@link #rebind} (call again)
   * @throws ClosedChannelException once the transport is closed
   */
  int receive(DatagramBatch batch) throws IOException {
    DatagramTransport t = current;
    try {
      return t.receive(batch);
    } catch (ClosedChannelException e) { // includes AsynchronousCloseException
      if (closed) {
        throw new ClosedChannelException();
      }
      if (t == current) {
        throw e;
      }
      batch.clear();
      return 0; // rebound
    }
  }

  /** Sends {@code buf[off..off+len)} to {@code to}. */
  @Override
  public void send(byte[] buf, int off, int len, DatagramAddress to) throws IOException {
    DatagramTransport t = current;
    try {
      t.send(buf, off, len, to);
    } catch (ClosedChannelException e) {
      if (closed || t == current) {
        throw e;
      }
      current.send(buf, off, len, to); // raced with a rebind: use the new socket
    }
  }

  /** Sends every datagram of {@code batch} to {@code to}, GSO where the transport has it. */
  @Override
  public void send(DatagramBatch batch, DatagramAddress to) throws IOException {
    DatagramTransport t = current;
    try {
      t.send(batch, to);
    } catch (ClosedChannelException e) {
      if (closed || t == current) {
        throw e;
      }
      current.send(batch, to);
    }
  }

  /**
   * Sends a heap buffer's remaining bytes to a socket address: for the handshake paths, which are
   * not per packet (allocates the address holder).
   */
  @Override
  public void send(ByteBuffer datagram, InetSocketAddress to) throws IOException {
    int off = datagram.arrayOffset() + datagram.position();
    send(datagram.array(), off, datagram.remaining(), DatagramAddress.of(to));
    datagram.position(datagram.limit());
  }

  /**
   * Marks the socket's packets (SO_MARK), now and after a rebind.
   *
   * @throws UnsupportedOperationException when the transport cannot mark
   * @throws IOException when the OS refuses
   */
  void setMark(int newMark) throws IOException {
    lock.lock();
    try {
      current.setMark(newMark);
      mark = newMark;
    } finally {
      lock.unlock();
    }
  }

  /** Moves to {@code newPort} (0: any); on failure, stays on the old port. */
  void rebind(int newPort) throws IOException {
    lock.lock();
    try {
      DatagramTransport old = current;
      if (newPort != 0 && newPort == old.port()) {
        return;
      }
      DatagramTransport fresh = opener.open(bindAddress, newPort);
      try {
        if (mark != 0) {
          fresh.setMark(mark);
        }
      } catch (IOException | RuntimeException e) {
        fresh.close();
        throw e;
      }
      current = fresh;
      old.close();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      current.close();
    } finally {
      lock.unlock();
    }
  }
}
