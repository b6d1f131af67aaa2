package io.wireguardjava.netstack.internal.stack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import javax.net.SocketFactory;

/**
 * Creates {@link TunnelSocket}s. {@link #createSocket()} returns an unconnected socket to {@code
 * connect} later, as OkHttp and JDBC drivers do; host names given here are resolved with the
 * tunnel's DNS.
 */
public final class TunnelSocketFactory extends SocketFactory {
  private final SocketContext context;

  /**
   * Creates the factory.
   *
   * @param context the network
   */
  public TunnelSocketFactory(SocketContext context) {
    this.context = context;
  }

  @Override
  public Socket createSocket() throws IOException {
    return new TunnelSocket(context);
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    Socket s = new TunnelSocket(context);
    s.connect(InetSocketAddress.createUnresolved(host, port));
    return s;
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
      throws IOException {
    Socket s = new TunnelSocket(context);
    s.bind(new InetSocketAddress(localHost, localPort));
    s.connect(InetSocketAddress.createUnresolved(host, port));
    return s;
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    Socket s = new TunnelSocket(context);
    s.connect(new InetSocketAddress(host, port));
    return s;
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    Socket s = new TunnelSocket(context);
    s.bind(new InetSocketAddress(localAddress, localPort));
    s.connect(new InetSocketAddress(address, port));
    return s;
  }
}
