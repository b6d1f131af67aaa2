package io.wireguardjava.core;

import java.security.SecureRandom;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Maps the 32-bit session indices this side hands out (the receiver index of incoming messages) to
 * their owner: a pending handshake or a keypair. Reads happen per packet on the receive thread and
 * neither lock nor allocate (no boxing): an open-addressing table of parallel arrays, replaced
 * whole on every change under the lock (changes happen per handshake only).
 */
final class IndexTable<T> {
  private static final class Table {
    final int[] keys;
    final Object[] values; // null = empty slot

    Table(int capacity) {
      keys = new int[capacity];
      values = new Object[capacity];
    }
  }

  private final SecureRandom random = new SecureRandom();
  private volatile Table table = new Table(16);
  private int size;

  /** Stores {@code value} under a new random index, unused so far; returns the index. */
  synchronized int add(T value) {
    int index;
    do {
      index = random.nextInt();
    } while (get(index) != null);
    Table t = table;
    int capacity = t.keys.length;
    if ((size + 1) * 2 > capacity) {
      capacity *= 2;
    }
    Table n = new Table(capacity);
    copyInto(t, n);
    put(n, index, value);
    size++;
    table = n;
    return index;
  }

  /** Removes {@code index} if it maps to {@code value}. */
  synchronized void remove(int index, T value) {
    Table t = table;
    if (get(index) != value) {
      return;
    }
    Table n = new Table(t.keys.length);
    for (int i = 0; i < t.keys.length; i++) {
      if (t.values[i] != null && !(t.keys[i] == index && t.values[i] == value)) {
        put(n, t.keys[i], t.values[i]);
      }
    }
    size--;
    table = n;
  }

  /** The owner of {@code index}, or null. Lock-free and allocation-free. */
  @SuppressWarnings("unchecked")
  @Nullable T get(int index) {
    Table t = table;
    int mask = t.keys.length - 1;
    for (int i = mix(index) & mask; ; i = (i + 1) & mask) {
      Object v = t.values[i];
      if (v == null) {
        return null;
      }
      if (t.keys[i] == index) {
        return (T) v;
      }
    }
  }

  synchronized int size() {
    return size;
  }

  synchronized void clear() {
    table = new Table(16);
    size = 0;
  }

  private static void copyInto(Table from, Table to) {
    for (int i = 0; i < from.keys.length; i++) {
      if (from.values[i] != null) {
        put(to, from.keys[i], from.values[i]);
      }
    }
  }

  private static void put(Table t, int key, Object value) {
    int mask = t.keys.length - 1;
    int i = mix(key) & mask;
    while (t.values[i] != null) {
      i = (i + 1) & mask;
    }
    t.keys[i] = key;
    t.values[i] = value;
  }

  private static int mix(int h) {
    h *= 0x9E3779B9;
    return h ^ (h >>> 16);
  }

  @Override
  public String toString() {
    return "IndexTable[" + Arrays.stream(table.values).filter(v -> v != null).count() + "]";
  }
}
