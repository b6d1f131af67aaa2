package io.wireguardjava.core;

import io.wireguardjava.spi.DatagramAddress;
import io.wireguardjava.spi.DatagramBatch;
import java.io.IOException;

/**
 * The transport messages sealed for one peer from one batch of packets, back to back in one
 * preallocated {@link DatagramBatch}, then handed to the socket in one call ({@link #sendAll}):
 * {@code sendmmsg} or one UDP GSO send on Linux, a loop elsewhere. Owned by the send thread; it
 * grows only when the MTU does, so nothing is allocated per packet or per batch.
 */
final class SealedDatagrams {
  private final int capacity;
  private int slot;
  private DatagramBatch batch;

  /**
   * @param capacity the most datagrams per batch
   * @param mtu the tunnel's MTU: each datagram has room for a packet of that size
   */
  SealedDatagrams(int capacity, int mtu) {
    this.capacity = capacity;
    this.slot = PacketSize.datagramLength(mtu);
    this.batch = new DatagramBatch(capacity, capacity * slot);
  }

  /** Grows the buffer for a larger MTU (allocates only then), and empties the batch. */
  void reset(int mtu) {
    int need = PacketSize.datagramLength(mtu);
    if (need > slot) {
      slot = need;
      batch = new DatagramBatch(capacity, capacity * slot);
    }
    batch.clear();
  }

  int count() {
    return batch.count();
  }

  boolean isFull() {
    return batch.isFull();
  }

  /** The buffer the next datagram is sealed into, at {@link #nextOffset()}. */
  byte[] data() {
    return batch.data();
  }

  int nextOffset() {
    return batch.end();
  }

  /** Appends the datagram of {@code length} bytes sealed at {@link #nextOffset()}. */
  void add(int length) {
    batch.add(length);
  }

  /** The bytes of every datagram held. */
  long totalBytes() {
    return batch.end();
  }

  /**
   * Sends every datagram to {@code to}, in order, in one transport call.
   *
   * @return how many could not be handed to the network (to be counted by the caller)
   */
  int sendAll(DatagramSender sender, DatagramAddress to) {
    try {
      sender.send(batch, to);
      return 0;
    } catch (IOException e) {
      return batch.count();
    }
  }
}
