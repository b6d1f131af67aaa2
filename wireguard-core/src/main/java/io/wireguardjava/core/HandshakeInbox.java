package io.wireguardjava.core;

import java.net.InetSocketAddress;

/**
 * Where the receive thread hands handshake messages (initiations, responses, cookie replies):
 * {@link HandshakeWorker}. The message is copied; {@code buf} stays the caller's.
 */
interface HandshakeInbox {
  /**
   * Takes one handshake message {@code buf[off..off+len)} from {@code from}; never blocks.
   *
   * @return false when it was dropped because the queue is full (the caller counts it)
   */
  boolean offer(byte[] buf, int off, int len, InetSocketAddress from);
}
