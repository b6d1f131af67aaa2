package io.wireguardjava.core;

import io.wireguardjava.spi.DatagramAddress;
import io.wireguardjava.spi.DatagramBatch;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Sends one UDP datagram: the seam between the protocol code (handshakes, peers) and the socket.
 * {@link UdpTransport} is the real one; tests record what would be sent.
 */
interface DatagramSender {
  /**
   * Sends {@code datagram}'s remaining bytes to {@code to}. The caller owns the buffer; the
   * implementation must not keep it after returning.
   *
   * @throws IOException if the datagram could not be handed to the network (the caller counts it)
   */
  void send(ByteBuffer datagram, InetSocketAddress to) throws IOException;

  /**
   * Sends {@code buf[off..off+len)} to {@code to}, from {@code to}'s local address when it has one
   * (the data path: no allocation in {@link UdpTransport}). The default goes through {@link
   * #send(ByteBuffer, InetSocketAddress)}.
   *
   * @throws IOException if the datagram could not be handed to the network (the caller counts it)
   */
  default void send(byte[] buf, int off, int len, DatagramAddress to) throws IOException {
    send(ByteBuffer.wrap(buf, off, len), to.toInetSocketAddress());
  }

  /**
   * Sends every datagram of {@code batch} to {@code to}, in order (the data path's batches: one
   * {@code sendmmsg} or UDP GSO send where the transport has them). The default sends them one by
   * one.
   *
   * @throws IOException if the batch could not be handed to the network (the caller counts it)
   */
  default void send(DatagramBatch batch, DatagramAddress to) throws IOException {
    byte[] data = batch.data();
    for (int i = 0; i < batch.count(); i++) {
      send(data, batch.offset(i), batch.length(i), to);
    }
  }
}
