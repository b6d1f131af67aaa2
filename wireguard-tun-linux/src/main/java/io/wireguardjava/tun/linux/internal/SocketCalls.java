package io.wireguardjava.tun.linux.internal;

import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * Internal, not API: public only because JNR-FFI generates its implementation in another class
 * loader. The libc socket calls of the UDP transport (the TUN's are in {@link LibC}). Every struct
 * is a {@link Pointer} into native memory the caller preallocated; layouts are in the transport's
 * {@code SocketLayout}, checked against a C compiler by a test.
 */
@SuppressWarnings("exports") // JNR types: this package is exported for JNR-FFI only, not as API
public interface SocketCalls {

  int socket(int domain, int type, int protocol);

  int bind(int fd, Pointer addr, int addrlen);

  int getsockname(int fd, Pointer addr, Pointer addrlen);

  int setsockopt(int fd, int level, int optname, Pointer optval, int optlen);

  int getsockopt(int fd, int level, int optname, Pointer optval, Pointer optlen);

  /** {@code msgvec} and {@code timeout} are native addresses (0: no timeout), not objects. */
  int recvmmsg(int fd, long msgvec, int vlen, int flags, long timeout);

  /** {@code msgvec} is a native address: the caller sends from any message of its block. */
  int sendmmsg(int fd, long msgvec, int vlen, int flags);

  int shutdown(int fd, int how);

  /** The loaded binding; loading fails with an {@link UnsatisfiedLinkError} off Linux. */
  static SocketCalls get() {
    return Holder.CALLS;
  }

  /** The errno of the last call made on this thread. */
  static int errno() {
    return LastError.getLastError(Runtime.getRuntime(Holder.CALLS));
  }

  /** Holds the binding, loaded on first use. */
  final class Holder {
    static final SocketCalls CALLS = LibraryLoader.create(SocketCalls.class).load("c");

    private Holder() {}
  }
}
