package io.wireguardjava.spi;

import java.io.IOException;
import java.net.InetAddress;
import java.util.Optional;

/**
 * Opens OS-specific UDP transports (batched system calls, offloads, socket marks); found with
 * {@link java.util.ServiceLoader} from the platform module on the class path. When none is
 * available, the engine uses its portable JDK transport.
 */
public interface DatagramTransportProvider {

  /**
   * A short name for messages, such as {@code linux-udp}.
   *
   * @return the provider's name
   */
  String name();

  /**
   * Whether this provider can open a transport here (right OS, native binding loads).
   *
   * @return whether {@link #open} can work here
   */
  boolean isAvailable();

  /**
   * Why {@link #isAvailable()} is false, in words a user can act on; empty when available.
   *
   * @return the cause, or empty
   */
  Optional<String> unavailabilityCause();

  /**
   * Opens a UDP socket bound to {@code port} (0: any free port) on {@code bindAddress}, or on every
   * address of both families when empty.
   *
   * @param bindAddress the local address to bind to; empty: all
   * @param port the port, 0..65535
   * @return the open transport; the caller closes it
   * @throws java.net.BindException when the port is taken; the message names address and port
   * @throws IOException when the socket cannot be opened or set up
   */
  DatagramTransport open(Optional<InetAddress> bindAddress, int port) throws IOException;
}
