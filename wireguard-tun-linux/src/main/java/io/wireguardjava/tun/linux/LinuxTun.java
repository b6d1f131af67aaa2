package io.wireguardjava.tun.linux;

import io.wireguardjava.spi.PacketBatch;
import io.wireguardjava.spi.PacketDevice;
import io.wireguardjava.tun.linux.internal.LibC;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
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
 * <p>Offload (on by default; system property {@value #OFFLOAD_PROPERTY}{@code =false} turns it
 * off): the TUN is opened with {@code IFF_VNET_HDR} and {@code TUNSETOFFLOAD} (checksum, TSO for
 * IPv4 and IPv6, and USO when the kernel takes it), so one {@code read(2)} may carry a TCP or UDP
 * super-packet of up to 64 KB that {@link GsoSplit} cuts into MTU-sized packets, and {@link
 * #writeBatch} merges the segments of each flow into one write ({@link GroCoalesce}). When the
 * kernel refuses the offloads, the device reopens without them.
 *
 * <p>Buffers: the caller owns the arrays passed to {@code read} and {@code write} and the batches;
 * the device copies packets through its own preallocated buffers and keeps no reference to them.
 */
public final class LinuxTun implements PacketDevice {

  /** Largest packet the kernel hands out on a TUN without offloads (IP total length). */
  private static final int MAX_PACKET = 65535;

  /**
   * Whether TUNs are opened with offloads (virtio header, checksum, TSO, USO): system property
   * {@value #OFFLOAD_PROPERTY}, "true" (the default) or "false".
   */
  static final String OFFLOAD_PROPERTY = "io.wireguardjava.tun.linux.offload";

  static final boolean OFFLOAD_DEFAULT = true;

  private static final System.Logger LOG = System.getLogger(LinuxTun.class.getName());

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

  /** The TUN_F_* offloads the kernel took; 0 without IFF_VNET_HDR. */
  private final int offloads;

  /** Whether every read and write carries a virtio_net_hdr (IFF_VNET_HDR). */
  private final boolean vnetHdr;

  // reader thread only: the last read, and which of the packets it was split into come next
  private final Pointer readBuf = LibC.allocate(MAX_PACKET + VirtioNetHeader.LENGTH);
  private final byte[] raw;
  private final GsoSplit split = new GsoSplit();
  private final byte[] oversize;
  private int splitNext;
  private int splitCount;
  private long malformedReads;
  private long superPacketReads;

  private final Pointer pollFds = LibC.allocate(16);

  // writers, under writeLock
  private final ReentrantLock writeLock = new ReentrantLock();
  private final Pointer writeBuf = LibC.allocate(MAX_PACKET + VirtioNetHeader.LENGTH);
  private final byte[] writeScratch;
  private final GroCoalesce coalesce;

  /** Cleared when the kernel refuses a merged write: from then on every packet goes alone. */
  private boolean coalescing;

  private long mergedWrites;

  private final ReentrantLock closeLock = new ReentrantLock();

  /** Calls into fd, wakeFd and ctlFd: close() waits for them to leave before closing those. */
  private final DescriptorGate gate = new DescriptorGate();

  private LinuxTun(
      LibC libc,
      int fd,
      int wakeFd,
      int ctlFd,
      String name,
      int mtu,
      boolean vnetHdr,
      int offloads) {
    this.libc = libc;
    this.ctlFd = ctlFd;
    this.nextMtuCheck = System.nanoTime() + MTU_CHECK_NANOS;
    this.vnetHdr = vnetHdr;
    this.offloads = offloads;
    this.raw = new byte[vnetHdr ? MAX_PACKET + VirtioNetHeader.LENGTH : 0];
    this.oversize = new byte[vnetHdr ? MAX_PACKET : 0];
    this.writeScratch = new byte[vnetHdr ? MAX_PACKET + VirtioNetHeader.LENGTH : 0];
    this.coalesce = new GroCoalesce((offloads & LibC.TUN_F_USO4) != 0);
    this.coalescing = vnetHdr;
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
   * Creates a TUN interface; it is down, without addresses, until configured. The first one of a
   * JVM also starts {@link TunWarmUp} in the background.
   *
   * @param requestedName the interface name, at most 15 bytes; empty: the kernel picks {@code tunN}
   * @param mtu the MTU the caller will set on the interface (reported by {@link #mtu()})
   * @return the open device; closing it deletes the interface
   * @throws IOException when {@code /dev/net/tun} cannot be opened or {@code TUNSETIFF} fails
   */
  public static LinuxTun create(Optional<String> requestedName, int mtu) throws IOException {
    String p = System.getProperty(OFFLOAD_PROPERTY);
    LinuxTun tun =
        create(requestedName, mtu, p == null ? OFFLOAD_DEFAULT : Boolean.parseBoolean(p));
    // once per JVM, in the background: the JIT compiles this device's read and write path
    TunWarmUp.startOnce(tun.vnetHdr, tun.offloads, tun.mtu);
    return tun;
  }

  /**
   * As {@link #create(Optional, int)}; with {@code offload}, the kernel may hand over TCP and UDP
   * super-packets of up to 64 KB (TSO, USO), which {@link #read} splits into MTU-sized packets: one
   * read(2) per up to ~44 packets instead of one each. When the kernel refuses the offloads, the
   * TUN is opened again without them.
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
      int offloads = 0;
      if (offload) {
        offloads = setOffload(libc, fd, name);
        if (offloads == 0) {
          libc.close(fd); // deletes the interface, so the name is free again
          fd = -1;
          return create(requestedName, mtu, false);
        }
      }
      return wrap(libc, fd, name, mtu, offload, offloads);
    } catch (IOException | RuntimeException e) {
      if (fd >= 0) {
        libc.close(fd);
      }
      throw e;
    }
  }

  /**
   * A device that reads and writes {@code fd} with exactly the code a TUN gets, for {@link
   * TunWarmUp}: any non-blocking descriptor that keeps packet boundaries (a {@code SOCK_SEQPACKET}
   * socket). No interface exists, so the MTU checks find none and keep {@code mtu}. Closing the
   * device closes {@code fd}; on an exception, the caller still owns it.
   */
  static LinuxTun overDescriptor(int fd, String name, int mtu, boolean vnetHdr, int offloads)
      throws IOException {
    return wrap(LibC.get(), fd, name, mtu, vnetHdr, offloads);
  }

  /** The device on an open {@code fd}, with its wake-up eventfd and ioctl socket. */
  private static LinuxTun wrap(
      LibC libc, int fd, String name, int mtu, boolean vnetHdr, int offloads) throws IOException {
    int wakeFd = -1;
    int ctlFd = -1;
    try {
      wakeFd = libc.eventfd(0, LibC.EFD_NONBLOCK | LibC.EFD_CLOEXEC);
      if (wakeFd < 0) {
        throw new IOException(LibC.describe("eventfd", LibC.errno()));
      }
      ctlFd = libc.socket(LibC.AF_INET, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, 0);
      if (ctlFd < 0) {
        throw new IOException(LibC.describe("socket(AF_INET) for " + name, LibC.errno()));
      }
      return new LinuxTun(libc, fd, wakeFd, ctlFd, name, mtu, vnetHdr, offloads);
    } catch (IOException | RuntimeException e) {
      if (wakeFd >= 0) {
        libc.close(wakeFd);
      }
      if (ctlFd >= 0) {
        libc.close(ctlFd);
      }
      throw e;
    }
  }

  /**
   * Asks for checksum, TSO and USO offload, then without USO (before linux 6.2).
   *
   * @return the TUN_F_* flags the kernel took, 0 when it refused them all
   */
  private static int setOffload(LibC libc, int fd, String name) {
    int tso = LibC.TUN_F_CSUM | LibC.TUN_F_TSO4 | LibC.TUN_F_TSO6;
    int all = tso | LibC.TUN_F_USO4 | LibC.TUN_F_USO6;
    for (int flags : new int[] {all, tso}) {
      // the argument is the flag word itself, passed in the pointer's place
      Pointer arg = Pointer.wrap(jnr.ffi.Runtime.getRuntime(libc), flags);
      if (libc.ioctl(fd, LibC.TUNSETOFFLOAD, arg) == 0) {
        return flags;
      }
      int errno = LibC.errno();
      LOG.log(
          System.Logger.Level.DEBUG,
          () -> LibC.describe("TUNSETOFFLOAD " + name + " 0x" + Integer.toHexString(flags), errno));
    }
    return 0;
  }

  /** The TUN_F_* offloads in effect (0: none, plain packets). */
  int offloads() {
    return offloads;
  }

  /** Reads that were not a valid packet or super-packet, dropped (reader thread's count). */
  long malformedReads() {
    return malformedReads;
  }

  /** Reads that carried more than one packet (TSO/USO), for tests (reader thread's count). */
  long superPacketReads() {
    return superPacketReads;
  }

  /** Writes that carried more than one packet (GRO), for tests (writers' count, under the lock). */
  long mergedWrites() {
    writeLock.lock();
    try {
      return mergedWrites;
    } finally {
      writeLock.unlock();
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
    if (!gate.enter()) {
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
      gate.exit();
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
   * it. With offload, the packets of one super-packet are handed out one per call.
   */
  @Override
  public int read(byte[] buf, int offset, int length) throws IOException {
    if (!gate.enter()) {
      return -1;
    }
    try {
      while (true) {
        if (System.nanoTime() - nextMtuCheck >= 0) {
          checkMtu();
        }
        if (splitNext < splitCount) {
          return handOut(buf, offset, length);
        }
        long n = readOnce();
        if (n > 0 && !vnetHdr) {
          readBuf.get(0, buf, offset, (int) Math.min(n, length));
          return (int) n;
        }
        if (n < 0 || n == 0 && !awaitReadable()) {
          return -1;
        }
      }
    } finally {
      gate.exit();
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>One {@code read(2)} per plain packet, or per super-packet with offload (split into the
   * batch; what does not fit is handed out by the next call); further reads only while the TUN has
   * packets queued.
   */
  @Override
  public int readBatch(PacketBatch batch) throws IOException {
    batch.clear();
    if (!gate.enter()) {
      return -1;
    }
    try {
      while (true) {
        if (System.nanoTime() - nextMtuCheck >= 0) {
          checkMtu();
        }
        while (splitNext < splitCount && !batch.isFull()) {
          int c = batch.count();
          batch.add(handOut(batch.array(c), batch.offset(c), batch.maxLength()));
        }
        if (batch.isFull()) {
          return batch.count();
        }
        long n = readOnce();
        if (n > 0 && !vnetHdr) {
          int c = batch.count();
          readBuf.get(0, batch.array(c), batch.offset(c), (int) Math.min(n, batch.maxLength()));
          batch.add((int) n);
          continue;
        }
        if (n > 0) {
          continue; // split: handed out at the top
        }
        if (batch.count() > 0) {
          return batch.count(); // nothing more queued, or the end: the next call says which
        }
        if (n < 0 || !awaitReadable()) {
          return -1;
        }
      }
    } finally {
      gate.exit();
    }
  }

  /**
   * One non-blocking {@code read(2)} into {@link #readBuf}; with the virtio header, also split into
   * {@link #split}.
   *
   * @return the bytes read, 0 when nothing is queued, -1 when the interface is gone or closed
   */
  private long readOnce() throws IOException {
    while (true) {
      long n = libc.read(fd, readBuf, MAX_PACKET + (vnetHdr ? VirtioNetHeader.LENGTH : 0));
      if (n > 0) {
        if (vnetHdr) {
          readBuf.get(0, raw, 0, (int) n);
          splitNext = 0;
          splitCount = split.begin(raw, 0, (int) n);
          if (splitCount == 0) {
            malformedReads++;
          } else if (splitCount > 1) {
            superPacketReads++;
          }
          if (splitCount > 0 && split.length(0) > mtu) {
            checkMtu(); // ip link set mtu raised it: say so before the packet is judged too large
          }
        } else if (n > mtu) {
          checkMtu();
        }
        return n;
      }
      int errno = n < 0 ? LibC.errno() : LibC.EAGAIN;
      if (errno == LibC.EINTR) {
        continue;
      }
      if (errno == LibC.EBADFD) {
        // the interface was deleted (ip link delete, wg-quick down): the end of this device
        return -1;
      }
      if (errno == LibC.EAGAIN) {
        return 0;
      }
      if (isClosed()) {
        return -1;
      }
      throw new IOException(LibC.describe("read " + name, errno));
    }
  }

  /** Copies the next packet of the split read into {@code buf}, cut to {@code room} bytes. */
  private int handOut(byte[] buf, int offset, int room) {
    int i = splitNext++;
    int len = split.length(i);
    if (len <= room) {
      return split.write(i, buf, offset);
    }
    split.write(i, oversize, 0);
    System.arraycopy(oversize, 0, buf, offset, room);
    return len;
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
    checkLength(length);
    if (!gate.enter()) {
      throw new ClosedChannelException();
    }
    try {
      writeLock.lock();
      try {
        writePlain(buf, offset, length);
      } finally {
        writeLock.unlock();
      }
    } finally {
      gate.exit();
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>With offload, the TCP segments (and, with USO, UDP datagrams) of each flow are merged into
   * one write the kernel segments again ({@link GroCoalesce}); other packets go one per write. If
   * the kernel refuses a merged write, its packets are written one by one and merging stops for
   * this device.
   *
   * @throws IOException also when a packet is longer than 65,535 bytes; then nothing is written
   */
  @Override
  public void writeBatch(PacketBatch batch) throws IOException {
    for (int i = 0; i < batch.count(); i++) {
      checkLength(batch.length(i));
    }
    if (!gate.enter()) {
      throw new ClosedChannelException();
    }
    try {
      writeLock.lock();
      try {
        if (!coalescing) {
          for (int i = 0; i < batch.count(); i++) {
            writePlain(batch.array(i), batch.offset(i), batch.length(i));
          }
          return;
        }
        int writes = coalesce.coalesce(batch);
        for (int w = 0; w < writes; w++) {
          int n = coalesce.emit(w, writeScratch, 0);
          writeBuf.put(0, writeScratch, 0, n);
          int errno = writeNative(n);
          if (errno == 0) {
            mergedWrites += coalesce.packets(w) > 1 ? 1 : 0;
            continue;
          }
          if (errno == LibC.EINVAL && coalesce.packets(w) > 1) {
            coalescing = false;
            LOG.log(
                System.Logger.Level.DEBUG,
                "{0} refused a merged write ({1} packets); writing packets singly from now on",
                name,
                coalesce.packets(w));
            for (int k = 0; k < coalesce.packets(w); k++) {
              int p = coalesce.packet(w, k);
              writePlain(batch.array(p), batch.offset(p), batch.length(p));
            }
            continue;
          }
          throw new IOException(LibC.describe("write " + name + " (" + n + " bytes)", errno));
        }
      } finally {
        writeLock.unlock();
      }
    } finally {
      gate.exit();
    }
  }

  private void checkLength(int length) throws IOException {
    if (length > MAX_PACKET || length < 0) {
      throw new IOException("packet of " + length + " bytes is too large for " + name);
    }
  }

  /** Writes one packet as it is (under writeLock). */
  private void writePlain(byte[] buf, int offset, int length) throws IOException {
    int header = vnetHdr ? VirtioNetHeader.LENGTH : 0;
    if (vnetHdr) {
      writeBuf.setMemory(0, header, (byte) 0); // no GSO, checksums complete
    }
    writeBuf.put(header, buf, offset, length);
    int errno = writeNative(length + header);
    if (errno != 0) {
      throw new IOException(LibC.describe("write " + name + " (" + length + " bytes)", errno));
    }
  }

  /**
   * Writes {@code writeBuf[0..n)}: 0 when written, or dropped because the host's queue is full (as
   * a NIC would); else the errno.
   */
  private int writeNative(int n) {
    while (true) {
      if (libc.write(fd, writeBuf, n) >= 0) {
        return 0;
      }
      int errno = LibC.errno();
      if (errno == LibC.EAGAIN) {
        return 0;
      }
      if (errno != LibC.EINTR) {
        return errno;
      }
    }
  }

  @Override
  public void close() {
    closeLock.lock();
    try {
      if (!gate.markClosed()) {
        return;
      }
      try {
        teardown.beforeClose();
      } finally {
        Pointer one = LibC.allocate(8);
        one.putLong(0, 1);
        libc.write(wakeFd, one, 8);
        gate.awaitNoCalls(CLOSE_WAIT_NANOS);
        libc.close(fd);
        libc.close(wakeFd);
        libc.close(ctlFd); // no reader or setMtu is inside any more (the wait above)
        teardown.afterClose();
      }
    } finally {
      closeLock.unlock();
    }
  }

  /**
   * Whether {@link #close()} was called.
   *
   * @return whether {@link #close()} was called
   */
  public boolean isClosed() {
    return gate.isClosed();
  }

  @Override
  public String toString() {
    return "LinuxTun[" + name + ", mtu " + mtu + "]";
  }
}
