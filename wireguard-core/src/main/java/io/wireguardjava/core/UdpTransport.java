package io.wireguardjava.core;

import java.io.IOException;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The tunnel's UDP socket: one blocking {@link DatagramChannel}, dual stack (IPv6 with IPv4-mapped
 * addresses) unless bound to one address. The receive thread blocks in {@link #receive}; any thread
 * may {@link #send} concurrently (the channel has separate read and write locks).
 *
 * <p>{@link #rebind} opens the new socket before closing the old one, so a failure leaves the
 * tunnel on its old port; the receive thread sees the old channel close and continues on the new
 * one. Buffers: the caller owns them; nothing is kept after a call returns.
 */
final class UdpTransport implements AutoCloseable, DatagramSender {
  private final Optional<InetAddress> bindAddress;
  private volatile DatagramChannel channel;
  private volatile int port;
  private volatile boolean closed;

  UdpTransport(Optional<InetAddress> bindAddress, int port) throws IOException {
    this.bindAddress = bindAddress;
    this.channel = open(port);
    this.port = ((InetSocketAddress) channel.getLocalAddress()).getPort();
  }

  private DatagramChannel open(int port) throws IOException {
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
                    + bindAddress.map(a -> io.wireguardjava.InetNetwork.addressText(a)).orElse("*")
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
    return ch;
  }

  /** The bound port. */
  int port() {
    return port;
  }

  /**
   * Receives one datagram into {@code buf} (from its position); blocks.
   *
   * @return the sender, or null when the socket was replaced by {@link #rebind} (call again)
   * @throws ClosedChannelException once the transport is closed
   */
  @Nullable InetSocketAddress receive(ByteBuffer buf) throws IOException {
    DatagramChannel ch = channel;
    try {
      SocketAddress from = ch.receive(buf);
      return (InetSocketAddress) from;
    } catch (ClosedChannelException e) { // includes AsynchronousCloseException
      if (closed) {
        throw new ClosedChannelException();
      }
      return null; // rebound
    }
  }

  /**
   * Sends {@code buf}'s remaining bytes to {@code to}.
   *
   * @throws IOException when the OS refuses (unreachable network and the like)
   */
  @Override
  public void send(ByteBuffer buf, InetSocketAddress to) throws IOException {
    DatagramChannel ch = channel;
    try {
      ch.send(buf, to);
    } catch (ClosedChannelException e) {
      if (closed) {
        throw e;
      }
      channel.send(buf, to); // raced with a rebind: use the new socket
    }
  }

  /** Moves to {@code newPort} (0: any); on failure, stays on the old port. */
  synchronized void rebind(int newPort) throws IOException {
    if (newPort != 0 && newPort == port) {
      return;
    }
    DatagramChannel old = channel;
    DatagramChannel fresh = open(newPort);
    channel = fresh;
    port = ((InetSocketAddress) fresh.getLocalAddress()).getPort();
    old.close();
  }

  @Override
  public synchronized void close() {
    closed = true;
    try {
      channel.close();
    } catch (IOException e) {
      // closing: nothing to do
    }
  }
}
