package io.wireguardjava.tun.linux;

import io.wireguardjava.tun.linux.internal.LibC;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Whether TUN interfaces can be opened here: on Linux, with {@code /dev/net/tun} present and
 * accessible, libc loadable through JNR-FFI, and the {@code CAP_NET_ADMIN} capability in the
 * effective set (as root, or granted with {@code setcap cap_net_admin+ep} on the java binary).
 */
public final class LinuxTunSupport {

  static final Path TUN_DEVICE = Path.of("/dev/net/tun");
  private static final int CAP_NET_ADMIN = 12;

  private static volatile @Nullable Optional<String> cause; // null until probed

  private LinuxTunSupport() {}

  /**
   * True when {@link #unavailabilityCause()} is empty.
   *
   * @return true when {@link #unavailabilityCause()} is empty
   */
  public static boolean isAvailable() {
    return unavailabilityCause().isEmpty();
  }

  /**
   * Throws an {@link IOException} with the reason when TUN devices cannot be opened.
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
   * Why TUN devices cannot be opened here, in words a user can act on; empty when they can.
   *
   * @return why TUN devices cannot be opened here, in words a user can act on; empty when they can
   */
  public static Optional<String> unavailabilityCause() {
    Optional<String> c = cause;
    if (c == null) {
      c = probe(System.getProperty("os.name", ""), TUN_DEVICE, Path.of("/proc/self/status"));
      cause = c;
    }
    return c;
  }

  /** The probe itself, with its inputs injectable for tests. */
  static Optional<String> probe(String osName, Path tunDevice, Path procStatus) {
    if (!osName.toLowerCase(Locale.ROOT).startsWith("linux")) {
      return Optional.of(
          "linux-tun needs Linux; this is "
              + osName
              + " (on macOS use wireguard-tun-mac, or the in-process device)");
    }
    if (!Files.exists(tunDevice)) {
      return Optional.of(
          tunDevice
              + " does not exist: load the tun module (modprobe tun) or, in"
              + " a container, pass the device (docker run --device /dev/net/tun --cap-add NET_ADMIN)");
    }
    if (!Files.isReadable(tunDevice) || !Files.isWritable(tunDevice)) {
      return Optional.of(
          tunDevice
              + " is not readable and writable by this user: run as root or"
              + " give the java binary CAP_NET_ADMIN");
    }
    Optional<Long> caps = effectiveCapabilities(procStatus);
    if (caps.isPresent() && (caps.get() & (1L << CAP_NET_ADMIN)) == 0) {
      return Optional.of(
          "the process lacks CAP_NET_ADMIN, needed to create and configure network"
              + " interfaces: run as root (sudo) or `setcap cap_net_admin+ep` on the java binary");
    }
    try {
      LibC.get();
    } catch (LinkageError | RuntimeException e) {
      return Optional.of("cannot load libc through JNR-FFI: " + e);
    }
    return Optional.empty();
  }

  /** The CapEff mask from /proc/self/status, when readable. */
  static Optional<Long> effectiveCapabilities(Path procStatus) {
    try {
      for (String line : Files.readAllLines(procStatus, StandardCharsets.UTF_8)) {
        if (line.startsWith("CapEff:")) {
          return Optional.of(Long.parseUnsignedLong(line.substring(7).trim(), 16));
        }
      }
    } catch (IOException | NumberFormatException e) {
      // unknown: let open() report the real error
    }
    return Optional.empty();
  }
}
