package io.wireguardjava.core;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * The transport messages sealed for one peer from one batch of packets, back to back in one
 * preallocated buffer, then handed to the socket together ({@link #sendAll}). Owned by the send
 * thread; it grows only when the MTU does, so nothing is allocated per packet or per batch.
 *
 * <p>The shape of a batched UDP send (one buffer, offsets and lengths, one destination): a
 * transport that takes a whole vector in one call ({@code sendmmsg}, UDP GSO) replaces the loop in
 * {@link #sendAll} without changing the callers.
 */
final class SealedDatagrams {
  private final int capacity;
  private byte[] data;
  private ByteBuffer view;
  private int slot;
  private final int[] lengths;
  private int count;

  /**
   * @param capacity the most datagrams per batch
   * @param mtu the tunnel's MTU: each datagram has room for a packet of that size
   */
  SealedDatagrams(int capacity, int mtu) {
    this.capacity = capacity;
    this.lengths = new int[capacity];
    this.slot = PacketSize.datagramLength(mtu);
    this.data = new byte[capacity * slot];
    this.view = ByteBuffer.wrap(data);
  }

  /** Grows the slots for a larger MTU (allocates only then), and empties the batch. */
  void reset(int mtu) {
    int need = PacketSize.datagramLength(mtu);
    if (need > slot) {
      slot = need;
      data = new byte[capacity * slot];
      view = ByteBuffer.wrap(data);
    }
    count = 0;
  }

  int count() {
    return count;
  }

  boolean isFull() {
    return count == capacity;
  }

  /** The buffer the next datagram is sealed into, at {@link #nextOffset()}. */
  byte[] data() {
    return data;
  }

  int nextOffset() {
    return count * slot;
  }

  /** Appends the datagram of {@code length} bytes sealed at {@link #nextOffset()}. */
  void add(int length) {
    lengths[count++] = length;
  }

  /** The bytes of every datagram held. */
  long totalBytes() {
    long t = 0;
    for (int i = 0; i < count; i++) {
      t += lengths[i];
    }
    return t;
  }

  /**
   * Sends every datagram to {@code to}, in order.
   *
   * @return how many could not be handed to the network (to be counted by the caller)
   */
  int sendAll(DatagramSender sender, InetSocketAddress to) {
    int failed = 0;
    for (int i = 0; i < count; i++) {
      view.clear();
      view.position(i * slot);
      view.limit(i * slot + lengths[i]);
      try {
        sender.send(view, to);
      } catch (IOException e) {
        failed++;
      }
    }
    return failed;
  }
}
