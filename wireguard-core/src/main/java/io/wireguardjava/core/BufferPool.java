package io.wireguardjava.core;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Packet buffers shared by the staging queues of all peers: taken when a packet must wait for a
 * handshake, returned when it is sent or dropped. Buffers are created on demand up to {@code max},
 * then reused forever; taking and returning does not allocate.
 */
final class BufferPool {
  private final ArrayBlockingQueue<byte[]> free;
  private final AtomicInteger created = new AtomicInteger();
  private volatile int bufferSize;
  private final int max;

  BufferPool(int bufferSize, int max) {
    this.bufferSize = bufferSize;
    this.max = max;
    this.free = new ArrayBlockingQueue<>(max);
  }

  int bufferSize() {
    return bufferSize;
  }

  /**
   * Makes buffers {@code size} bytes from now on (the MTU changed); buffers of the old size are
   * dropped when next taken or given back.
   */
  void resize(int size) {
    bufferSize = size; // take() and give() let buffers of another size go
  }

  /** A buffer of {@link #bufferSize()} bytes, or null when all {@code max} are in use. */
  byte @Nullable [] take() {
    for (byte[] b; (b = free.poll()) != null; ) {
      if (b.length == bufferSize) {
        return b;
      }
      created.decrementAndGet(); // of a size before resize(): let it go
    }
    if (created.incrementAndGet() <= max) {
      return new byte[bufferSize];
    }
    created.decrementAndGet();
    return null;
  }

  /** Returns a buffer from {@link #take()}. */
  void give(byte[] b) {
    if (b.length != bufferSize || !free.offer(b)) {
      created.decrementAndGet(); // of a size before resize(): let it go
    }
  }

  int created() {
    return created.get();
  }

  /** Buffers taken and not yet returned (for tests: a leak shows here). */
  int inUse() {
    return created.get() - free.size();
  }
}
