package io.wireguardjava.tun.mac;

import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Platform;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.Variadic;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;
import jnr.ffi.types.u_int64_t;

/**
 * Holds {@link LibC}. JNR-FFI generates the binding in its own class loader, which can only
 * implement a public interface; nesting it in this package-private class keeps it out of the API.
 */
final class Native {

  private Native() {}

  /**
   * The libc calls this module makes, and nothing else: the one place that knows about JNR-FFI.
   *
   * <p>{@code ioctl} and {@code fcntl} are variadic in C. On Apple silicon variadic arguments are
   * passed on the stack, not in registers, so they carry {@link Variadic} (JNR-FFI then prepares
   * the call with libffi's {@code ffi_prep_cif_var}); the request is an {@code unsigned long}. The
   * same declarations work on Linux, where the tests call them.
   *
   * <p>Buffers are {@link Pointer}s to native memory from {@link #allocate(int)}, never Java arrays
   * (which JNR would copy on every call).
   */
  public interface LibC {

    int socket(int domain, int type, int protocol);

    int connect(int fd, Pointer addr, int addrlen);

    int getsockopt(int fd, int level, int optname, Pointer optval, Pointer optlen);

    @Variadic(fixedCount = 2)
    int ioctl(int fd, @u_int64_t long request, Pointer arg);

    @Variadic(fixedCount = 2)
    int fcntl(int fd, int cmd, @u_int64_t long arg);

    int pipe(Pointer fds);

    int poll(Pointer fds, int nfds, int timeoutMillis);

    @ssize_t
    long read(int fd, Pointer buf, @size_t long count);

    @ssize_t
    long write(int fd, Pointer buf, @size_t long count);

    int close(int fd);

    int geteuid();

    String strerror(int errnum);

    /**
     * The loaded binding; throws an {@link UnsatisfiedLinkError} or similar if libc cannot load.
     */
    static LibC get() {
      return Holder.LIBC;
    }

    /** The errno of the last call made on this thread. */
    static int errno() {
      return LastError.getLastError(Runtime.getRuntime(Holder.LIBC));
    }

    /** Zeroed native memory, freed when the pointer is garbage collected. */
    static Pointer allocate(int size) {
      return Memory.allocateDirect(Runtime.getRuntime(Holder.LIBC), size, true);
    }

    /** Native memory holding a copy of {@code bytes}. */
    static Pointer copyOf(byte[] bytes) {
      Pointer p = allocate(bytes.length);
      p.put(0, bytes, 0, bytes.length);
      return p;
    }

    /** "call: message (errno N)". */
    static String describe(String call, int errno) {
      return call + ": " + Holder.LIBC.strerror(errno) + " (errno " + errno + ")";
    }

    /** Loads libc once, on first use. */
    final class Holder {
      static final LibC LIBC =
          LibraryLoader.create(LibC.class)
              .load(Platform.getNativePlatform().getStandardCLibraryName());

      private Holder() {}
    }
  }
}
