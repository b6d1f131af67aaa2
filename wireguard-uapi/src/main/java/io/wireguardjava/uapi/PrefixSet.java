package io.wireguardjava.uapi;

import io.wireguardjava.InetNetwork;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A peer's allowed IPs while a request changes them: a set that keeps the order of first insertion,
 * as a {@code LinkedHashSet} would, without an entry object per prefix (a peer may hold a million).
 * The prefixes sit in one array in order, a removed one leaves a hole; an open-addressing table of
 * indices into that array finds them. Not thread-safe.
 */
final class PrefixSet {
  private static final int EMPTY = 0;
  private static final int REMOVED = -1;

  /** The prefixes in insertion order; null where one was removed. */
  private @Nullable InetNetwork[] items;

  /** Used slots of {@link #items}, holes included. */
  private int used;

  private int size;

  /** Index + 1 into {@link #items}, {@link #EMPTY} or {@link #REMOVED}; a power of two long. */
  private int[] table;

  /** Slots of {@link #table} not {@link #EMPTY}: entries and tombstones. */
  private int occupied;

  /**
   * A set holding {@code initial}, in its order.
   *
   * @param initial the prefixes to start with
   */
  PrefixSet(Collection<InetNetwork> initial) {
    items = new InetNetwork[Math.max(8, initial.size())];
    table = new int[tableSize(items.length)];
    for (InetNetwork n : initial) {
      add(n);
    }
  }

  private static int tableSize(int entries) {
    return Integer.highestOneBit(Math.max(16, entries) * 2 - 1) * 2; // at most half full
  }

  /**
   * The number of prefixes.
   *
   * @return the number of prefixes
   */
  int size() {
    return size;
  }

  /**
   * Adds {@code n} at the end unless it is there already (then it keeps its place).
   *
   * @param n the prefix
   * @return whether it was added
   */
  boolean add(InetNetwork n) {
    int mask = table.length - 1;
    int firstFree = -1;
    for (int slot = spread(n.hashCode()) & mask; ; slot = (slot + 1) & mask) {
      int t = table[slot];
      if (t == EMPTY) {
        if (firstFree < 0) {
          firstFree = slot;
          occupied++;
        }
        break;
      }
      if (t == REMOVED) {
        if (firstFree < 0) {
          firstFree = slot;
        }
      } else if (n.equals(items[t - 1])) {
        return false;
      }
    }
    if (used == items.length) {
      items = Arrays.copyOf(items, items.length * 2);
    }
    items[used++] = n;
    table[firstFree] = used; // index + 1
    size++;
    if (occupied * 2 > table.length) {
      rebuild(Math.max(size, items.length / 2));
    }
    return true;
  }

  /**
   * Makes room for {@code more} additions without growing again: a {@code wg setconf} of a million
   * prefixes arrives as one run of known length, and growing the table by doubling from 16 rehashed
   * every prefix about twice over (6 % of that apply in JFR).
   *
   * @param more how many prefixes are about to be added
   */
  void reserve(int more) {
    if (more <= 0) {
      return;
    }
    int needed = Math.addExact(used, more);
    if (needed > items.length) {
      items = Arrays.copyOf(items, needed);
    }
    if ((occupied + more) * 2 > table.length) {
      rebuild(Math.addExact(size, more));
    }
  }

  /**
   * Removes {@code n}.
   *
   * @param n the prefix
   * @return whether it was there
   */
  boolean remove(InetNetwork n) {
    int mask = table.length - 1;
    for (int slot = spread(n.hashCode()) & mask; ; slot = (slot + 1) & mask) {
      int t = table[slot];
      if (t == EMPTY) {
        return false;
      }
      if (t != REMOVED && n.equals(items[t - 1])) {
        items[t - 1] = null;
        table[slot] = REMOVED;
        size--;
        return true;
      }
    }
  }

  /** Empties the set. */
  void clear() {
    Arrays.fill(items, 0, used, null);
    Arrays.fill(table, EMPTY);
    used = 0;
    size = 0;
    occupied = 0;
  }

  /**
   * The prefixes in order, as a new list.
   *
   * @return the prefixes in order, as a new list
   */
  List<InetNetwork> toList() {
    List<InetNetwork> out = new ArrayList<>(size);
    for (int i = 0; i < used; i++) {
      InetNetwork n = items[i];
      if (n != null) {
        out.add(n);
      }
    }
    return out;
  }

  /** Drops the holes and tombstones, and sizes the table for {@code entries} at most half full. */
  private void rebuild(int entries) {
    int live = 0;
    for (int i = 0; i < used; i++) {
      InetNetwork n = items[i];
      if (n != null) {
        items[live++] = n;
      }
    }
    Arrays.fill(items, live, used, null);
    used = live;
    table = new int[tableSize(Math.max(live, entries))];
    occupied = 0;
    int mask = table.length - 1;
    for (int i = 0; i < used; i++) {
      InetNetwork n = items[i];
      if (n == null) {
        continue; // none left after the compaction above
      }
      int slot = spread(n.hashCode()) & mask;
      while (table[slot] != EMPTY) {
        slot = (slot + 1) & mask;
      }
      table[slot] = i + 1;
      occupied++;
    }
  }

  private static int spread(int h) {
    h *= 0x9E3779B1;
    return h ^ (h >>> 16);
  }
}
