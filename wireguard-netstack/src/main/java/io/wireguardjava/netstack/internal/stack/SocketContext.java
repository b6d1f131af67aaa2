package io.wireguardjava.netstack.internal.stack;

import io.wireguardjava.netstack.internal.tcp.TcpLayer;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;

/**
 * What the {@code java.net} adapters need from the network: the TCP layer, the interface's
 * addresses (to pick a local address), and the tunnel's resolver (for unresolved addresses).
 *
 * @param tcp the TCP layer
 * @param addresses the interface's addresses
 * @param resolver resolves host names through the tunnel
 */
public record SocketContext(TcpLayer tcp, OwnAddresses addresses, Resolver resolver) {

  /** Resolves through the tunnel's DNS. */
  @FunctionalInterface
  public interface Resolver {
    /**
     * Resolves a host.
     *
     * @param host a name or literal
     * @return the addresses, at least one
     * @throws IOException when it cannot be resolved
     */
    List<InetAddress> resolve(String host) throws IOException;
  }
}
