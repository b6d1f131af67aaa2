package io.wireguardjava.netstack.proxy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;

/**
 * One side of a proxy: the tunnel ({@link TunnelNetworkAdapter}) or the host's own sockets ({@link
 * HostNetwork}). The proxies resolve names only with {@link #resolve} of the network they connect
 * through, so a name for the tunnel never leaks to the host's resolver.
 *
 * <p>All methods are thread-safe and may block; the sockets returned are ordinary blocking {@code
 * java.net} sockets owned by the caller.
 */
interface Network {
  /**
   * Connects to a resolved address.
   *
   * @throws java.net.ConnectException when refused
   * @throws java.net.NoRouteToHostException when unreachable
   * @throws java.net.SocketTimeoutException after {@code timeout}
   */
  Socket connect(InetSocketAddress to, Duration timeout) throws IOException;

  /** A listening socket on {@code local} (a wildcard address or port 0 allowed). */
  ServerSocket listen(InetSocketAddress local, int backlog) throws IOException;

  /** A UDP socket bound to {@code local} (a wildcard address or port 0 allowed). */
  Datagrams openDatagram(InetSocketAddress local) throws IOException;

  /**
   * The addresses of {@code host} as this network's DNS knows them, or of the literal.
   *
   * @throws java.net.UnknownHostException when there is none
   */
  List<InetAddress> resolve(String host) throws IOException;

  /** "tunnel" or "host", for messages. */
  String name();
}
