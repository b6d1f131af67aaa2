package io.wireguardjava.netstack.internal.stack;

import io.wireguardjava.netstack.internal.tcp.TcpSocket;
import java.io.IOException;
import java.net.Socket;

/**
 * A {@link Socket} whose connection runs over the tunnel network's TCP. Everything is inherited
 * from {@code java.net.Socket}, which drives {@link TunnelSocketImpl}: streams, timeouts, half
 * close, options, addresses; TLS layers on with {@code SSLSocketFactory.createSocket(socket, host,
 * port, true)}.
 */
public final class TunnelSocket extends Socket {

  /**
   * An unconnected socket; {@link #connect} opens the connection through the tunnel (an unresolved
   * address is resolved with the tunnel's DNS).
   *
   * @param context the network
   * @throws java.net.SocketException never in practice (declared by {@code Socket})
   */
  public TunnelSocket(SocketContext context) throws java.net.SocketException {
    super(new TunnelSocketImpl(context));
  }

  private TunnelSocket(TunnelSocketImpl impl) throws java.net.SocketException {
    super(impl);
  }

  /** Wraps a connection a listener accepted, connected already. */
  static TunnelSocket accepted(SocketContext context, TcpSocket handle) throws IOException {
    TunnelSocket s = new TunnelSocket(new TunnelSocketImpl(context, handle));
    s.connect(handle.remoteAddress()); // records the accepted connection: no packet is sent
    return s;
  }

  @Override
  public String toString() {
    return isConnected()
        ? "TunnelSocket["
            + getLocalSocketAddress()
            + " -> "
            + getRemoteSocketAddress()
            + (isClosed() ? ", closed]" : "]")
        : "TunnelSocket[unconnected" + (isClosed() ? ", closed]" : "]");
  }
}
