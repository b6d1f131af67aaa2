package io.wireguardjava.netstack.internal.tcp;

/**
 * A growable ring of bytes: {@code size} readable bytes from {@code head}, and writable space past
 * them. Used for both directions of a connection: the send side peeks at any offset (segments to
 * (re)transmit) and discards what is acknowledged; the receive side writes out-of-order data past
 * the readable bytes and commits it once the gap before it fills. Not thread-safe: the owning
 * connection's lock guards it.
 */
final class ByteRing {
  private byte[] buf;
  private int head;
  private int size;

  ByteRing(int capacity) {
    buf = new byte[capacity];
  }

  int capacity() {
    return buf.length;
  }

  int size() {
    return size;
  }

  int free() {
    return buf.length - size;
  }

  /** Appends {@code len <= free()} bytes. */
  void append(byte[] src, int off, int len) {
    writeAt(0, src, off, len);
    size += len;
  }

  /** Writes past the readable bytes at {@code offset} without making them readable. */
  void writeAt(int offset, byte[] src, int off, int len) {
    if (offset < 0 || len < 0 || size + offset + len > buf.length) {
      throw new IndexOutOfBoundsException("ring write past capacity");
    }
    int pos = (head + size + offset) % buf.length;
    int first = Math.min(len, buf.length - pos);
    System.arraycopy(src, off, buf, pos, first);
    System.arraycopy(src, off + first, buf, 0, len - first);
  }

  /** Makes {@code n} bytes written with {@link #writeAt} readable. */
  void commit(int n) {
    if (n < 0 || size + n > buf.length) {
      throw new IndexOutOfBoundsException("ring commit past capacity");
    }
    size += n;
  }

  /** Copies {@code len} bytes starting {@code offset} bytes after the head, without consuming. */
  void peek(int offset, byte[] dst, int off, int len) {
    if (offset < 0 || len < 0 || offset + len > size) {
      throw new IndexOutOfBoundsException("ring peek past data");
    }
    int pos = (head + offset) % buf.length;
    int first = Math.min(len, buf.length - pos);
    System.arraycopy(buf, pos, dst, off, first);
    System.arraycopy(buf, 0, dst, off + first, len - first);
  }

  /** Consumes up to {@code len} bytes into dst. */
  int read(byte[] dst, int off, int len) {
    int n = Math.min(len, size);
    peek(0, dst, off, n);
    discard(n);
    return n;
  }

  void discard(int n) {
    if (n < 0 || n > size) {
      throw new IndexOutOfBoundsException("ring discard past data");
    }
    head = (head + n) % buf.length;
    size -= n; // head stays put even when empty: data written past it must keep its place
  }

  /**
   * Grows to {@code newCapacity}, keeping the readable bytes and {@code extra} bytes of written but
   * uncommitted data after them.
   */
  void grow(int newCapacity, int extra) {
    if (newCapacity <= buf.length) {
      return;
    }
    byte[] n = new byte[newCapacity];
    int keep = Math.min(buf.length, size + extra);
    int first = Math.min(keep, buf.length - head);
    System.arraycopy(buf, head, n, 0, first);
    System.arraycopy(buf, 0, n, first, keep - first);
    buf = n;
    head = 0;
  }
}
