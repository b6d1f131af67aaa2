package io.wireguardjava.netstack.internal.stack;

import java.io.IOException;
import java.net.SocketException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * Packets built by application threads (UDP datagrams, echo requests) on their way to the stack
 * thread, which emits them in {@code poll}. The buffers are preallocated and recycled: sending
 * allocates nothing; when all are in flight, senders wait (as a full socket send buffer makes a
 * kernel UDP send wait).
 */
final class Outbox {
  /** One reusable packet buffer. */
  static final class Slot {
    final byte[] buf;
    int length;

    Slot(int size) {
      buf = new byte[size];
    }
  }

  private final ArrayBlockingQueue<Slot> free;
  private final ConcurrentLinkedQueue<Slot> queued = new ConcurrentLinkedQueue<>();
  private volatile boolean closed;

  Outbox(int slots, int size) {
    free = new ArrayBlockingQueue<>(slots);
    for (int i = 0; i < slots; i++) {
      free.add(new Slot(size));
    }
  }

  /** Takes a free buffer, waiting while all are in flight. */
  Slot acquire() throws IOException {
    try {
      while (!closed) {
        Slot s = free.poll(100, TimeUnit.MILLISECONDS);
        if (s != null) {
          return s;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while waiting to send");
    }
    throw new SocketException("The tunnel network is closed");
  }

  /** Gives back a buffer that was acquired but not queued. */
  void release(Slot s) {
    free.offer(s);
  }

  /** Queues a filled buffer for the stack thread. */
  void queue(Slot s) {
    queued.add(s);
  }

  /** Stack thread: hands every queued packet to {@code output} and recycles the buffers. */
  int drain(PacketOutput output, StackCounters counters) {
    int n = 0;
    for (Slot s; (s = queued.poll()) != null; n++) {
      if (output.emit(s.buf, 0, s.length)) {
        counters.sent();
      } else {
        counters.drop(StackDrop.OUTPUT_FAILED);
      }
      free.offer(s);
    }
    return n;
  }

  boolean isEmpty() {
    return queued.isEmpty();
  }

  void close() {
    closed = true;
  }
}
