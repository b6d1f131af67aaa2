package io.wireguardjava.tun.linux.internal;

import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * Internal, not API: public only because JNR-FFI generates its implementation in another class
 * loader. The libc calls this module makes, and nothing else: the one place that knows about
 * JNR-FFI.
 *
 * <p>Buffers are passed as {@link Pointer}s to native memory the caller allocated with {@link
 * #allocate(int)}, never as Java arrays (JNR would copy them, and pinning is unsafe for blocking
 * calls). Struct layouts are written by hand at fixed offsets (x86-64 and aarch64 agree on them).
 */
@SuppressWarnings("exports") // JNR types: this package is exported for JNR-FFI only, not as API
public interface LibC {

  // open(2)
  int O_RDWR = 2;
  int O_NONBLOCK = 0x800;
  int O_CLOEXEC = 0x80000;
  // eventfd(2)
  int EFD_NONBLOCK = 0x800;
  int EFD_CLOEXEC = 0x80000;
  // poll(2)
  short POLLIN = 0x1;
  short POLLERR = 0x8;
  short POLLHUP = 0x10;
  short POLLNVAL = 0x20;
  // errno
  int EINTR = 4;
  int EAGAIN = 11;
  int EBADFD = 77;
  int EEXIST = 17;
  int ENOENT = 2;
  int ESRCH = 3;
  int EADDRNOTAVAIL = 99;
  int EPERM = 1;
  int EBUSY = 16;
  int EINVAL = 22;
  // socket(2)
  int AF_NETLINK = 16;
  int AF_INET = 2;
  int SOCK_DGRAM = 2;
  int SOCK_RAW = 3;
  int SOCK_CLOEXEC = 0x80000;
  int AF_UNIX = 1;
  int SOCK_SEQPACKET = 5;
  int SOCK_NONBLOCK = 0x800;
  int NETLINK_ROUTE = 0;
  int SOL_SOCKET = 1;
  int SO_RCVTIMEO = 20;
  // setns(2)
  int CLONE_NEWNET = 0x40000000;
  // TUN ioctls and flags (linux/if_tun.h)
  long TUNSETIFF = 0x400454caL;
  long TUNGETIFF = 0x800454d2L;
  short IFF_TUN = 0x0001;
  short IFF_NO_PI = 0x1000;
  short IFF_VNET_HDR = 0x4000;
  long TUNSETOFFLOAD = 0x400454d0L;
  int TUN_F_CSUM = 1;
  int TUN_F_TSO4 = 2;
  int TUN_F_TSO6 = 4;

  /** UDP segmentation offload (linux 6.2+; not yet in every libc's if_tun.h). */
  int TUN_F_USO4 = 0x20;

  int TUN_F_USO6 = 0x40;

  /** Interface MTU ioctls (linux/sockios.h), on any socket, with {@code ifr_mtu} at offset 16. */
  long SIOCGIFMTU = 0x8921L;

  long SIOCSIFMTU = 0x8922L;

  /** sizeof(struct ifreq). */
  int IFREQ_SIZE = 40;

  /** IFNAMSIZ, including the terminating NUL. */
  int IFNAMSIZ = 16;

  int open(String path, int flags);

  int close(int fd);

  @ssize_t
  long read(int fd, Pointer buf, @size_t long count);

  @ssize_t
  long write(int fd, Pointer buf, @size_t long count);

  int ioctl(int fd, long request, Pointer arg);

  int poll(Pointer fds, long nfds, int timeoutMillis);

  int eventfd(int initval, int flags);

  int socket(int domain, int type, int protocol);

  int bind(int fd, Pointer addr, int addrlen);

  /** Two connected sockets; their descriptors are written to {@code sv} (two ints). */
  int socketpair(int domain, int type, int protocol, Pointer sv);

  int setsockopt(int fd, int level, int optname, Pointer optval, int optlen);

  @ssize_t
  long send(int fd, Pointer buf, @size_t long len, int flags);

  @ssize_t
  long recv(int fd, Pointer buf, @size_t long len, int flags);

  int if_nametoindex(String name);

  int setns(int fd, int nstype);

  String strerror(int errnum);

  /** The loaded binding; loading fails with an {@link UnsatisfiedLinkError} off Linux. */
  static LibC get() {
    return Holder.LIBC;
  }

  /** The errno of the last call made on this thread. */
  static int errno() {
    return LastError.getLastError(Runtime.getRuntime(Holder.LIBC));
  }

  /** Native memory, zeroed, freed when the returned pointer is garbage collected. */
  static Pointer allocate(int size) {
    return jnr.ffi.Memory.allocateDirect(Runtime.getRuntime(Holder.LIBC), size, true);
  }

  /** "call: message (errno N)". */
  static String describe(String call, int errno) {
    return call + ": " + Holder.LIBC.strerror(errno) + " (errno " + errno + ")";
  }

  /** Holds the binding: loads libc once, on first use. */
  final class Holder {
    static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");

    private Holder() {}
  }
}
