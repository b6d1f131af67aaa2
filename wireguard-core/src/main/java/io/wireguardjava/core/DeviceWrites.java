package io.wireguardjava.core;

import io.wireguardjava.DropReason;
import io.wireguardjava.spi.PacketBatch;
import io.wireguardjava.spi.PacketDevice;
import java.io.IOException;
import java.util.Arrays;

/**
 * The plaintext packets of one received batch, opened each into its own slot of a {@link
 * PacketBatch} and written to the device together at the end of the batch ({@link #flush}) with
 * {@link PacketDevice#writeBatch}: a TUN with offload merges one flow's segments into one GRO
 * write, so the host's stack sees one large packet instead of dozens. Owned by the receive thread;
 * preallocated (slots of the MTU, at least 1,500 bytes; grown only when the MTU grows), so nothing
 * is allocated per packet or per batch. A refused batch is counted against the peers of the packets
 * that did not go out.
 */
final class DeviceWrites {
  /** The smallest slot, as the send loop's: room for an ICMP answer's quote. */
  private static final int MIN_SLOT = 1500;

  private final int capacity;
  private PacketBatch batch;
  private final PeerState[] peers;

  /**
   * @param capacity the most packets per batch
   * @param mtu the tunnel's MTU: each slot holds a packet of that size
   */
  DeviceWrites(int capacity, int mtu) {
    this.capacity = capacity;
    this.batch = PacketBatch.allocate(capacity, 0, slot(mtu));
    this.peers = new PeerState[capacity];
  }

  /** A slot: a packet of the MTU and the padding a sender may add (under 16 bytes). */
  private static int slot(int mtu) {
    return Math.max(mtu + 16, MIN_SLOT);
  }

  /** Grows the slots when the MTU grew (allocates only then); call between batches. */
  void fit(int mtu) {
    if (slot(mtu) > batch.maxLength()) {
      batch = PacketBatch.allocate(capacity, 0, slot(mtu));
    }
  }

  /** Where the next packet is opened: {@code buffer()[nextOffset()..+room())}. */
  byte[] buffer() {
    return batch.array(batch.count());
  }

  int nextOffset() {
    return batch.offset(batch.count());
  }

  /** Bytes the next slot holds. */
  int room() {
    return batch.maxLength();
  }

  boolean isFull() {
    return batch.isFull();
  }

  /** Keeps the packet of {@code length} bytes just opened into the next slot. */
  void add(int length, PeerState peer) {
    peers[batch.count()] = peer;
    batch.add(length);
  }

  int count() {
    return batch.count();
  }

  /**
   * Writes every packet, in order; what the device refuses is dropped and counted. A device with a
   * batch write of its own ({@code batchWrites}) gets the whole batch in one call; any other one
   * packet at a time, so each refusal is counted exactly (a full in-process queue drops only the
   * packets that did not fit).
   */
  void flush(PacketDevice device, boolean batchWrites, Events events, Lifecycle lifecycle) {
    int n = batch.count();
    if (n > 0 && batchWrites) {
      try {
        device.writeBatch(batch);
      } catch (IOException e) {
        if (!lifecycle.closed()) {
          countAll(events, reasonOf(e), n);
        }
      }
    } else {
      for (int i = 0; i < n; i++) {
        try {
          device.write(batch.array(i), batch.offset(i), batch.length(i));
        } catch (IOException e) {
          if (!lifecycle.closed()) {
            events.drop(reasonOf(e), peers[i]);
          }
        }
      }
    }
    Arrays.fill(peers, 0, n, null);
    batch.clear();
  }

  private static DropReason reasonOf(IOException e) {
    return e instanceof InProcessDevice.DeviceFullException
        ? DropReason.DEVICE_QUEUE_FULL
        : DropReason.IO_ERROR;
  }

  /** Whether {@code device}'s class has a batch write of its own (looked up once per tunnel). */
  static boolean hasBatchWrite(PacketDevice device) {
    try {
      return device.getClass().getMethod("writeBatch", PacketBatch.class).getDeclaringClass()
          != PacketDevice.class;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  /**
   * Counts a refused batch write against the packets' peers. Which packets went out before the
   * failure is not reported by the batch write, so all of the batch's are counted: an upper bound.
   */
  private void countAll(Events events, DropReason reason, int n) {
    for (int i = 0; i < n; i++) {
      events.drop(reason, peers[i]);
    }
  }
}
