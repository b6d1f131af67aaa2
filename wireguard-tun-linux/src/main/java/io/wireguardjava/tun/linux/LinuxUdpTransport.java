package io.wireguardjava.tun.linux;

import static io.wireguardjava.tun.linux.SocketLayout.*;

import io.wireguardjava.InetNetwork;
import io.wireguardjava.spi.DatagramAddress;
import io.wireguardjava.spi.DatagramBatch;
import io.wireguardjava.spi.DatagramTransport;
import io.wireguardjava.tun.linux.internal.LibC;
import io.wireguardjava.tun.linux.internal.SocketCalls;
import java.io.IOException;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.channels.ClosedChannelException;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import jnr.ffi.Pointer;

/**
 * The Linux UDP transport: one {@code AF_INET6} datagram socket (dual stack: {@code IPV6_V6ONLY}
 * off) on a raw file descriptor, driven through JNR-FFI on preallocated native memory.
 *
 * <ul>
 *   <li>Receive: {@code recvmmsg(2)}, 32 messages per call, with {@code UDP_GRO} so the kernel
 *       hands over coalesced runs of one peer's datagrams ({@link MmsgReceiver}); the local address
 *       of each from {@code IP_PKTINFO}/{@code IPV6_RECVPKTINFO}. Blocks in {@code poll(2)} on the
 *       socket and an {@code eventfd(2)} that {@link #close()} signals, as {@link LinuxTun} does.
 *   <li>Send: {@code sendmmsg(2)} with {@code UDP_SEGMENT} (GSO) and the peer's sticky source
 *       ({@link MmsgSender}).
 *   <li>Buffers of {@value #SOCKET_BUFFER_BYTES} bytes each way with {@code SO_SNDBUFFORCE}/{@code
 *       SO_RCVBUFFORCE}, falling back to the plain options (capped by {@code net.core.*mem_max})
 *       without CAP_NET_ADMIN; {@code SO_MARK} for {@code FwMark}.
 * </ul>
 *
 * The system property {@value #GSO_PROPERTY}{@code =false} turns UDP GSO and GRO off (tests, or a
 * kernel that misbehaves); the fallback to one datagram per message is then what runs.
 */
public final class LinuxUdpTransport implements DatagramTransport {

  /** Set to {@code false} to send and receive without UDP GSO/GRO. */
  public static final String GSO_PROPERTY = "io.wireguardjava.udp.gso";

  /** wireguard-go's socket buffer size, forced where the capability allows. */
  static final int SOCKET_BUFFER_BYTES = 7 << 20;

  private static final long CLOSE_WAIT_NANOS = 5_000_000_000L;

  private final SocketCalls calls;
  private final LibC libc;
  private final int fd;
  private final int wakeFd;
  private final int port;
  private final boolean gro;
  private final MmsgReceiver receiver;
  private final MmsgSender sender;
  private final Pointer pollFds = LibC.allocate(16);
  private final ReentrantLock closeLock = new ReentrantLock();

  /** Calls inside the descriptor: close() waits for them to leave before closing it. */
  private final DescriptorGate gate = new DescriptorGate();

  private LinuxUdpTransport(
      SocketCalls calls, LibC libc, int fd, int wakeFd, int port, boolean gso, boolean gro) {
    this.calls = calls;
    this.libc = libc;
    this.fd = fd;
    this.wakeFd = wakeFd;
    this.port = port;
    this.gro = gro;
    this.receiver = new MmsgReceiver(calls, fd);
    this.sender = new MmsgSender(calls, fd, gso);
    pollFds.putInt(0, fd);
    pollFds.putShort(4, LibC.POLLIN);
    pollFds.putInt(8, wakeFd);
    pollFds.putShort(12, LibC.POLLIN);
  }

  /**
   * Opens and binds the socket.
   *
   * @param bindAddress the local address; empty: every address, IPv4 and IPv6
   * @param port the port, 0: any
   * @return the open transport
   * @throws BindException when the address and port are taken
   * @throws IOException when the socket cannot be made
   */
  static LinuxUdpTransport open(Optional<InetAddress> bindAddress, int port) throws IOException {
    String p = System.getProperty(GSO_PROPERTY);
    return open(bindAddress, port, p == null || Boolean.parseBoolean(p));
  }

  static LinuxUdpTransport open(Optional<InetAddress> bindAddress, int port, boolean offload)
      throws IOException {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("UDP port out of range: " + port);
    }
    SocketCalls calls = SocketCalls.get();
    LibC libc = LibC.get();
    int fd = calls.socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
      throw new IOException(LibC.describe("socket(AF_INET6, SOCK_DGRAM)", SocketCalls.errno()));
    }
    int wakeFd = -1;
    try {
      Pointer opt = LibC.allocate(SOCKADDR_IN6_SIZE + 8);
      boolean v6only = bindAddress.isPresent() && !(bindAddress.get() instanceof Inet4Address);
      setInt(calls, fd, opt, SOL_IPV6, IPV6_V6ONLY, v6only ? 1 : 0, "IPV6_V6ONLY");
      setInt(calls, fd, opt, SOL_IP, IP_PKTINFO, 1, "IP_PKTINFO");
      setInt(calls, fd, opt, SOL_IPV6, IPV6_RECVPKTINFO, 1, "IPV6_RECVPKTINFO");
      setBuffer(calls, fd, opt, SO_RCVBUFFORCE, SO_RCVBUF);
      setBuffer(calls, fd, opt, SO_SNDBUFFORCE, SO_SNDBUF);
      boolean gro = offload && trySetInt(calls, fd, opt, SOL_UDP, UDP_GRO, 1);
      bind(calls, fd, opt, bindAddress, port);
      opt.putInt(SOCKADDR_IN6_SIZE, SOCKADDR_IN6_SIZE);
      if (calls.getsockname(fd, opt, opt.slice(SOCKADDR_IN6_SIZE)) < 0) {
        throw new IOException(LibC.describe("getsockname", SocketCalls.errno()));
      }
      int bound = ((opt.getByte(SIN6_PORT) & 0xff) << 8) | (opt.getByte(SIN6_PORT + 1) & 0xff);
      wakeFd = libc.eventfd(0, LibC.EFD_NONBLOCK | LibC.EFD_CLOEXEC);
      if (wakeFd < 0) {
        throw new IOException(LibC.describe("eventfd", LibC.errno()));
      }
      return new LinuxUdpTransport(calls, libc, fd, wakeFd, bound, offload, gro);
    } catch (IOException | RuntimeException e) {
      libc.close(fd);
      if (wakeFd >= 0) {
        libc.close(wakeFd);
      }
      throw e;
    }
  }

  private static void bind(
      SocketCalls calls, int fd, Pointer sa, Optional<InetAddress> bindAddress, int port)
      throws IOException {
    for (int i = 0; i < SOCKADDR_IN6_SIZE; i++) {
      sa.putByte(i, (byte) 0);
    }
    sa.putShort(SIN6_FAMILY, (short) AF_INET6);
    sa.putByte(SIN6_PORT, (byte) (port >>> 8));
    sa.putByte(SIN6_PORT + 1, (byte) port);
    if (bindAddress.isPresent()) {
      byte[] a = bindAddress.get().getAddress();
      if (a.length == 4) { // IPv4-mapped: the dual-stack socket then speaks IPv4 only
        sa.putByte(SIN6_ADDR + 10, (byte) 0xff);
        sa.putByte(SIN6_ADDR + 11, (byte) 0xff);
        sa.put(SIN6_ADDR + 12, a, 0, 4);
      } else {
        sa.put(SIN6_ADDR, a, 0, 16);
      }
    }
    if (calls.bind(fd, sa, SOCKADDR_IN6_SIZE) < 0) {
      int errno = SocketCalls.errno();
      String what =
          "cannot bind UDP "
              + bindAddress.map(InetNetwork::addressText).orElse("*")
              + " port "
              + port
              + ": "
              + LibC.describe("bind", errno);
      throw errno == EADDRINUSE || errno == EADDRNOTAVAIL
          ? new BindException(what)
          : new IOException(what);
    }
  }

  /** A 7 MiB buffer: forced past the sysctl limit when we may, else as large as it allows. */
  private static void setBuffer(SocketCalls calls, int fd, Pointer opt, int force, int plain) {
    if (!trySetInt(calls, fd, opt, SOL_SOCKET, force, SOCKET_BUFFER_BYTES)) {
      trySetInt(calls, fd, opt, SOL_SOCKET, plain, SOCKET_BUFFER_BYTES); // the defaults work too
    }
  }

  private static void setInt(
      SocketCalls calls, int fd, Pointer opt, int level, int name, int value, String what)
      throws IOException {
    if (!trySetInt(calls, fd, opt, level, name, value)) {
      throw new IOException(LibC.describe("setsockopt " + what, SocketCalls.errno()));
    }
  }

  private static boolean trySetInt(
      SocketCalls calls, int fd, Pointer opt, int level, int name, int value) {
    opt.putInt(0, value);
    return calls.setsockopt(fd, level, name, opt, 4) == 0;
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public int receive(DatagramBatch batch) throws IOException {
    batch.clear();
    if (!gate.enter()) {
      throw new ClosedChannelException();
    }
    try {
      while (true) {
        if (receiver.hasPending()) {
          receiver.drainInto(batch);
          if (batch.count() > 0) {
            return batch.count();
          }
          continue; // only oversized datagrams were pending
        }
        if (receiver.receiveNow() == 0 && !awaitReadable()) {
          throw new ClosedChannelException();
        }
      }
    } finally {
      gate.exit();
    }
  }

  /** Waits until the socket is readable (true) or close() signalled (false). */
  private boolean awaitReadable() throws IOException {
    while (true) {
      pollFds.putShort(6, (short) 0);
      pollFds.putShort(14, (short) 0);
      int r = libc.poll(pollFds, 2, -1);
      if (r < 0) {
        int errno = LibC.errno();
        if (errno == EINTR) {
          continue;
        }
        throw new IOException(LibC.describe("poll (UDP port " + port + ")", errno));
      }
      if (pollFds.getShort(14) != 0 || isClosed()) {
        return false;
      }
      if (pollFds.getShort(6) != 0) {
        return true; // readable, or recvmmsg(2) reports the error
      }
    }
  }

  @Override
  public void send(byte[] buf, int off, int len, DatagramAddress to) throws IOException {
    java.util.Objects.checkFromIndexSize(off, len, buf.length);
    if (!gate.enter()) {
      throw new ClosedChannelException();
    }
    try {
      sender.send(buf, off, len, to);
    } finally {
      gate.exit();
    }
  }

  @Override
  public void send(DatagramBatch batch, DatagramAddress to) throws IOException {
    if (batch.count() == 0) {
      return;
    }
    if (!gate.enter()) {
      throw new ClosedChannelException();
    }
    try {
      sender.send(batch, to);
    } finally {
      gate.exit();
    }
  }

  @Override
  public boolean supportsMark() {
    return true;
  }

  /**
   * Sets {@code SO_MARK}, which needs CAP_NET_ADMIN.
   *
   * @param mark the mark; 0 clears it
   * @throws IOException when the OS refuses, with the errno's text
   */
  @Override
  public void setMark(int mark) throws IOException {
    if (!gate.enter()) {
      throw new ClosedChannelException();
    }
    try {
      Pointer opt = LibC.allocate(4);
      if (!trySetInt(calls, fd, opt, SOL_SOCKET, SO_MARK, mark)) {
        int errno = SocketCalls.errno();
        throw new IOException(
            LibC.describe("setsockopt SO_MARK " + Integer.toUnsignedString(mark), errno)
                + (errno == EPERM ? " (marking packets needs CAP_NET_ADMIN)" : ""));
      }
    } finally {
      gate.exit();
    }
  }

  /**
   * The mark the socket carries now, as the kernel reports it.
   *
   * @return the {@code SO_MARK} value
   * @throws IOException when the OS refuses
   */
  int mark() throws IOException {
    if (!gate.enter()) {
      throw new ClosedChannelException();
    }
    try {
      Pointer opt = LibC.allocate(8);
      opt.putInt(4, 4);
      if (calls.getsockopt(fd, SOL_SOCKET, SO_MARK, opt, opt.slice(4)) < 0) {
        throw new IOException(LibC.describe("getsockopt SO_MARK", SocketCalls.errno()));
      }
      return opt.getInt(0);
    } finally {
      gate.exit();
    }
  }

  /** Whether GSO is still used on send (false after the kernel refused it once). */
  boolean gso() {
    return sender.gso();
  }

  /** Whether the socket asked the kernel for GRO. */
  boolean gro() {
    return gro;
  }

  @Override
  public long oversizedDrops() {
    return receiver.oversizedDrops();
  }

  @Override
  public String description() {
    return "linux-udp ["
        + (sender.gso() ? "gso" : "no gso")
        + ", "
        + (gro ? "gro" : "no gro")
        + ", recvmmsg/sendmmsg]";
  }

  @Override
  public void close() {
    closeLock.lock();
    try {
      if (!gate.markClosed()) {
        return;
      }
      Pointer one = LibC.allocate(8);
      one.putLong(0, 1);
      libc.write(wakeFd, one, 8); // wakes the receiver's poll
      calls.shutdown(fd, SHUT_RDWR); // wakes a sender blocked on a full buffer (ENOTCONN: fine)
      gate.awaitNoCalls(CLOSE_WAIT_NANOS);
      libc.close(fd); // nobody is inside any more: the number cannot be reused under a call
      libc.close(wakeFd);
    } finally {
      closeLock.unlock();
    }
  }

  /**
   * Whether {@link #close()} was called.
   *
   * @return whether the transport is closed
   */
  public boolean isClosed() {
    return gate.isClosed();
  }

  @Override
  public String toString() {
    return "LinuxUdpTransport[port " + port + ", " + description() + "]";
  }
}
