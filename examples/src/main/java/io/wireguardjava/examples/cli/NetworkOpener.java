package io.wireguardjava.examples.cli;

import io.wireguardjava.Config;
import io.wireguardjava.TunnelListener;
import io.wireguardjava.TunnelOptions;
import io.wireguardjava.netstack.TunnelNetwork;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Optional;

/**
 * Opens the tunnel network the userspace commands ({@code proxy}, {@code forward}) run over: reads
 * the wg-quick file named on the command line and opens a {@link TunnelNetwork} on it; a failure is
 * one line on standard error.
 */
final class NetworkOpener {
  private NetworkOpener() {}

  /**
   * Reads {@code target} and opens its tunnel network.
   *
   * @param command the command's name for the error line, such as {@code wg-java proxy}
   * @param target the config file or interface name given on the command line
   * @param err where a failure is printed
   * @param listener registered before the tunnel starts (it hears the first handshake too)
   * @return the open network, or empty after printing why it could not be opened
   */
  static Optional<TunnelNetwork> open(
      String command, String target, PrintWriter err, TunnelListener listener) {
    try {
      Config parsed = ConfigFiles.read(target);
      return Optional.of(
          TunnelNetwork.open(
              parsed, TunnelOptions.builder().inProcessDevice().listener(listener).build()));
    } catch (ConfigFiles.BadConfig e) {
      err.println(e.getMessage());
    } catch (IOException | RuntimeException e) {
      err.println(command + ": cannot open the tunnel: " + e.getMessage());
    }
    err.flush();
    return Optional.empty();
  }
}
