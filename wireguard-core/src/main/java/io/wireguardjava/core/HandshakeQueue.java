package io.wireguardjava.core;

import java.net.InetSocketAddress;
import org.jspecify.annotations.Nullable;

/**
 * Handshake messages (initiations, responses, cookie replies) waiting for the handshake thread,
 * with their source addresses: a bounded ring of preallocated 148-byte slots. The receive thread
 * offers (never blocks: a full queue drops), the handshake thread polls. Its length is the "under
 * load" signal.
 */
final class HandshakeQueue {
  static final int SLOT = 148;

  private final byte[][] slots;
  private final int[] lengths;
  private final InetSocketAddress[] sources;
  private int head;
  private int count;

  HandshakeQueue(int capacity) {
    slots = new byte[capacity][SLOT];
    lengths = new int[capacity];
    sources = new InetSocketAddress[capacity];
  }

  /** Copies a message in; false when full or too long. */
  synchronized boolean offer(byte[] buf, int off, int len, InetSocketAddress source) {
    if (count == slots.length || len > SLOT) {
      return false;
    }
    int tail = (head + count) % slots.length;
    System.arraycopy(buf, off, slots[tail], 0, len);
    lengths[tail] = len;
    sources[tail] = source;
    count++;
    return true;
  }

  /**
   * Copies the oldest message to {@code dst[0..)}.
   *
   * @return its source, or null when empty; the length is in {@code lengthOut[0]}
   */
  synchronized @Nullable InetSocketAddress poll(byte[] dst, int[] lengthOut) {
    if (count == 0) {
      return null;
    }
    int n = lengths[head];
    System.arraycopy(slots[head], 0, dst, 0, n);
    lengthOut[0] = n;
    InetSocketAddress s = sources[head];
    sources[head] = null;
    head = (head + 1) % slots.length;
    count--;
    return s;
  }

  synchronized int size() {
    return count;
  }

  synchronized void clear() {
    java.util.Arrays.fill(sources, null);
    for (byte[] s : slots) {
      java.util.Arrays.fill(s, (byte) 0);
    }
    count = 0;
  }
}
