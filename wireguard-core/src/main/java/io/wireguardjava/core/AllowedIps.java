package io.wireguardjava.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Cryptokey routing table: IPv4 and IPv6 prefixes, each mapped to a value (a peer), with
 * longest-prefix-match lookup (whitepaper section 2, the kernel's {@code allowedips.c}).
 *
 * <p>Lookups happen per packet on the data-path threads, without locks and without allocation:
 * each family is an immutable path-compressed binary trie published through a volatile field.
 * Changes (configuration only, rare) take the lock, edit the entry list and rebuild the trie.
 * Inserting a prefix that exists moves it to the new value, as in the kernel.
 */
final class AllowedIps<T> {

  /** A trie node: {@code key} masked to {@code cidr} bits; {@code value} null for inner nodes. */
  private static final class Node<T> {
    final byte[] key;
    final int cidr;
    @Nullable T value;
    @Nullable Node<T> zero;
    @Nullable Node<T> one;

    Node(byte[] key, int cidr, @Nullable T value) {
      this.key = key;
      this.cidr = cidr;
      this.value = value;
    }
  }

  /** One prefix of the table. */
  record Entry<T>(byte[] address, int cidr, T value) {}

  private final Map<String, Entry<T>> entries = new LinkedHashMap<>();
  private volatile @Nullable Node<T> root4;
  private volatile @Nullable Node<T> root6;

  /** Maps {@code address/cidr} (4 or 16 bytes) to {@code value}, replacing a previous mapping. */
  synchronized void insert(byte[] address, int cidr, T value) {
    checkPrefix(address, cidr);
    byte[] masked = mask(address, cidr);
    entries.put(keyOf(masked, cidr), new Entry<>(masked, cidr, value));
    rebuild();
  }

  /** Removes {@code address/cidr} if it maps to {@code value}; returns whether it did. */
  synchronized boolean remove(byte[] address, int cidr, T value) {
    checkPrefix(address, cidr);
    String k = keyOf(mask(address, cidr), cidr);
    Entry<T> e = entries.get(k);
    if (e == null || e.value() != value) {
      return false;
    }
    entries.remove(k);
    rebuild();
    return true;
  }

  /** Removes every prefix of {@code value}. */
  synchronized void removeValue(T value) {
    if (entries.values().removeIf(e -> e.value() == value)) {
      rebuild();
    }
  }

  synchronized void clear() {
    entries.clear();
    rebuild();
  }

  /** The prefixes of {@code value}, in insertion order. */
  synchronized List<Entry<T>> entriesOf(T value) {
    List<Entry<T>> out = new ArrayList<>();
    for (Entry<T> e : entries.values()) {
      if (e.value() == value) {
        out.add(e);
      }
    }
    return out;
  }

  /**
   * The value whose prefix is the longest match for the address at {@code buf[offset..offset+len)},
   * {@code len} being 4 or 16; null when none. Allocation-free and lock-free.
   */
  @Nullable T lookup(byte[] buf, int offset, int len) {
    Node<T> node = len == 4 ? root4 : len == 16 ? root6 : null;
    T best = null;
    while (node != null && matches(node, buf, offset)) {
      if (node.value != null) {
        best = node.value;
      }
      if (node.cidr == len * 8) {
        break;
      }
      node = bit(buf, offset, node.cidr) == 0 ? node.zero : node.one;
    }
    return best;
  }

  /** {@link #lookup(byte[], int, int)} of a whole 4- or 16-byte address. */
  @Nullable T lookup(byte[] address) {
    return lookup(address, 0, address.length);
  }

  private void rebuild() {
    Node<T> r4 = null;
    Node<T> r6 = null;
    for (Entry<T> e : entries.values()) {
      if (e.address().length == 4) {
        r4 = insert(r4, e.address(), e.cidr(), e.value());
      } else {
        r6 = insert(r6, e.address(), e.cidr(), e.value());
      }
    }
    root4 = r4;
    root6 = r6;
  }

  /** Inserts into the subtree at {@code node}; returns the subtree's new root. */
  private static <T> Node<T> insert(@Nullable Node<T> node, byte[] key, int cidr, T value) {
    if (node == null) {
      return new Node<>(key, cidr, value);
    }
    int common = commonBits(node.key, key, Math.min(node.cidr, cidr));
    if (common == node.cidr && node.cidr == cidr) {
      node.value = value;
      return node;
    }
    if (common == node.cidr) { // node's prefix contains the new one: descend
      if (bit(key, 0, node.cidr) == 0) {
        node.zero = insert(node.zero, key, cidr, value);
      } else {
        node.one = insert(node.one, key, cidr, value);
      }
      return node;
    }
    Node<T> parent;
    if (common == cidr) { // the new prefix contains node's: it becomes node's parent
      parent = new Node<>(key, cidr, value);
    } else { // they diverge at bit `common`: an inner node joins them
      parent = new Node<>(mask(key, common), common, null);
      Node<T> leaf = new Node<>(key, cidr, value);
      if (bit(key, 0, common) == 0) {
        parent.zero = leaf;
      } else {
        parent.one = leaf;
      }
    }
    if (bit(node.key, 0, parent.cidr) == 0) {
      parent.zero = node;
    } else {
      parent.one = node;
    }
    return parent;
  }

  private static boolean matches(Node<?> node, byte[] buf, int offset) {
    int full = node.cidr >>> 3;
    for (int i = 0; i < full; i++) {
      if (node.key[i] != buf[offset + i]) {
        return false;
      }
    }
    int rest = node.cidr & 7;
    if (rest == 0) {
      return true;
    }
    int m = (0xFF << (8 - rest)) & 0xFF;
    return ((node.key[full] ^ buf[offset + full]) & m) == 0;
  }

  private static int bit(byte[] buf, int offset, int index) {
    return (buf[offset + (index >>> 3)] >>> (7 - (index & 7))) & 1;
  }

  private static int commonBits(byte[] a, byte[] b, int max) {
    int i = 0;
    while (i < max && bit(a, 0, i) == bit(b, 0, i)) {
      i++;
    }
    return i;
  }

  static byte[] mask(byte[] address, int cidr) {
    byte[] out = Arrays.copyOf(address, address.length);
    for (int i = 0; i < out.length; i++) {
      int bits = Math.max(0, Math.min(8, cidr - i * 8));
      out[i] &= (byte) ((0xFF << (8 - bits)) & 0xFF);
    }
    return out;
  }

  private static void checkPrefix(byte[] address, int cidr) {
    if (address.length != 4 && address.length != 16) {
      throw new IllegalArgumentException("address must be 4 or 16 bytes");
    }
    if (cidr < 0 || cidr > address.length * 8) {
      throw new IllegalArgumentException("prefix length out of range: " + cidr);
    }
  }

  private static String keyOf(byte[] masked, int cidr) {
    return Arrays.toString(masked) + "/" + cidr;
  }
}
