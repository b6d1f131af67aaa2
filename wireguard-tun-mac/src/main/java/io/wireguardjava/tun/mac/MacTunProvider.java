package io.wireguardjava.tun.mac;

import io.wireguardjava.tun.mac.Native.LibC;
import io.wireguardjava.Config;
import io.wireguardjava.spi.PacketDevice;
import io.wireguardjava.spi.PacketDeviceProvider;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The macOS {@link PacketDeviceProvider}: utun interfaces, configured like wg-quick does on a Mac.
 * Registered for {@link java.util.ServiceLoader}; available on macOS when libc loads and the
 * process runs as root, unavailable (with the reason) everywhere else.
 *
 * <p>Not yet run on a Mac: see the module README.
 */
public final class MacTunProvider implements PacketDeviceProvider {

  private static final System.Logger LOG = System.getLogger(MacTunProvider.class.getName());

  /** Public for {@link java.util.ServiceLoader}. */
  public MacTunProvider() {}

  @Override
  public String name() {
    return "macos-utun";
  }

  @Override
  public boolean isAvailable() {
    return unavailabilityCause().isEmpty();
  }

  @Override
  public Optional<String> unavailabilityCause() {
    return cause(System.getProperty("os.name", ""), LibC::get);
  }

  /** Why a provider could not work on {@code osName} with this libc; empty when it can. */
  static Optional<String> cause(String osName, Supplier<LibC> libc) {
    if (!osName.toLowerCase(Locale.ROOT).startsWith("mac")) {
      return Optional.of("utun devices exist only on macOS (this is " + osName + ")");
    }
    LibC c;
    try {
      c = libc.get();
    } catch (LinkageError | RuntimeException e) {
      return Optional.of("cannot load libc through JNR-FFI: " + e);
    }
    if (c.geteuid() != 0) {
      return Optional.of(
          "creating a utun interface and changing routes needs root; run as root (sudo)");
    }
    return Optional.empty();
  }

  /**
   * Creates a utun interface and configures it from {@code config} (see {@link NetworkSetup}).
   * macOS names utun interfaces itself: {@code utunN} asks for that unit, any other name (or
   * none) takes the first free one; {@link PacketDevice#name()} tells which.
   */
  @Override
  public PacketDevice open(Optional<String> interfaceName, Config config) throws IOException {
    Optional<String> cause = unavailabilityCause();
    if (cause.isPresent()) {
      throw new IOException(name() + " unavailable: " + cause.get());
    }
    LibC libc = LibC.get();
    int unit = Utun.unitFor(interfaceName);
    if (unit == 0 && interfaceName.filter(n -> !n.equals("utun")).isPresent()) {
      LOG.log(Level.INFO, "macOS names utun interfaces itself; {0} gets the first free utun",
          interfaceName.get());
    }
    Utun.Opened opened = Utun.open(libc, unit);
    NetworkSetup.Applied applied;
    try {
      applied = new NetworkSetup(new SystemHostNetwork(libc)).apply(opened.name(), config);
    } catch (IOException | RuntimeException e) {
      libc.close(opened.fd());
      throw e;
    }
    try {
      return UtunDevice.wrap(
          libc, FdConstants.DARWIN, opened.fd(), opened.name(), applied.mtu(), applied.undo());
    } catch (IOException e) {
      applied.undo().run(); // wrap closed the socket
      throw e;
    }
  }
}
