package io.wireguardjava.netstack.internal.tcp;

import java.util.Arrays;

/**
 * A binary min-heap of (deadline, connection) in two arrays: pushing allocates nothing once the
 * arrays have grown. Entries are not removed when a connection's deadline moves: a connection is
 * pushed again only when its deadline moves earlier, and an entry that pops with a deadline other
 * than the connection's {@code queuedDeadline} is stale and skipped. Stack thread only.
 */
final class TimerHeap {
  private long[] deadlines = new long[64];
  private TcpConnection[] connections = new TcpConnection[64];
  private int size;

  int size() {
    return size;
  }

  /** The earliest deadline, or {@link TcpConnection#NEVER} when empty. */
  long peekDeadline() {
    return size == 0 ? TcpConnection.NEVER : deadlines[0];
  }

  /** The connection of the earliest entry; call {@link #pop} after reading both. */
  TcpConnection peekConnection() {
    return connections[0];
  }

  void push(long deadline, TcpConnection c) {
    if (size == deadlines.length) {
      deadlines = Arrays.copyOf(deadlines, size * 2);
      connections = Arrays.copyOf(connections, size * 2);
    }
    int i = size++;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (deadlines[parent] <= deadline) {
        break;
      }
      deadlines[i] = deadlines[parent];
      connections[i] = connections[parent];
      i = parent;
    }
    deadlines[i] = deadline;
    connections[i] = c;
  }

  void pop() {
    size--;
    long d = deadlines[size];
    TcpConnection c = connections[size];
    connections[size] = null;
    if (size == 0) {
      return;
    }
    int i = 0;
    while (true) {
      int child = 2 * i + 1;
      if (child >= size) {
        break;
      }
      if (child + 1 < size && deadlines[child + 1] < deadlines[child]) {
        child++;
      }
      if (deadlines[child] >= d) {
        break;
      }
      deadlines[i] = deadlines[child];
      connections[i] = connections[child];
      i = child;
    }
    deadlines[i] = d;
    connections[i] = c;
  }

  void clear() {
    Arrays.fill(connections, 0, size, null);
    size = 0;
  }
}
