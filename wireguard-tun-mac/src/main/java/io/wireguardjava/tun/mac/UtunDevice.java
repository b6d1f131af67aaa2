package io.wireguardjava.tun.mac;

import io.wireguardjava.spi.PacketDevice;
import io.wireguardjava.tun.mac.Native.LibC;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.ClosedChannelException;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import jnr.ffi.Pointer;

/**
 * A {@link PacketDevice} over a connected utun control socket: every datagram is one IP packet
 * behind a 4-byte address-family header ({@link UtunFraming}).
 *
 * <p>The socket is non-blocking. {@link #read} waits in {@code poll(2)} on the socket and on the
 * read end of a wake pipe; {@link #close()} writes a byte to the pipe, waits for readers and
 * writers to leave (a read-write lock: I/O holds the read side, close the write side), then undoes
 * the interface configuration and closes the descriptors, so no thread can be inside poll on a
 * closed, possibly reused, descriptor.
 *
 * <p>Nothing in this class is specific to utun except the framing, which is why the tests run it on
 * Linux over an {@code AF_UNIX} datagram socketpair.
 */
final class UtunDevice implements PacketDevice {

  private static final System.Logger LOG = System.getLogger(UtunDevice.class.getName());

  /** The largest frame the kernel can hand us: a 64 KiB packet plus the header. */
  static final int MAX_FRAME = 65535 + UtunFraming.HEADER_LENGTH;

  private final LibC libc;
  private final FdConstants constants;
  private final int fd;
  private final String name;
  private final int mtu;
  private final Runnable teardown;
  private final int wakeRead;
  private final int wakeWrite;

  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final CountDownLatch closeDone = new CountDownLatch(1);

  // Reader state: one reader at a time (the PacketDevice contract), guarded by readerLock anyway.
  private final Object readerLock = new Object();
  private final Pointer pollFds = LibC.allocate(2 * Structs.PollFd.SIZE);
  private final Pointer readBuffer = LibC.allocate(MAX_FRAME);
  private final byte[] readFrame = new byte[MAX_FRAME];

  // Writer state, guarded by writerLock.
  private final Object writerLock = new Object();
  private final Pointer writeBuffer = LibC.allocate(MAX_FRAME);
  private final byte[] writeFrame = new byte[MAX_FRAME];

  private UtunDevice(
      LibC libc,
      FdConstants constants,
      int fd,
      String name,
      int mtu,
      Runnable teardown,
      int wakeRead,
      int wakeWrite) {
    this.libc = libc;
    this.constants = constants;
    this.fd = fd;
    this.name = name;
    this.mtu = mtu;
    this.teardown = teardown;
    this.wakeRead = wakeRead;
    this.wakeWrite = wakeWrite;
  }

  /**
   * Wraps the connected datagram socket {@code fd}, which the device owns from now on (also when
   * this throws: it is closed then). {@code teardown} runs once on {@link #close()}, before the
   * socket is closed.
   */
  static UtunDevice wrap(
      LibC libc, FdConstants constants, int fd, String name, int mtu, Runnable teardown)
      throws IOException {
    Pointer pipe = LibC.allocate(8);
    if (libc.pipe(pipe) != 0) {
      int errno = LibC.errno();
      libc.close(fd);
      throw new IOException(LibC.describe("pipe", errno));
    }
    int wakeRead = pipe.getInt(0);
    int wakeWrite = pipe.getInt(4);
    try {
      setNonBlocking(libc, constants, fd);
      setNonBlocking(libc, constants, wakeRead);
      setNonBlocking(libc, constants, wakeWrite);
    } catch (IOException e) {
      libc.close(wakeRead);
      libc.close(wakeWrite);
      libc.close(fd);
      throw e;
    }
    return new UtunDevice(libc, constants, fd, name, mtu, teardown, wakeRead, wakeWrite);
  }

  private static void setNonBlocking(LibC libc, FdConstants constants, int fd) throws IOException {
    int flags = libc.fcntl(fd, Darwin.F_GETFL, 0);
    if (flags < 0 || libc.fcntl(fd, Darwin.F_SETFL, flags | constants.oNonblock()) < 0) {
      throw new IOException(LibC.describe("fcntl(O_NONBLOCK)", LibC.errno()));
    }
    // Not inherited by the ifconfig/route processes we start (the JDK closes them anyway).
    libc.fcntl(fd, Darwin.F_SETFD, Darwin.FD_CLOEXEC);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int mtu() {
    return mtu;
  }

  /**
   * Reads one packet into {@code buf[offset..offset+length)}; the caller owns {@code buf} and the
   * device does not keep it. Frames that are not IPv4/IPv6 or do not fit in {@code length} are
   * dropped and the read goes on.
   */
  @Override
  public int read(byte[] buf, int offset, int length) throws IOException {
    Objects.checkFromIndexSize(offset, length, buf.length);
    lifecycle.readLock().lock();
    try {
      synchronized (readerLock) {
        return readLocked(buf, offset, length);
      }
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  private int readLocked(byte[] buf, int offset, int length) throws IOException {
    while (true) {
      if (closed.get()) {
        return -1;
      }
      pollFds.putInt(Structs.PollFd.FD, fd);
      pollFds.putShort(Structs.PollFd.EVENTS, Darwin.POLLIN);
      pollFds.putShort(Structs.PollFd.REVENTS, (short) 0);
      pollFds.putInt(Structs.PollFd.SIZE + Structs.PollFd.FD, wakeRead);
      pollFds.putShort(Structs.PollFd.SIZE + Structs.PollFd.EVENTS, Darwin.POLLIN);
      pollFds.putShort(Structs.PollFd.SIZE + Structs.PollFd.REVENTS, (short) 0);
      if (libc.poll(pollFds, 2, -1) < 0) {
        int errno = LibC.errno();
        if (errno == constants.eintr()) {
          continue;
        }
        throw new IOException(LibC.describe("poll " + name, errno));
      }
      short wakeEvents = pollFds.getShort(Structs.PollFd.SIZE + Structs.PollFd.REVENTS);
      if (closed.get() || wakeEvents != 0) {
        return -1;
      }
      short events = pollFds.getShort(Structs.PollFd.REVENTS);
      if ((events & Darwin.POLLIN) == 0) {
        if ((events & (Darwin.POLLERR | Darwin.POLLHUP | Darwin.POLLNVAL)) != 0) {
          throw new IOException("poll " + name + ": error events 0x" + Integer.toHexString(events));
        }
        continue;
      }
      long n = libc.read(fd, readBuffer, MAX_FRAME);
      if (n < 0) {
        int errno = LibC.errno();
        if (errno == constants.eagain() || errno == constants.eintr()) {
          continue;
        }
        throw new IOException(LibC.describe("read " + name, errno));
      }
      if (n == 0) {
        throw new IOException("read " + name + ": the kernel closed the utun socket");
      }
      int frameLength = (int) n;
      readBuffer.get(0, readFrame, 0, frameLength);
      int packetLength = UtunFraming.unframe(readFrame, frameLength, buf, offset, length);
      if (packetLength >= 0) {
        return packetLength;
      }
      LOG.log(Level.DEBUG, "{0}: dropped a frame of {1} bytes", name, frameLength);
    }
  }

  /**
   * Writes one IPv4 or IPv6 packet, {@code buf[offset..offset+length)}; the caller owns {@code
   * buf}. A packet the kernel has no room for right now ({@code EAGAIN}) is dropped, as a full
   * queue would drop it.
   *
   * @throws ClosedChannelException after {@link #close()}
   * @throws IOException when the packet is not IP, is larger than 64 KiB, or the write fails
   */
  @Override
  public void write(byte[] buf, int offset, int length) throws IOException {
    Objects.checkFromIndexSize(offset, length, buf.length);
    lifecycle.readLock().lock();
    try {
      if (closed.get()) {
        throw new ClosedChannelException();
      }
      synchronized (writerLock) {
        int frameLength;
        try {
          frameLength = UtunFraming.frame(buf, offset, length, writeFrame);
        } catch (IllegalArgumentException e) {
          throw new IOException("write " + name + ": " + e.getMessage(), e);
        }
        writeBuffer.put(0, writeFrame, 0, frameLength);
        while (true) {
          long n = libc.write(fd, writeBuffer, frameLength);
          if (n >= 0) {
            return;
          }
          int errno = LibC.errno();
          if (errno == constants.eintr()) {
            continue;
          }
          if (errno == constants.eagain()) {
            LOG.log(Level.DEBUG, "{0}: kernel queue full, dropped a packet", name);
            return;
          }
          throw new IOException(LibC.describe("write " + name, errno));
        }
      }
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  /**
   * Wakes a blocked reader, waits until no thread is inside {@link #read} or {@link #write}, undoes
   * the interface configuration, and closes the socket (which destroys the utun interface).
   * Idempotent; a second caller also waits for the first close to finish.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      awaitClose();
      return;
    }
    Pointer one = LibC.allocate(1);
    one.putByte(0, (byte) 1);
    libc.write(wakeWrite, one, 1); // non-blocking; one byte wakes every poll from now on
    lifecycle.writeLock().lock();
    try {
      try {
        teardown.run();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, name + ": undoing the interface configuration failed", e);
      }
      libc.close(fd);
      libc.close(wakeRead);
      libc.close(wakeWrite);
    } finally {
      lifecycle.writeLock().unlock();
      closeDone.countDown();
    }
  }

  private void awaitClose() {
    boolean interrupted = false;
    while (true) {
      try {
        closeDone.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
