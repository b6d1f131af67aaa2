package io.wireguardjava.netstack.proxy;

import io.wireguardjava.netstack.TunnelDatagramSocket;
import io.wireguardjava.netstack.TunnelNetwork;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The tunnel side of the proxies: a {@link TunnelNetwork}'s sockets and DNS. */
final class TunnelNetworkAdapter implements Network {
  private final TunnelNetwork network;

  TunnelNetworkAdapter(TunnelNetwork network) {
    this.network = network;
  }

  @Override
  public Socket connect(InetSocketAddress to, Duration timeout) throws IOException {
    return network.connect(to, timeout);
  }

  @Override
  public ServerSocket listen(InetSocketAddress local, int backlog) throws IOException {
    return network.listen(local, backlog);
  }

  @Override
  public Datagrams openDatagram(InetSocketAddress local) throws IOException {
    if (!local.getAddress().isAnyLocalAddress()) {
      throw new java.net.BindException(
          "UDP sockets in the tunnel bind every interface address,"
              + " not "
              + Sockets.format(local));
    }
    return new TunnelDatagrams(network.openDatagram(local.getPort()));
  }

  @Override
  public List<InetAddress> resolve(String host) throws IOException {
    Optional<InetAddress> literal = HostNames.literal(host);
    return literal.isPresent() ? List.of(literal.get()) : network.resolve(host);
  }

  @Override
  public String name() {
    return "tunnel";
  }

  private static final class TunnelDatagrams implements Datagrams {
    private final TunnelDatagramSocket socket;

    TunnelDatagrams(TunnelDatagramSocket socket) {
      this.socket = socket;
    }

    @Override
    public void send(ByteBuffer src, InetSocketAddress to) throws IOException {
      socket.send(src, to);
    }

    @Override
    public InetSocketAddress receive(ByteBuffer dst) throws IOException {
      return socket.receive(dst);
    }

    @Override
    public InetSocketAddress localAddress() {
      return socket.localAddress();
    }

    @Override
    public void close() {
      socket.close();
    }
  }
}
