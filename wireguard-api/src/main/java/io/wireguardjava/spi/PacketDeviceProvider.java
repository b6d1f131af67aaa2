package io.wireguardjava.spi;

import io.wireguardjava.Config;
import java.io.IOException;
import java.util.Optional;

/**
 * Creates OS packet devices (TUN on Linux, utun on macOS); found with {@link
 * java.util.ServiceLoader} from the platform module on the class path.
 */
public interface PacketDeviceProvider {

  /**
   * A short name for messages, such as {@code linux-tun}.
   *
   * @return a short name for messages, such as {@code linux-tun}
   */
  String name();

  /**
   * Whether this provider can open a device here (right OS, device node present, privileges).
   *
   * @return whether this provider can open a device here (right OS, device node present,
   *     privileges)
   */
  boolean isAvailable();

  /**
   * Why {@link #isAvailable()} is false, in words a user can act on; empty when available.
   *
   * @return why {@link #isAvailable()} is false, in words a user can act on; empty when available
   */
  Optional<String> unavailabilityCause();

  /**
   * Creates the interface {@code interfaceName} (empty: the OS picks the name) and configures it as
   * wg-quick would from {@code config}: MTU, addresses, routes for the peers' allowed IPs, link up.
   * Everything it sets up is undone when the returned device is closed.
   *
   * @param interfaceName the interface name; empty: the OS picks one
   * @param config the configuration, for the addresses, MTU, routes and hooks
   * @return the open device; closing it undoes the set-up
   * @throws IOException when the interface cannot be created or configured; the message says which
   *     step failed
   */
  PacketDevice open(Optional<String> interfaceName, Config config) throws IOException;
}
