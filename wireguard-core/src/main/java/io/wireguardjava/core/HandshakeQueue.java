package io.wireguardjava.core;

import io.wireguardjava.spi.DatagramAddress;

/**
 * Handshake messages (initiations, responses, cookie replies) waiting for the handshake thread,
 * with their source addresses: a bounded ring of preallocated 148-byte slots and address holders
 * (copied in and out, so a flood allocates nothing). The receive thread offers (never blocks: a
 * full queue drops), the handshake thread polls. Its length is the "under load" signal.
 */
final class HandshakeQueue {
  static final int SLOT = 148;

  private static final DatagramAddress EMPTY = new DatagramAddress();

  private final byte[][] slots;
  private final int[] lengths;
  private final DatagramAddress[] sources;
  private int head;
  private int count;

  HandshakeQueue(int capacity) {
    slots = new byte[capacity][SLOT];
    lengths = new int[capacity];
    sources = new DatagramAddress[capacity];
    for (int i = 0; i < capacity; i++) {
      sources[i] = new DatagramAddress();
    }
  }

  /** Copies a message in; false when full or too long. */
  synchronized boolean offer(byte[] buf, int off, int len, DatagramAddress source) {
    if (count == slots.length || len > SLOT) {
      return false;
    }
    int tail = (head + count) % slots.length;
    System.arraycopy(buf, off, slots[tail], 0, len);
    lengths[tail] = len;
    sources[tail].copyFrom(source);
    count++;
    return true;
  }

  /**
   * Copies the oldest message to {@code dst[0..)} and its source into {@code source}.
   *
   * @return false when empty; else the length is in {@code lengthOut[0]}
   */
  synchronized boolean poll(byte[] dst, int[] lengthOut, DatagramAddress source) {
    if (count == 0) {
      return false;
    }
    int n = lengths[head];
    System.arraycopy(slots[head], 0, dst, 0, n);
    lengthOut[0] = n;
    source.copyFrom(sources[head]);
    head = (head + 1) % slots.length;
    count--;
    return true;
  }

  synchronized int size() {
    return count;
  }

  synchronized void clear() {
    for (DatagramAddress a : sources) {
      a.copyFrom(EMPTY);
    }
    for (byte[] s : slots) {
      java.util.Arrays.fill(s, (byte) 0);
    }
    count = 0;
  }
}
