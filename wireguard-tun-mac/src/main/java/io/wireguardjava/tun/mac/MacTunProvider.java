package io.wireguardjava.tun.mac;

import io.wireguardjava.Config;
import io.wireguardjava.spi.PacketDevice;
import io.wireguardjava.spi.PacketDeviceProvider;
import io.wireguardjava.tun.mac.Native.LibC;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.Optional;

/**
 * The macOS {@link PacketDeviceProvider}: utun interfaces, configured like wg-quick does on a Mac.
 * Registered for {@link java.util.ServiceLoader}; available as {@link MacTunSupport} says: on macOS
 * as root, unavailable (with the reason) everywhere else.
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
    return MacTunSupport.isAvailable();
  }

  @Override
  public Optional<String> unavailabilityCause() {
    return MacTunSupport.unavailabilityCause();
  }

  /**
   * Creates a utun interface and configures it from {@code config} (see {@link NetworkSetup}).
   * macOS names utun interfaces itself: {@code utunN} asks for that unit, any other name (or none)
   * takes the first free one; {@link PacketDevice#name()} tells which.
   */
  @Override
  public PacketDevice open(Optional<String> interfaceName, Config config) throws IOException {
    MacTunSupport.ensureAvailability();
    LibC libc = LibC.get();
    int unit = Utun.unitFor(interfaceName);
    if (unit == 0 && interfaceName.filter(n -> !n.equals("utun")).isPresent()) {
      LOG.log(
          Level.DEBUG,
          "macOS names utun interfaces itself; {0} gets the first free utun",
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
