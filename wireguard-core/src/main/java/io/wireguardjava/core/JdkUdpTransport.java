package io.wireguardjava.core;

import io.wireguardjava.InetNetwork;
import io.wireguardjava.spi.DatagramAddress;
import io.wireguardjava.spi.DatagramBatch;
import io.wireguardjava.spi.DatagramTransport;
import java.io.IOException;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.Objects;
import java.util.Optional;

/**
 * The portable {@link DatagramTransport}: one blocking JDK {@link DatagramChannel}, dual stack
 * (IPv6 with IPv4-mapped addresses) unless bound to one address. One datagram per system call, no
 * offloads, no local-address control and no marks; used on every OS without a native transport, and
 * wherever the application asks for it ({@code TunnelOptions.Builder#portableUdpTransport}).
 *
 * <p>No allocation per datagram on the normal path: the JDK reuses the {@link InetSocketAddress} of
 * a repeated sender (and {@link DatagramAddress} keeps it), and each thread keeps the {@link
 * ByteBuffer} view of the last array it sent from or received into.
 */
final class JdkUdpTransport implements DatagramTransport {
  private final DatagramChannel channel;
  private final int port;

  /** The receiving thread's view of its batch's buffer. */
  private ByteBuffer receiveView = ByteBuffer.allocate(0);

  /** Each sending thread's view of the array it last sent from. */
  private final ThreadLocal<ByteBuffer> sendView =
      ThreadLocal.withInitial(() -> ByteBuffer.allocate(0));

  private JdkUdpTransport(DatagramChannel channel) throws IOException {
    this.channel = channel;
    this.port = ((InetSocketAddress) channel.getLocalAddress()).getPort();
  }

  /**
   * Opens and binds the channel.
   *
   * @throws BindException when the port is taken, naming address and port
   */
  static JdkUdpTransport open(Optional<InetAddress> bindAddress, int port) throws IOException {
    DatagramChannel ch;
    InetSocketAddress local;
    if (bindAddress.isPresent()) {
      InetAddress a = bindAddress.get();
      ch =
          DatagramChannel.open(
              a instanceof Inet4Address
                  ? StandardProtocolFamily.INET
                  : StandardProtocolFamily.INET6);
      local = new InetSocketAddress(a, port);
    } else {
      ch = DatagramChannel.open(); // IPv6 socket accepting IPv4 too, when the host has IPv6
      local = new InetSocketAddress(port);
    }
    try {
      ch.bind(local);
    } catch (IOException e) {
      ch.close();
      if (e instanceof BindException) { // the JDK's says "Address already in use", not which
        BindException named =
            new BindException(
                "cannot bind UDP "
                    + bindAddress.map(InetNetwork::addressText).orElse("*")
                    + " port "
                    + port
                    + ": "
                    + e.getMessage());
        named.initCause(e);
        throw named;
      }
      throw e;
    }
    try {
      ch.setOption(StandardSocketOptions.SO_RCVBUF, Limits.SOCKET_BUFFER_BYTES);
      ch.setOption(StandardSocketOptions.SO_SNDBUF, Limits.SOCKET_BUFFER_BYTES);
    } catch (IOException | UnsupportedOperationException e) {
      // the OS default buffers work, only slower under bursts
    }
    ch.configureBlocking(true);
    return new JdkUdpTransport(ch);
  }

  @Override
  public int port() {
    return port;
  }

  /** One datagram per call: the channel cannot receive more at once. */
  @Override
  public int receive(DatagramBatch batch) throws IOException {
    batch.clear();
    ByteBuffer view = receiveView;
    if (view.array() != batch.data()) {
      view = ByteBuffer.wrap(batch.data());
      receiveView = view;
    }
    view.clear();
    InetSocketAddress from = (InetSocketAddress) channel.receive(view);
    if (from == null) {
      throw new ClosedChannelException(); // only a non-blocking channel answers null
    }
    batch.address(0).setRemote(from);
    batch.add(view.position());
    return 1;
  }

  @Override
  public void send(byte[] buf, int off, int len, DatagramAddress to) throws IOException {
    Objects.checkFromIndexSize(off, len, buf.length);
    ByteBuffer view = sendView.get();
    if (view.array() != buf) {
      view = ByteBuffer.wrap(buf);
      sendView.set(view);
    }
    view.limit(off + len).position(off);
    channel.send(view, to.toInetSocketAddress());
  }

  @Override
  public String description() {
    return "jdk-udp [DatagramChannel, one datagram per call]";
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      // closing: nothing to do
    }
  }
}
