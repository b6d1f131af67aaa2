package io.wireguardjava.netstack.internal.tcp;

import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The demultiplexing table: open addressing with linear probing over the flow hash, looked up with
 * the packet's own bytes so no key object is made per segment. Stack thread only.
 */
final class ConnectionTable {
  private TcpConnection[] slots = new TcpConnection[64];
  private int size;

  int size() {
    return size;
  }

  @Nullable TcpConnection find(
      byte[] p, int srcOff, int dstOff, int addrLen, int srcPort, int dstPort) {
    int h = TcpFlow.hash(p, srcOff, p, dstOff, addrLen, srcPort, dstPort);
    int mask = slots.length - 1;
    for (int i = h & mask; ; i = (i + 1) & mask) {
      TcpConnection c = slots[i];
      if (c == null) {
        return null;
      }
      if (c.flow.demuxHash() == h && c.flow.matches(p, srcOff, dstOff, addrLen, srcPort, dstPort)) {
        return c;
      }
    }
  }

  void add(TcpConnection c) {
    if ((size + 1) * 2 > slots.length) {
      TcpConnection[] old = slots;
      slots = new TcpConnection[old.length * 2];
      size = 0;
      for (TcpConnection o : old) {
        if (o != null) {
          insert(o);
        }
      }
    }
    insert(c);
  }

  private void insert(TcpConnection c) {
    int mask = slots.length - 1;
    int i = c.flow.demuxHash() & mask;
    while (slots[i] != null) {
      i = (i + 1) & mask;
    }
    slots[i] = c;
    size++;
  }

  /** Removes c, shifting later entries of its probe run back (no tombstones). */
  boolean remove(TcpConnection c) {
    int mask = slots.length - 1;
    int i = c.flow.demuxHash() & mask;
    while (slots[i] != c) {
      if (slots[i] == null) {
        return false;
      }
      i = (i + 1) & mask;
    }
    slots[i] = null;
    size--;
    int j = i;
    while (true) {
      j = (j + 1) & mask;
      TcpConnection m = slots[j];
      if (m == null) {
        return true;
      }
      int home = m.flow.demuxHash() & mask;
      // Move m back into the hole at i if its home is not in the cyclic range (i, j].
      boolean stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
      if (!stays) {
        slots[i] = m;
        slots[j] = null;
        i = j;
      }
    }
  }

  /** Visits every connection; the action must not add or remove (collect removals instead). */
  void forEach(Consumer<TcpConnection> action) {
    for (TcpConnection c : slots) {
      if (c != null) {
        action.accept(c);
      }
    }
  }
}
