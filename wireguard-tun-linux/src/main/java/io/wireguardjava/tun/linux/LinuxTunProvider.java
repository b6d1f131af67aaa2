package io.wireguardjava.tun.linux;

import io.wireguardjava.Config;
import io.wireguardjava.spi.PacketDevice;
import io.wireguardjava.spi.PacketDeviceProvider;
import java.io.IOException;
import java.util.Optional;

/**
 * The Linux TUN {@link PacketDeviceProvider} ({@code linux-tun}), registered for {@link
 * java.util.ServiceLoader}. {@link #open} creates the TUN and configures it as wg-quick would (see
 * {@link InterfaceSetup} and {@link RoutePlan}); closing the device undoes all of it.
 */
public final class LinuxTunProvider implements PacketDeviceProvider {

  /** Public for {@link java.util.ServiceLoader}. */
  public LinuxTunProvider() {}

  @Override
  public String name() {
    return "linux-tun";
  }

  @Override
  public boolean isAvailable() {
    return LinuxTunSupport.isAvailable();
  }

  @Override
  public Optional<String> unavailabilityCause() {
    return LinuxTunSupport.unavailabilityCause();
  }

  @Override
  public PacketDevice open(Optional<String> interfaceName, Config config) throws IOException {
    LinuxTunSupport.ensureAvailability();
    return InterfaceSetup.up(interfaceName, config);
  }
}
