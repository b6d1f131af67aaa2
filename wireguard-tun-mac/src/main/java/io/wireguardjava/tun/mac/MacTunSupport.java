package io.wireguardjava.tun.mac;

import io.wireguardjava.tun.mac.Native.LibC;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Whether utun interfaces can be opened here: on macOS, with libc loadable through JNR-FFI, as root
 * (creating a utun and changing routes need it). Checked once and remembered.
 */
public final class MacTunSupport {

  private static volatile @Nullable Optional<String> cause; // null until probed

  private MacTunSupport() {}

  /**
   * True when {@link #unavailabilityCause()} is empty.
   *
   * @return true when {@link #unavailabilityCause()} is empty
   */
  public static boolean isAvailable() {
    return unavailabilityCause().isEmpty();
  }

  /**
   * Throws an {@link IOException} with the reason when utun devices cannot be opened.
   *
   * @throws IOException when they cannot, with {@link #unavailabilityCause()} as its message
   */
  public static void ensureAvailability() throws IOException {
    Optional<String> c = unavailabilityCause();
    if (c.isPresent()) {
      throw new IOException(c.get());
    }
  }

  /**
   * Why utun devices cannot be opened here, in words a user can act on; empty when they can.
   *
   * @return why utun devices cannot be opened here, in words a user can act on; empty when they can
   */
  public static Optional<String> unavailabilityCause() {
    Optional<String> c = cause;
    if (c == null) {
      c = probe(System.getProperty("os.name", ""), LibC::get);
      cause = c;
    }
    return c;
  }

  /** The probe itself, with its inputs injectable for tests. */
  static Optional<String> probe(String osName, Supplier<LibC> libc) {
    if (!osName.toLowerCase(Locale.ROOT).startsWith("mac")) {
      return Optional.of(
          "macos-utun needs macOS; this is "
              + osName
              + " (on Linux use wireguard-tun-linux, or the in-process device)");
    }
    LibC c;
    try {
      c = libc.get();
    } catch (LinkageError | RuntimeException e) {
      return Optional.of("cannot load libc through JNR-FFI: " + e);
    }
    if (c.geteuid() != 0) {
      return Optional.of(
          "creating a utun interface and changing routes needs root: run as root (sudo)");
    }
    return Optional.empty();
  }
}
