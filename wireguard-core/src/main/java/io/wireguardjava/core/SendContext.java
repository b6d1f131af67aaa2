package io.wireguardjava.core;

import java.nio.ByteBuffer;

/**
 * One thread's scratch space for sending: the datagram being built and a {@link ByteBuffer} view of
 * it for the socket. Each sending thread (send, receive when forwarding, handshake) owns one; it is
 * never shared, so the data path allocates nothing.
 */
final class SendContext {
  byte[] datagram;
  ByteBuffer view;

  SendContext(int size) {
    datagram = new byte[size];
    view = ByteBuffer.wrap(datagram);
  }

  /**
   * Grows the datagram to at least {@code size} bytes (the MTU went up): allocates only then.
   * Called by the owning thread only.
   */
  void ensureCapacity(int size) {
    if (datagram.length < size) {
      datagram = new byte[size];
      view = ByteBuffer.wrap(datagram);
    }
  }

  /** The view positioned on {@code datagram[0..length)}. */
  ByteBuffer frame(int length) {
    view.clear();
    view.limit(length);
    return view;
  }
}
