package io.wireguardjava.core;

import io.wireguardjava.DropReason;
import io.wireguardjava.spi.PacketDevice;
import java.io.IOException;
import java.util.Arrays;

/**
 * The plaintext packets of one received batch, opened back to back into one buffer and written to
 * the device together at the end of the batch ({@link #flush}), each counted against its peer if
 * the device refuses it. Owned by the receive thread; preallocated (room for every datagram of a
 * batch, which only shrink when opened), so nothing is allocated per packet. A device with a batch
 * write would take {@link #flush}'s packets in one call (and a TUN with offload coalesce them).
 */
final class DeviceWrites {
  private final byte[] data;
  private final int[] offsets;
  private final int[] lengths;
  private final PeerState[] peers;
  private int count;
  private int end;

  /**
   * @param capacity the most packets
   * @param bytes room for all of them
   */
  DeviceWrites(int capacity, int bytes) {
    data = new byte[bytes];
    offsets = new int[capacity];
    lengths = new int[capacity];
    peers = new PeerState[capacity];
  }

  /** Where the next packet is opened: {@code buffer()[nextOffset()..]}. */
  byte[] buffer() {
    return data;
  }

  int nextOffset() {
    return end;
  }

  /** Bytes left for the next packet. */
  int room() {
    return data.length - end;
  }

  boolean isFull() {
    return count == offsets.length;
  }

  /** Keeps the packet of {@code length} bytes just opened at {@link #nextOffset()}. */
  void add(int length, PeerState peer) {
    offsets[count] = end;
    lengths[count] = length;
    peers[count] = peer;
    count++;
    end += length;
  }

  int count() {
    return count;
  }

  /** Writes every packet, in order; a refused one is dropped and counted for its peer. */
  void flush(PacketDevice device, Events events, Lifecycle lifecycle) {
    for (int i = 0; i < count; i++) {
      try {
        device.write(data, offsets[i], lengths[i]);
      } catch (InProcessDevice.DeviceFullException e) {
        events.drop(DropReason.DEVICE_QUEUE_FULL, peers[i]);
      } catch (IOException e) {
        if (!lifecycle.closed()) {
          events.drop(DropReason.IO_ERROR, peers[i]);
        }
      }
    }
    Arrays.fill(peers, 0, count, null);
    count = 0;
    end = 0;
  }
}
