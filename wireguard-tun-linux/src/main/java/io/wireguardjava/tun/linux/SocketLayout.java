package io.wireguardjava.tun.linux;

/**
 * The socket structs and constants of the UDP transport, for x86-64 and aarch64 Linux (LP64; both
 * agree on every one of these). Written by hand at fixed offsets so the data path writes and reads
 * native memory with plain {@code Pointer} puts and gets; {@code SocketLayoutCTest} compares every
 * value with what a C compiler says.
 */
final class SocketLayout {
  private SocketLayout() {}

  // socket(2), setsockopt(2)
  static final int AF_INET = 2;
  static final int AF_INET6 = 10;
  static final int SOCK_DGRAM = 2;
  static final int SOCK_CLOEXEC = 0x80000;
  static final int SOL_SOCKET = 1;
  static final int SO_SNDBUF = 7;
  static final int SO_RCVBUF = 8;
  static final int SO_SNDBUFFORCE = 32;
  static final int SO_RCVBUFFORCE = 33;
  static final int SO_MARK = 36;
  static final int SOL_IP = 0;
  static final int IP_PKTINFO = 8;
  static final int SOL_IPV6 = 41;
  static final int IPV6_V6ONLY = 26;
  static final int IPV6_RECVPKTINFO = 49;
  static final int IPV6_PKTINFO = 50;
  static final int SOL_UDP = 17;
  static final int UDP_SEGMENT = 103;
  static final int UDP_GRO = 104;
  static final int MSG_DONTWAIT = 0x40;
  static final int SHUT_RDWR = 2;

  // errno
  static final int EINTR = 4;
  static final int EIO = 5;
  static final int EAGAIN = 11;
  static final int EINVAL = 22;
  static final int EADDRINUSE = 98;
  static final int EADDRNOTAVAIL = 99;
  static final int ENETUNREACH = 101;
  static final int EPERM = 1;

  /** struct iovec: iov_base, iov_len. */
  static final int IOVEC_SIZE = 16;

  static final int IOV_BASE = 0;
  static final int IOV_LEN = 8;

  /** struct msghdr. */
  static final int MSGHDR_SIZE = 56;

  static final int MSG_NAME = 0;
  static final int MSG_NAMELEN = 8;
  static final int MSG_IOV = 16;
  static final int MSG_IOVLEN = 24;
  static final int MSG_CONTROL = 32;
  static final int MSG_CONTROLLEN = 40;
  static final int MSG_FLAGS = 48;

  /** struct mmsghdr: a msghdr and the kernel's byte count. */
  static final int MMSGHDR_SIZE = 64;

  static final int MMSG_LEN = 56;

  /** struct cmsghdr: cmsg_len (size_t), cmsg_level, cmsg_type, then the data. */
  static final int CMSG_LEN_FIELD = 0;

  static final int CMSG_LEVEL = 8;
  static final int CMSG_TYPE = 12;

  /** CMSG_DATA(c) - c. */
  static final int CMSG_DATA = 16;

  /** struct sockaddr_in6. */
  static final int SOCKADDR_IN6_SIZE = 28;

  static final int SIN6_FAMILY = 0;
  static final int SIN6_PORT = 2;
  static final int SIN6_FLOWINFO = 4;
  static final int SIN6_ADDR = 8;
  static final int SIN6_SCOPE_ID = 24;

  /** struct in_pktinfo: ipi_ifindex, ipi_spec_dst, ipi_addr. */
  static final int IN_PKTINFO_SIZE = 12;

  static final int IPI_IFINDEX = 0;
  static final int IPI_SPEC_DST = 4;
  static final int IPI_ADDR = 8;

  /** struct in6_pktinfo: ipi6_addr, ipi6_ifindex. */
  static final int IN6_PKTINFO_SIZE = 20;

  static final int IPI6_ADDR = 0;
  static final int IPI6_IFINDEX = 16;

  /** CMSG_LEN(n): the header and n bytes of data. */
  static int cmsgLen(int n) {
    return CMSG_DATA + n;
  }

  /** CMSG_SPACE(n): CMSG_LEN(n) rounded up to the alignment of size_t. */
  static int cmsgSpace(int n) {
    return CMSG_DATA + align(n);
  }

  /** CMSG_ALIGN: up to a multiple of 8. */
  static int align(int n) {
    return (n + 7) & ~7;
  }
}
