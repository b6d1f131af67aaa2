package io.wireguardjava.tun.linux;

import static io.wireguardjava.tun.linux.SocketLayout.*;

import io.wireguardjava.spi.DatagramAddress;
import io.wireguardjava.spi.DatagramBatch;
import io.wireguardjava.tun.linux.internal.LibC;
import io.wireguardjava.tun.linux.internal.SocketCalls;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.concurrent.locks.ReentrantLock;
import jnr.ffi.Pointer;

/**
 * The send half of {@link LinuxUdpTransport}: datagrams are copied into one preallocated native
 * block and leave with {@code sendmmsg(2)}, up to {@value #MESSAGES} messages per call. A run of
 * equal-length datagrams to one peer (the last may be shorter) becomes one message with a {@code
 * UDP_SEGMENT} control message (UDP GSO): the kernel cuts it into datagrams, so 44 datagrams cost
 * one trip through the stack. When the kernel answers {@code EIO} (no GSO on the route's device),
 * GSO is turned off for good and the datagrams go again one per message, as wireguard-go does. A
 * peer's sticky local address goes along as {@code IP_PKTINFO}/{@code IPV6_PKTINFO}; if the OS
 * refuses a send with it (the address is gone, or no route from it), the datagrams leave without
 * it.
 *
 * <p>Several threads send; one lock guards the native block. Allocates nothing per call.
 */
final class MmsgSender {
  private static final System.Logger LOG = System.getLogger(MmsgSender.class.getName());

  /** Messages per sendmmsg(2). */
  static final int MESSAGES = 64;

  /** Datagrams per GSO message: the kernel's UDP_MAX_SEGMENTS. */
  static final int MAX_SEGMENTS = 64;

  /** Bytes per GSO message: under the largest UDP payload. */
  static final int MAX_GSO_BYTES = 65000;

  /** Room for one message's control data: a pktinfo and a segment size. */
  static final int CONTROL_SPACE = 64;

  /** The largest UDP payload. */
  static final int MAX_DATAGRAM = 65507;

  /** The native copy of the datagrams of one sendmmsg(2). */
  static final int DATA_BYTES = 1 << 19;

  private final SocketCalls calls;
  private final int fd;
  private final ReentrantLock lock = new ReentrantLock();
  private final Pointer mem;
  private final long base;
  private final long iovs;
  private final long name;
  private final long controls;
  private final long data;
  private final byte[] scratch = new byte[16];

  /** Per message of the call being built: its first datagram, its datagram count. */
  private final int[] firstDatagram = new int[MESSAGES];

  private final int[] datagrams = new int[MESSAGES];
  private volatile boolean gso;

  /** The errno of the refusal {@link #trySend} reported. */
  private int lastErrno;

  MmsgSender(SocketCalls calls, int fd, boolean gso) {
    this.calls = calls;
    this.fd = fd;
    this.gso = gso;
    long size = (long) MESSAGES * (MMSGHDR_SIZE + IOVEC_SIZE + CONTROL_SPACE) + 32 + DATA_BYTES;
    this.mem = LibC.allocate((int) size);
    this.base = mem.address();
    this.iovs = (long) MESSAGES * MMSGHDR_SIZE;
    this.name = iovs + (long) MESSAGES * IOVEC_SIZE;
    this.controls = name + 32;
    this.data = controls + (long) MESSAGES * CONTROL_SPACE;
    for (int i = 0; i < MESSAGES; i++) {
      long m = (long) i * MMSGHDR_SIZE;
      mem.putLong(m + MSG_NAME, base + name);
      mem.putInt(m + MSG_NAMELEN, SOCKADDR_IN6_SIZE);
      mem.putLong(m + MSG_IOV, base + iovs + (long) i * IOVEC_SIZE);
      mem.putLong(m + MSG_IOVLEN, 1);
    }
  }

  /** Whether UDP GSO is (still) used. */
  boolean gso() {
    return gso;
  }

  /** Sends {@code buf[off..off+len)} to {@code to}. */
  void send(byte[] buf, int off, int len, DatagramAddress to) throws IOException {
    if (len > MAX_DATAGRAM) {
      throw new IOException("UDP datagram of " + len + " bytes is too large");
    }
    lock.lock();
    try {
      setName(to);
      mem.put(data, buf, off, len);
      message(0, data, len, sourceControl(to, 0), 0);
      if (trySend(1) < 0) {
        return;
      }
      if (to.hasLocal()) {
        message(0, data, len, 0, 0); // the sticky source is gone or unroutable: OS's choice
        if (trySend(1) < 0) {
          return;
        }
      }
      throw failure(lastErrno);
    } finally {
      lock.unlock();
    }
  }

  /** Sends every datagram of {@code batch} to {@code to}, in order. */
  void send(DatagramBatch batch, DatagramAddress to) throws IOException {
    lock.lock();
    try {
      setName(to);
      sendFrom(batch, 0, to, gso, true);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Sends batch datagrams {@code from..count)}; with {@code segment}, runs of equal length as GSO
   * messages; with {@code withSource}, from the sticky local address. Lock held, name set.
   */
  private void sendFrom(
      DatagramBatch batch, int from, DatagramAddress to, boolean segment, boolean withSource)
      throws IOException {
    byte[] src = batch.data();
    int count = batch.count();
    int i = from;
    while (i < count) {
      int messages = 0;
      long at = data;
      while (i < count && messages < MESSAGES) {
        int first = i;
        int size = batch.length(i);
        if (size > MAX_DATAGRAM) {
          throw new IOException("UDP datagram of " + size + " bytes is too large");
        }
        if (at + size > data + DATA_BYTES) {
          break; // the native block is full: send what it holds first
        }
        long start = at;
        int n = 0;
        int bytes = 0;
        int last;
        do {
          last = batch.length(i);
          mem.put(at, src, batch.offset(i), last);
          at += last;
          bytes += last;
          n++;
          i++;
        } while (segment
            && size > 0
            && last == size // a shorter datagram ends the run
            && i < count
            && n < MAX_SEGMENTS
            && batch.length(i) > 0
            && batch.length(i) <= size
            && bytes + batch.length(i) <= MAX_GSO_BYTES
            && at + batch.length(i) <= data + DATA_BYTES);
        int control = withSource ? sourceControl(to, messages) : 0;
        message(messages, start, bytes, control, n > 1 ? size : 0);
        firstDatagram[messages] = first;
        datagrams[messages] = n;
        messages++;
      }
      int failedAt = trySend(messages);
      if (failedAt >= 0) {
        recover(batch, firstDatagram[failedAt], to, segment, withSource, failedAt);
        return;
      }
    }
  }

  /** What the kernel refused, and how the rest goes: a decision per refusal, see class comment. */
  private void recover(
      DatagramBatch batch,
      int from,
      DatagramAddress to,
      boolean segment,
      boolean withSource,
      int message)
      throws IOException {
    int errno = lastErrno;
    boolean hadSegments = segment && datagrams[message] > 1;
    if (errno == EIO && hadSegments) {
      gso = false; // the device cannot segment: never again on this socket
      LOG.log(Level.DEBUG, "UDP GSO refused (EIO): sending datagrams one by one from now on");
      sendFrom(batch, from, to, false, withSource);
    } else if (withSource && to.hasLocal()) {
      // the sticky source is gone or unroutable (EINVAL, EADDRNOTAVAIL, ENETUNREACH): OS's choice
      sendFrom(batch, from, to, segment, false);
    } else if (errno == EINVAL && hadSegments) {
      sendFrom(batch, from, to, false, withSource); // too large for the path as one segment
    } else {
      throw failure(errno);
    }
  }

  /**
   * One or more sendmmsg(2) calls until all {@code messages} left; returns the index of the message
   * the kernel refused (errno in {@link #lastErrno}), or -1.
   */
  private int trySend(int messages) throws IOException {
    int done = 0;
    while (done < messages) {
      int n = calls.sendmmsg(fd, base + (long) done * MMSGHDR_SIZE, messages - done, 0);
      if (n > 0) {
        done += n;
        continue;
      }
      int errno = SocketCalls.errno();
      if (errno == EINTR || (n == 0)) {
        continue;
      }
      lastErrno = errno;
      return done;
    }
    return -1;
  }

  private static IOException failure(int errno) {
    return new IOException(LibC.describe("sendmmsg", errno));
  }

  /** Writes message {@code i}: data, control bytes (already written), GSO segment size. */
  private void message(int i, long at, int len, int controlLen, int segmentSize) {
    long m = (long) i * MMSGHDR_SIZE;
    long v = iovs + (long) i * IOVEC_SIZE;
    mem.putLong(v + IOV_BASE, base + at);
    mem.putLong(v + IOV_LEN, len);
    long c = controls + (long) i * CONTROL_SPACE;
    int total = controlLen;
    if (segmentSize > 0) {
      long s = c + total;
      mem.putLong(s + CMSG_LEN_FIELD, cmsgLen(2));
      mem.putInt(s + CMSG_LEVEL, SOL_UDP);
      mem.putInt(s + CMSG_TYPE, UDP_SEGMENT);
      mem.putShort(s + CMSG_DATA, (short) segmentSize);
      total += cmsgSpace(2);
    }
    mem.putLong(m + MSG_CONTROL, total == 0 ? 0 : base + c);
    mem.putLong(m + MSG_CONTROLLEN, total);
    mem.putInt(m + MSG_FLAGS, 0);
  }

  /** Writes the pktinfo of {@code to}'s local address into message {@code i}'s control area. */
  private int sourceControl(DatagramAddress to, int i) {
    if (!to.hasLocal()) {
      return 0;
    }
    long c = controls + (long) i * CONTROL_SPACE;
    to.copyLocalIpv6(scratch, 0);
    if (to.isIpv4()) {
      mem.putLong(c + CMSG_LEN_FIELD, cmsgLen(IN_PKTINFO_SIZE));
      mem.putInt(c + CMSG_LEVEL, SOL_IP);
      mem.putInt(c + CMSG_TYPE, IP_PKTINFO);
      mem.putInt(c + CMSG_DATA + IPI_IFINDEX, 0); // the route decides the interface
      mem.put(c + CMSG_DATA + IPI_SPEC_DST, scratch, 12, 4);
      mem.putInt(c + CMSG_DATA + IPI_ADDR, 0);
      return cmsgSpace(IN_PKTINFO_SIZE);
    }
    mem.putLong(c + CMSG_LEN_FIELD, cmsgLen(IN6_PKTINFO_SIZE));
    mem.putInt(c + CMSG_LEVEL, SOL_IPV6);
    mem.putInt(c + CMSG_TYPE, IPV6_PKTINFO);
    mem.put(c + CMSG_DATA + IPI6_ADDR, scratch, 0, 16);
    boolean linkLocal = (scratch[0] & 0xff) == 0xfe && (scratch[1] & 0xc0) == 0x80;
    mem.putInt(c + CMSG_DATA + IPI6_IFINDEX, linkLocal ? to.localInterface() : 0);
    return cmsgSpace(IN6_PKTINFO_SIZE);
  }

  /** The destination, as a sockaddr_in6 (IPv4 as IPv4-mapped: the socket is dual stack). */
  private void setName(DatagramAddress to) {
    mem.putShort(name + SIN6_FAMILY, (short) AF_INET6);
    int port = to.port();
    mem.putByte(name + SIN6_PORT, (byte) (port >>> 8));
    mem.putByte(name + SIN6_PORT + 1, (byte) port);
    mem.putInt(name + SIN6_FLOWINFO, 0);
    to.copyRemoteIpv6(scratch, 0);
    mem.put(name + SIN6_ADDR, scratch, 0, 16);
    mem.putInt(name + SIN6_SCOPE_ID, 0);
  }
}
