package io.wireguardjava.core;

import io.wireguardjava.crypto.Keypair;

/**
 * A peer's packets waiting for a session (the kernel's staged packet queue): at most {@link
 * Limits#MAX_STAGED_PACKETS}; when full, the oldest is dropped. Buffers come from a {@link
 * BufferPool} and go back to it when sent or dropped. Guarded by the peer's send lock.
 */
final class StagedPackets {
  /** {@link #add} refused a packet larger than a pool buffer. */
  static final int TOO_LARGE = -2;

  private final BufferPool pool;
  private final byte[][] buffers = new byte[Limits.MAX_STAGED_PACKETS][];
  private final int[] lengths = new int[Limits.MAX_STAGED_PACKETS];
  private int head;
  private int count;

  /**
   * Receives the staged packets in order; the buffer is the pool's, valid during the call. The
   * keypair and context are passed through, so one sink object serves every drain (no capturing
   * lambda per flush).
   */
  interface Sink {
    void accept(Keypair kp, SendContext ctx, byte[] buf, int length);
  }

  StagedPackets(BufferPool pool) {
    this.pool = pool;
  }

  /**
   * Copies a packet in.
   *
   * @return the number of packets dropped to make room (0 or 1), -1 when no buffer was free (the
   *     new packet is dropped), or {@link #TOO_LARGE} when the packet is larger than the pool's
   *     buffers (the MTU shrank after it was checked; dropped, nothing taken)
   */
  int add(byte[] buf, int off, int len) {
    if (len > pool.bufferSize()) {
      return TOO_LARGE;
    }
    int dropped = 0;
    if (count == buffers.length) {
      pool.give(buffers[head]);
      buffers[head] = null;
      head = (head + 1) % buffers.length;
      count--;
      dropped = 1;
    }
    byte[] b = pool.take();
    if (b == null) {
      return -1;
    }
    if (b.length < len) { // resized smaller between the check and the take
      pool.give(b);
      return TOO_LARGE;
    }
    System.arraycopy(buf, off, b, 0, len);
    int tail = (head + count) % buffers.length;
    buffers[tail] = b;
    lengths[tail] = len;
    count++;
    return dropped;
  }

  /** Hands every packet, oldest first, to {@code sink} with {@code kp} and {@code ctx}. */
  void drain(Sink sink, Keypair kp, SendContext ctx) {
    while (count > 0) {
      byte[] b = buffers[head];
      int len = lengths[head];
      buffers[head] = null;
      head = (head + 1) % buffers.length;
      count--;
      try {
        sink.accept(kp, ctx, b, len);
      } finally {
        pool.give(b);
      }
    }
  }

  /** Drops everything; returns how many packets were dropped. */
  int purge() {
    int n = count;
    while (count > 0) {
      pool.give(buffers[head]);
      buffers[head] = null;
      head = (head + 1) % buffers.length;
      count--;
    }
    return n;
  }

  int size() {
    return count;
  }

  boolean isEmpty() {
    return count == 0;
  }
}
