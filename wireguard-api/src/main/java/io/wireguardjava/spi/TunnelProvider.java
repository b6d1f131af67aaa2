package io.wireguardjava.spi;

import io.wireguardjava.Config;
import io.wireguardjava.Tunnel;
import io.wireguardjava.TunnelOptions;
import java.io.IOException;

/**
 * Opens {@link Tunnel}s; implemented by {@code wireguard-core} and found by {@link Tunnel#open}
 * with {@link java.util.ServiceLoader}.
 */
public interface TunnelProvider {

  /**
   * Opens a tunnel: binds its UDP socket, opens its packet device, starts its threads.
   *
   * @param config the configuration
   * @param options the device and other options
   * @return the running tunnel
   * @throws IOException when the socket or the device cannot be opened
   * @throws IllegalStateException when the options ask for an OS device and none is available
   */
  Tunnel open(Config config, TunnelOptions options) throws IOException;
}
