package io.wireguardjava.core;

import io.wireguardjava.spi.DatagramAddress;

/**
 * Where the receive thread hands handshake messages (initiations, responses, cookie replies):
 * {@link HandshakeWorker}. The message and its addresses are copied; {@code buf} and {@code from}
 * stay the caller's.
 */
interface HandshakeInbox {
  /**
   * Takes one handshake message {@code buf[off..off+len)} from {@code from} (with the local address
   * it arrived on, where the answer leaves from); never blocks.
   *
   * @return false when it was dropped because the queue is full (the caller counts it)
   */
  boolean offer(byte[] buf, int off, int len, DatagramAddress from);
}
