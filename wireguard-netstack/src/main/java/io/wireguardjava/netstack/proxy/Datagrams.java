package io.wireguardjava.netstack.proxy;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * A bound UDP socket of a {@link Network}. One thread may receive while another sends; {@link
 * #close} wakes a blocked {@link #receive} with an exception. The caller owns every buffer: the
 * implementation does not keep it after returning.
 */
interface Datagrams extends Closeable {
  /** Sends {@code src}'s remaining bytes as one datagram to {@code to} (resolved). */
  void send(ByteBuffer src, InetSocketAddress to) throws IOException;

  /**
   * Blocks for one datagram, puts it into {@code dst} (excess bytes dropped) and returns its
   * source.
   */
  InetSocketAddress receive(ByteBuffer dst) throws IOException;

  /** The bound address and port. */
  InetSocketAddress localAddress();

  @Override
  void close();
}
