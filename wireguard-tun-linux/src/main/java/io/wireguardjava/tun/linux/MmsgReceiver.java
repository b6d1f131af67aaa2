package io.wireguardjava.tun.linux;

import static io.wireguardjava.tun.linux.SocketLayout.*;

import io.wireguardjava.spi.DatagramAddress;
import io.wireguardjava.spi.DatagramBatch;
import io.wireguardjava.tun.linux.internal.LibC;
import io.wireguardjava.tun.linux.internal.SocketCalls;
import java.io.IOException;
import jnr.ffi.Pointer;

/**
 * The receive half of {@link LinuxUdpTransport}: {@code recvmmsg(2)} into one preallocated native
 * block, then copies into the caller's {@link DatagramBatch}, splitting UDP GRO super-datagrams by
 * the {@code gso_size} the kernel reports, and reading the local address each datagram arrived on
 * from its {@code IP_PKTINFO}/{@code IPV6_PKTINFO} control message.
 *
 * <p>Owned by the one receiving thread. Messages the batch had no room for stay here and are handed
 * out by the next call before the socket is read again, so nothing is lost or reordered. Allocates
 * nothing per call.
 */
final class MmsgReceiver {
  /** Messages per recvmmsg(2). Each may be a GRO super-datagram of up to 64 KB. */
  static final int SLOTS = 32;

  /** Room per message: the largest UDP payload, rounded up. */
  static final int SLOT_BYTES = 65536;

  static final int NAME_SPACE = 32;

  /** Room for the control messages of one datagram: a pktinfo and a GRO size, with margin. */
  static final int CONTROL_SPACE = 128;

  private final SocketCalls calls;
  private final int fd;
  private final Pointer mem;
  private final long msgs;
  private final long names;
  private final long controls;
  private final long buffers;
  private final byte[] scratch = new byte[16];

  /** Messages the last recvmmsg(2) returned, and where handing them out stands. */
  private int received;

  private int next;
  private int nextSegmentOffset;
  private long oversizedDrops;

  MmsgReceiver(SocketCalls calls, int fd) {
    this.calls = calls;
    this.fd = fd;
    int iovs = SLOTS * MMSGHDR_SIZE;
    long size =
        (long) SLOTS * (MMSGHDR_SIZE + IOVEC_SIZE + NAME_SPACE + CONTROL_SPACE + SLOT_BYTES);
    this.mem = LibC.allocate((int) size);
    this.msgs = 0;
    long iov = iovs;
    this.names = iov + (long) SLOTS * IOVEC_SIZE;
    this.controls = names + (long) SLOTS * NAME_SPACE;
    this.buffers = controls + (long) SLOTS * CONTROL_SPACE;
    long base = mem.address();
    for (int i = 0; i < SLOTS; i++) {
      long m = msgs + (long) i * MMSGHDR_SIZE;
      long v = iov + (long) i * IOVEC_SIZE;
      mem.putLong(v + IOV_BASE, base + buffers + (long) i * SLOT_BYTES);
      mem.putLong(v + IOV_LEN, SLOT_BYTES);
      mem.putLong(m + MSG_NAME, base + names + (long) i * NAME_SPACE);
      mem.putLong(m + MSG_IOV, base + v);
      mem.putLong(m + MSG_IOVLEN, 1);
      mem.putLong(m + MSG_CONTROL, base + controls + (long) i * CONTROL_SPACE);
    }
  }

  /** Whether messages of the last recvmmsg(2) are still to be handed out. */
  boolean hasPending() {
    return next < received;
  }

  long oversizedDrops() {
    return oversizedDrops;
  }

  /**
   * One non-blocking {@code recvmmsg(2)}; only when nothing is pending.
   *
   * @return messages received, 0 when none was waiting ({@code EAGAIN})
   */
  int receiveNow() throws IOException {
    for (int i = 0; i < SLOTS; i++) {
      long m = msgs + (long) i * MMSGHDR_SIZE;
      mem.putInt(m + MSG_NAMELEN, SOCKADDR_IN6_SIZE);
      mem.putLong(m + MSG_CONTROLLEN, CONTROL_SPACE);
      mem.putInt(m + MSG_FLAGS, 0);
    }
    while (true) {
      int n = calls.recvmmsg(fd, mem.address() + msgs, SLOTS, MSG_DONTWAIT, 0L);
      if (n >= 0) {
        received = n;
        next = 0;
        nextSegmentOffset = 0;
        return n;
      }
      int errno = SocketCalls.errno();
      if (errno == EINTR) {
        continue;
      }
      if (errno == EAGAIN) {
        return 0;
      }
      throw new IOException(LibC.describe("recvmmsg", errno));
    }
  }

  /** Copies pending datagrams into {@code batch} until it is full or nothing is pending. */
  void drainInto(DatagramBatch batch) {
    while (next < received) {
      long m = msgs + (long) next * MMSGHDR_SIZE;
      int len = mem.getInt(m + MMSG_LEN);
      int segment = groSegmentSize(next);
      if (segment <= 0 || segment > len) {
        segment = len;
      }
      long data = buffers + (long) next * SLOT_BYTES;
      boolean addressed = false;
      while (nextSegmentOffset < len || len == 0) {
        int segLen = Math.min(segment, len - nextSegmentOffset);
        if (batch.isFull() || segLen > batch.remainingBytes()) {
          if (batch.count() > 0) {
            return; // the rest waits for the next call
          }
          oversizedDrops++; // cannot fit even an empty batch
          nextSegmentOffset += Math.max(segLen, 1);
          continue;
        }
        int slot = batch.count();
        DatagramAddress a = batch.address(slot);
        if (!addressed) {
          readAddress(next, a);
          addressed = true;
        } else {
          a.copyFrom(batch.address(slot - 1));
        }
        mem.get(data + nextSegmentOffset, batch.data(), batch.end(), segLen);
        batch.add(segLen);
        if (len == 0) {
          break; // an empty datagram: one entry
        }
        nextSegmentOffset += segLen;
      }
      next++;
      nextSegmentOffset = 0;
    }
  }

  /** The source of message {@code i} and the local address from its pktinfo, into {@code a}. */
  private void readAddress(int i, DatagramAddress a) {
    long name = names + (long) i * NAME_SPACE;
    int port = ((mem.getByte(name + SIN6_PORT) & 0xff) << 8) | (mem.getByte(name + 3) & 0xff);
    mem.get(name + SIN6_ADDR, scratch, 0, 16);
    a.setRemote(scratch, 0, 16, port);
    long c = controls + (long) i * CONTROL_SPACE;
    long end = c + mem.getLong(msgs + (long) i * MMSGHDR_SIZE + MSG_CONTROLLEN);
    boolean local = false;
    while (c + CMSG_DATA <= end) {
      long clen = mem.getLong(c + CMSG_LEN_FIELD);
      if (clen < CMSG_DATA || c + clen > end) {
        break;
      }
      int level = mem.getInt(c + CMSG_LEVEL);
      int type = mem.getInt(c + CMSG_TYPE);
      long d = c + CMSG_DATA;
      if (level == SOL_IP && type == IP_PKTINFO && clen >= cmsgLen(IN_PKTINFO_SIZE)) {
        mem.get(d + IPI_SPEC_DST, scratch, 0, 4); // as wireguard-go: the local address to use
        a.setLocal(scratch, 0, 4, mem.getInt(d + IPI_IFINDEX));
        local = true;
      } else if (level == SOL_IPV6 && type == IPV6_PKTINFO && clen >= cmsgLen(IN6_PKTINFO_SIZE)) {
        mem.get(d + IPI6_ADDR, scratch, 0, 16);
        a.setLocal(scratch, 0, 16, mem.getInt(d + IPI6_IFINDEX));
        local = true;
      }
      c += align((int) clen);
    }
    if (!local) {
      a.clearLocal();
    }
  }

  /** The UDP_GRO segment size of message {@code i}, 0 when it was not coalesced. */
  private int groSegmentSize(int i) {
    long c = controls + (long) i * CONTROL_SPACE;
    long end = c + mem.getLong(msgs + (long) i * MMSGHDR_SIZE + MSG_CONTROLLEN);
    while (c + CMSG_DATA <= end) {
      long clen = mem.getLong(c + CMSG_LEN_FIELD);
      if (clen < CMSG_DATA || c + clen > end) {
        return 0;
      }
      if (mem.getInt(c + CMSG_LEVEL) == SOL_UDP
          && mem.getInt(c + CMSG_TYPE) == UDP_GRO
          && clen >= cmsgLen(4)) {
        return mem.getInt(c + CMSG_DATA);
      }
      c += align((int) clen);
    }
    return 0;
  }
}
