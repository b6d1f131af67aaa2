package io.wireguardjava.tun.linux;

import io.wireguardjava.spi.PacketDevice;
import io.wireguardjava.tun.linux.internal.LibC;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;
import jnr.ffi.Pointer;

/**
 * A Linux TUN interface ({@code IFF_TUN | IFF_NO_PI}): every {@link #read} returns one IPv4 or IPv6
 * packet that the host routed into the interface, every {@link #write} hands one to the host.
 *
 * <p>The file descriptor is non-blocking. A reader first tries {@code read(2)}; when nothing is
 * queued it waits in {@code poll(2)} on the TUN descriptor and on an {@code eventfd(2)} that {@link
 * #close()} signals, so a blocked reader wakes up at once and returns {@code -1}. {@code close()}
 * then waits for the reader to leave before it closes the descriptors (so no call can run on a
 * reused descriptor number), which deletes the interface with its addresses and routes, and finally
 * runs the {@link Teardown} that undoes what the configuration added outside the interface.
 *
 * <p>Buffers: the caller owns the arrays passed to {@code read} and {@code write}; the device
 * copies packets through its own native buffers and keeps no reference to them.
 */
public final class LinuxTun implements PacketDevice {

  /** Largest packet the kernel hands out on a TUN without offloads (IP total length). */
  private static final int MAX_PACKET = 65535;

  /**
   * Whether TUNs are opened with TSO offload ({@link VirtioNet}): system property {@value
   * #OFFLOAD_PROPERTY}, "true" or "false".
   */
  static final String OFFLOAD_PROPERTY = "io.wireguardjava.tun.linux.offload";

  static final boolean OFFLOAD_DEFAULT = false;

  private static final long CLOSE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(5);

  /**
   * Undoes a configuration: {@link #beforeClose} runs while the interface exists, {@link
   * #afterClose} after.
   */
  interface Teardown {
    Teardown NONE = new Teardown() {};

    default void beforeClose() {}

    default void afterClose() {}
  }

  /**
   * How often the reader asks the kernel for the MTU (SIOCGIFMTU) to notice {@code ip link set
   * mtu}.
   */
  private static final long MTU_CHECK_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final LibC libc;
  private final int fd;
  private final int wakeFd;

  /** An AF_INET datagram socket, only for the interface ioctls (MTU). */
  private final int ctlFd;

  private final String name;
  private volatile int mtu;
  private volatile IntConsumer mtuListener = m -> {};

  /** Reader thread only: when the MTU is next asked for. */
  private long nextMtuCheck;

  private final Pointer mtuReq = LibC.allocate(LibC.IFREQ_SIZE);

  /** Guards {@link #mtuReq}, shared by {@link #setMtu} and the reader's check. */
  private final ReentrantLock mtuLock = new ReentrantLock();

  private volatile Teardown teardown = Teardown.NONE;

  private final boolean offload;
  private final Pointer readBuf = LibC.allocate(MAX_PACKET + VirtioNet.HEADER_LEN);
  // offload: the raw read, the segments it was split into, and the next one to hand out
  private final byte[] raw;
  private final byte[] segment;
  private final byte[] pending;
  private final int[] pendingOffset = new int[128];
  private final int[] pendingLength = new int[128];
  private int pendingCount;
  private int pendingNext;
  private final Pointer pollFds = LibC.allocate(16);
  private final Pointer writeBuf = LibC.allocate(MAX_PACKET + VirtioNet.HEADER_LEN);
  private final Object writeLock = new Object();
  private final Object closeLock = new Object();

  /** Calls in progress; {@link #CLOSED_BIT} set once close() started. */
  private final AtomicInteger state = new AtomicInteger();

  private static final int CLOSED_BIT = 1 << 30;

  private LinuxTun(
      LibC libc, int fd, int wakeFd, int ctlFd, String name, int mtu, boolean offload) {
    this.libc = libc;
    this.ctlFd = ctlFd;
    this.nextMtuCheck = System.nanoTime() + MTU_CHECK_NANOS;
    this.offload = offload;
    this.raw = new byte[offload ? MAX_PACKET + VirtioNet.HEADER_LEN : 0];
    this.segment = new byte[offload ? MAX_PACKET : 0];
    this.pending = new byte[offload ? 2 * MAX_PACKET : 0];
    this.fd = fd;
    this.wakeFd = wakeFd;
    this.name = name;
    this.mtu = mtu;
    pollFds.putInt(0, fd);
    pollFds.putShort(4, LibC.POLLIN);
    pollFds.putInt(8, wakeFd);
    pollFds.putShort(12, LibC.POLLIN);
  }

  /**
   * Creates a TUN interface; it is down, without addresses, until configured.
   *
   * @param requestedName the interface name, at most 15 bytes; empty: the kernel picks {@code tunN}
   * @param mtu the MTU the caller will set on the interface (reported by {@link #mtu()})
   * @return the open device; closing it deletes the interface
   * @throws IOException when {@code /dev/net/tun} cannot be opened or {@code TUNSETIFF} fails
   */
  public static LinuxTun create(Optional<String> requestedName, int mtu) throws IOException {
    String p = System.getProperty(OFFLOAD_PROPERTY);
    return create(requestedName, mtu, p == null ? OFFLOAD_DEFAULT : Boolean.parseBoolean(p));
  }

  /**
   * As {@link #create(Optional, int)}; with {@code offload}, the kernel may hand over TCP
   * super-packets of up to 64 KB (TSO), which {@link #read} splits into MTU-sized packets: one
   * read(2) per up to ~44 packets instead of one each.
   */
  static LinuxTun create(Optional<String> requestedName, int mtu, boolean offload)
      throws IOException {
    LinuxTunSupport.ensureAvailability();
    byte[] nameBytes = requestedName.orElse("").getBytes(StandardCharsets.US_ASCII);
    if (nameBytes.length >= LibC.IFNAMSIZ
        || requestedName.map(n -> n.contains("/")).orElse(false)) {
      throw new IOException(
          "invalid interface name '" + requestedName.get() + "' (at most 15 characters, no '/')");
    }
    LibC libc = LibC.get();
    int fd = libc.open("/dev/net/tun", LibC.O_RDWR | LibC.O_NONBLOCK | LibC.O_CLOEXEC);
    if (fd < 0) {
      throw new IOException(LibC.describe("open /dev/net/tun", LibC.errno()));
    }
    int wakeFd = -1;
    int ctlFd = -1;
    try {
      Pointer ifr = LibC.allocate(LibC.IFREQ_SIZE);
      ifr.put(0, nameBytes, 0, nameBytes.length);
      ifr.putShort(
          LibC.IFNAMSIZ,
          (short) (LibC.IFF_TUN | LibC.IFF_NO_PI | (offload ? LibC.IFF_VNET_HDR : 0)));
      if (libc.ioctl(fd, LibC.TUNSETIFF, ifr) < 0) {
        int e = LibC.errno();
        String hint = e == LibC.EBUSY ? " (an interface with that name exists already)" : "";
        throw new IOException(
            LibC.describe("TUNSETIFF " + requestedName.orElse("(any name)"), e) + hint);
      }
      String name = ifr.getString(0, LibC.IFNAMSIZ, StandardCharsets.US_ASCII);
      if (offload) {
        // the argument is the flag word itself, passed in the pointer's place
        Pointer flags =
            Pointer.wrap(
                jnr.ffi.Runtime.getRuntime(libc),
                LibC.TUN_F_CSUM | LibC.TUN_F_TSO4 | LibC.TUN_F_TSO6);
        if (libc.ioctl(fd, LibC.TUNSETOFFLOAD, flags) < 0) {
          throw new IOException(LibC.describe("TUNSETOFFLOAD " + name, LibC.errno()));
        }
      }
      wakeFd = libc.eventfd(0, LibC.EFD_NONBLOCK | LibC.EFD_CLOEXEC);
      if (wakeFd < 0) {
        throw new IOException(LibC.describe("eventfd", LibC.errno()));
      }
      ctlFd = libc.socket(LibC.AF_INET, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, 0);
      if (ctlFd < 0) {
        throw new IOException(LibC.describe("socket(AF_INET) for " + name, LibC.errno()));
      }
      return new LinuxTun(libc, fd, wakeFd, ctlFd, name, mtu, offload);
    } catch (IOException | RuntimeException e) {
      libc.close(fd);
      if (wakeFd >= 0) {
        libc.close(wakeFd);
      }
      if (ctlFd >= 0) {
        libc.close(ctlFd);
      }
      throw e;
    }
  }

  void setTeardown(Teardown teardown) {
    this.teardown = teardown;
  }

  /**
   * Sets the interface's link MTU ({@code SIOCSIFMTU}, as {@code ip link set mtu}).
   *
   * @throws IOException when the kernel refuses it (the old MTU stays)
   */
  @Override
  public void setMtu(int newMtu) throws IOException {
    if (!enter()) {
      throw new ClosedChannelException();
    }
    try {
      mtuLock.lock();
      try {
        ifreq();
        mtuReq.putInt(LibC.IFNAMSIZ, newMtu);
        if (libc.ioctl(ctlFd, LibC.SIOCSIFMTU, mtuReq) < 0) {
          throw new IOException(LibC.describe("SIOCSIFMTU " + name + " " + newMtu, LibC.errno()));
        }
        mtu = newMtu;
      } finally {
        mtuLock.unlock();
      }
    } finally {
      exit();
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>The reader notices a change within a second ({@code SIOCGIFMTU}, asked at most once a second
   * while reading or waiting), and at once when a packet longer than the known MTU arrives; the
   * listener is called on the reading thread.
   */
  @Override
  public void onMtuChange(IntConsumer listener) {
    this.mtuListener = listener;
  }

  /** Asks the kernel for the MTU and tells the listener when it changed (reader thread). */
  private void checkMtu() {
    nextMtuCheck = System.nanoTime() + MTU_CHECK_NANOS;
    int now;
    mtuLock.lock();
    try {
      ifreq();
      if (libc.ioctl(ctlFd, LibC.SIOCGIFMTU, mtuReq) < 0) {
        return; // the interface is going away: the read reports that
      }
      now = mtuReq.getInt(LibC.IFNAMSIZ);
      if (now == mtu) {
        return;
      }
      mtu = now;
    } finally {
      mtuLock.unlock();
    }
    mtuListener.accept(now);
  }

  private void ifreq() {
    byte[] n = name.getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < LibC.IFREQ_SIZE; i++) {
      mtuReq.putByte(i, (byte) 0);
    }
    mtuReq.put(0, n, 0, n.length);
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
   * {@inheritDoc}
   *
   * <p>Also returns {@code -1} when the interface was deleted from outside ({@code ip link delete},
   * as {@code wg-quick down} does): the tunnel should then close. A packet longer than {@code
   * length} is cut to it and its full length returned (the contract), so the caller sees and counts
   * it.
   */
  @Override
  public int read(byte[] buf, int offset, int length) throws IOException {
    if (!enter()) {
      return -1;
    }
    try {
      while (true) {
        if (System.nanoTime() - nextMtuCheck >= 0) {
          checkMtu();
        }
        if (pendingNext < pendingCount) {
          int i = pendingNext++;
          System.arraycopy(
              pending, pendingOffset[i], buf, offset, Math.min(length, pendingLength[i]));
          return pendingLength[i];
        }
        long n = libc.read(fd, readBuf, MAX_PACKET + (offload ? VirtioNet.HEADER_LEN : 0));
        if (n > 0 && offload) {
          readBuf.get(0, raw, 0, (int) n);
          pendingCount = 0;
          pendingNext = 0;
          VirtioNet.unpack(raw, (int) n, segment, this::queue);
          continue;
        }
        if (n > 0) {
          if (n > mtu) {
            checkMtu(); // ip link set mtu raised it: say so before the packet is judged too large
          }
          readBuf.get(0, buf, offset, (int) Math.min(n, length));
          return (int) n;
        }
        int errno = n < 0 ? LibC.errno() : LibC.EAGAIN;
        if (errno == LibC.EINTR) {
          continue;
        }
        if (errno == LibC.EBADFD) {
          // the interface was deleted (ip link delete, wg-quick down): the end of this device
          return -1;
        }
        if (errno != LibC.EAGAIN) {
          if (isClosed()) {
            return -1;
          }
          throw new IOException(LibC.describe("read " + name, errno));
        }
        if (!awaitReadable()) {
          return -1;
        }
      }
    } finally {
      exit();
    }
  }

  /** Queues one packet of an offloaded read (called by the reader thread only). */
  private void queue(byte[] b, int off, int len) {
    int at =
        pendingCount == 0 ? 0 : pendingOffset[pendingCount - 1] + pendingLength[pendingCount - 1];
    if (pendingCount == pendingOffset.length || at + len > pending.length) {
      return; // cannot happen for 64 KB reads: drop, as a full queue would
    }
    System.arraycopy(b, off, pending, at, len);
    pendingOffset[pendingCount] = at;
    pendingLength[pendingCount] = len;
    pendingCount++;
  }

  /** Waits until the TUN is readable (true) or close() signalled (false). */
  private boolean awaitReadable() throws IOException {
    while (true) {
      pollFds.putShort(6, (short) 0);
      pollFds.putShort(14, (short) 0);
      int r = libc.poll(pollFds, 2, (int) TimeUnit.NANOSECONDS.toMillis(MTU_CHECK_NANOS));
      if (r < 0) {
        int errno = LibC.errno();
        if (errno == LibC.EINTR) {
          continue;
        }
        throw new IOException(LibC.describe("poll " + name, errno));
      }
      if (pollFds.getShort(14) != 0 || isClosed()) {
        return false;
      }
      if (r == 0) {
        checkMtu(); // idle a second: the MTU may still have changed
        continue;
      }
      short revents = pollFds.getShort(6);
      if ((revents & (LibC.POLLIN | LibC.POLLERR | LibC.POLLHUP | LibC.POLLNVAL)) != 0) {
        return true; // readable, or read(2) reports the error
      }
    }
  }

  @Override
  public void write(byte[] buf, int offset, int length) throws IOException {
    if (length > MAX_PACKET || length < 0) {
      throw new IOException("packet of " + length + " bytes is too large for " + name);
    }
    if (!enter()) {
      throw new ClosedChannelException();
    }
    try {
      synchronized (writeLock) {
        int header = offload ? VirtioNet.HEADER_LEN : 0; // all zero: no GSO, checksums done
        writeBuf.put(header, buf, offset, length);
        while (true) {
          long n = libc.write(fd, writeBuf, length + header);
          if (n >= 0) {
            return;
          }
          int errno = LibC.errno();
          if (errno == LibC.EINTR) {
            continue;
          }
          if (errno == LibC.EAGAIN) {
            return; // the host's queue is full: drop, as a NIC would
          }
          throw new IOException(LibC.describe("write " + name + " (" + length + " bytes)", errno));
        }
      }
    } finally {
      exit();
    }
  }

  @Override
  public void close() {
    synchronized (closeLock) {
      int s = state.get();
      if ((s & CLOSED_BIT) != 0) {
        return;
      }
      while (!state.compareAndSet(s, s | CLOSED_BIT)) {
        s = state.get();
      }
      try {
        teardown.beforeClose();
      } finally {
        Pointer one = LibC.allocate(8);
        one.putLong(0, 1);
        libc.write(wakeFd, one, 8);
        long deadline = System.nanoTime() + CLOSE_WAIT_NANOS;
        while ((state.get() & ~CLOSED_BIT) != 0 && System.nanoTime() < deadline) {
          LockSupport.parkNanos(100_000);
        }
        libc.close(fd);
        libc.close(wakeFd);
        libc.close(ctlFd); // no reader or setMtu is inside any more (the wait above)
        teardown.afterClose();
      }
    }
  }

  /**
   * Whether {@link #close()} was called.
   *
   * @return whether {@link #close()} was called
   */
  public boolean isClosed() {
    return (state.get() & CLOSED_BIT) != 0;
  }

  private boolean enter() {
    int s = state.incrementAndGet();
    if ((s & CLOSED_BIT) != 0) {
      state.decrementAndGet();
      return false;
    }
    return true;
  }

  private void exit() {
    state.decrementAndGet();
  }

  @Override
  public String toString() {
    return "LinuxTun[" + name + ", mtu " + mtu + "]";
  }
}
