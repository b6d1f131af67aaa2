package io.wireguardjava.netstack.proxy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The host's own JDK sockets and resolver: the local side of {@link PortForward} and the listening
 * side of the proxies.
 */
final class HostNetwork implements Network {
  /** The one instance. */
  static final HostNetwork INSTANCE = new HostNetwork();

  private HostNetwork() {}

  @Override
  public Socket connect(InetSocketAddress to, Duration timeout) throws IOException {
    Socket s = new Socket();
    try {
      s.connect(to, Timeouts.millis(timeout));
      return s;
    } catch (IOException e) {
      s.close();
      throw e;
    }
  }

  @Override
  public ServerSocket listen(InetSocketAddress local, int backlog) throws IOException {
    ServerSocket s = new ServerSocket();
    try {
      s.setReuseAddress(true);
      s.bind(local, backlog);
      return s;
    } catch (IOException e) {
      s.close();
      throw e;
    }
  }

  @Override
  public Datagrams openDatagram(InetSocketAddress local) throws IOException {
    DatagramChannel ch = DatagramChannel.open();
    try {
      ch.bind(local);
      return new ChannelDatagrams(ch);
    } catch (IOException e) {
      ch.close();
      throw e;
    }
  }

  @Override
  public List<InetAddress> resolve(String host) throws IOException {
    Optional<InetAddress> literal = HostNames.literal(host);
    if (literal.isPresent()) {
      return List.of(literal.get());
    }
    return Arrays.asList(InetAddress.getAllByName(host));
  }

  @Override
  public String name() {
    return "host";
  }

  /** A blocking {@link DatagramChannel}: close wakes a blocked receive. */
  private static final class ChannelDatagrams implements Datagrams {
    private final DatagramChannel channel;
    private final InetSocketAddress local;

    ChannelDatagrams(DatagramChannel channel) throws IOException {
      this.channel = channel;
      this.local = (InetSocketAddress) channel.getLocalAddress();
    }

    @Override
    public void send(ByteBuffer src, InetSocketAddress to) throws IOException {
      channel.send(src, to);
    }

    @Override
    public InetSocketAddress receive(ByteBuffer dst) throws IOException {
      SocketAddress from = channel.receive(dst);
      return (InetSocketAddress) from;
    }

    @Override
    public InetSocketAddress localAddress() {
      return local;
    }

    @Override
    public void close() {
      try {
        channel.close();
      } catch (IOException e) {
        // nothing left to release
      }
    }
  }
}
