package io.wireguardjava.examples.lab;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;

/**
 * The network a {@link LabAgent} works on: the kernel's (plain JDK sockets, over whatever the
 * namespace routes, e.g. a {@code wg-java up} TUN) or our userspace stack over an in-process tunnel
 * ({@code TunnelNetwork}). The agent's commands are written once against this, so the same tool
 * measures and checks both.
 */
interface Net extends AutoCloseable {

  /** {@code host:port}; a host name is resolved the way this network resolves names. */
  InetSocketAddress address(String host, int port) throws IOException;

  /** A connected TCP socket. */
  Socket connect(InetSocketAddress to, Duration timeout) throws IOException;

  /** A TCP listener on every address of this network. */
  ServerSocket listen(int port) throws IOException;

  /** A UDP socket bound to {@code port} (0: ephemeral). */
  Datagrams openDatagram(int port) throws IOException;

  /** The addresses of {@code host}. */
  List<InetAddress> resolve(String host) throws IOException;

  /** One ICMP echo round trip. */
  Duration ping(InetAddress to, Duration timeout) throws IOException;

  @Override
  void close() throws IOException;

  /** A UDP socket of a {@link Net}. */
  interface Datagrams extends AutoCloseable {
    /** Sends the remaining bytes of {@code data} to {@code to}. */
    void send(ByteBuffer data, InetSocketAddress to) throws IOException;

    /** Receives one datagram into {@code dst}; SocketTimeoutException after the timeout. */
    InetSocketAddress receive(ByteBuffer dst) throws IOException;

    /** The receive timeout. */
    void setSoTimeout(Duration timeout) throws IOException;

    @Override
    void close();
  }
}
