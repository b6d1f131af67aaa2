package io.wireguardjava.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Cryptokey routing table: IPv4 and IPv6 prefixes, each mapped to a value (a peer), with
 * longest-prefix-match lookup (whitepaper section 2; the kernel's {@code allowedips.c} is the
 * model: a path-compressed binary trie per family, one node per prefix plus inner nodes where
 * prefixes diverge).
 *
 * <p>Lookups happen per packet on the data-path threads, without locks and without allocation: they
 * read one volatile field holding both roots and walk nodes that never change once published.
 * Changes are incremental and copy-on-write: an {@link Edit} copies only the nodes on the paths it
 * changes (and changes nodes it made itself in place), then publishes both new roots at once in
 * {@link Edit#commit}. So a reader sees the table before or after a whole edit, never half of one,
 * and an edit of k prefixes costs O(k x depth), whatever the table's size. Inserting a prefix that
 * exists moves it to the new value, as in the kernel.
 */
final class AllowedIps<T> {

  private static final VarHandle INT_BE =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle LONG_BE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  /**
   * A trie node: the prefix's bits in {@code hi}/{@code lo} (an IPv4 address in the top 32 bits of
   * {@code hi}), host bits cleared; {@code value} null for an inner node, which always has two
   * children. Fields change only while {@code edit} is the edit in progress.
   */
  private static final class Node<T> {
    final long hi;
    final long lo;
    final int cidr;
    final Object edit;
    @Nullable T value;
    @Nullable Node<T> zero;
    @Nullable Node<T> one;

    Node(long hi, long lo, int cidr, @Nullable T value, Object edit) {
      this.hi = hi;
      this.lo = lo;
      this.cidr = cidr;
      this.value = value;
      this.edit = edit;
    }
  }

  /** Both families' roots and the prefix count: what one commit publishes. */
  private record Roots<T>(@Nullable Node<T> v4, @Nullable Node<T> v6, int size) {}

  /** One prefix of the table. */
  record Entry<T>(byte[] address, int cidr, T value) {}

  private final ReentrantLock writeLock = new ReentrantLock();
  private volatile Roots<T> roots = new Roots<>(null, null, 0);

  // ---------------------------------------------------------------- lookups (any thread)

  /**
   * The value whose prefix is the longest match for the address at {@code buf[offset..offset+len)},
   * {@code len} being 4 or 16; null when none. Allocation-free and lock-free.
   */
  @Nullable T lookup(byte[] buf, int offset, int len) {
    Roots<T> r = roots;
    if (len == 4) {
      return lookup(r.v4(), ((long) (int) INT_BE.get(buf, offset)) << 32, 0, 32);
    }
    if (len == 16) {
      return lookup(
          r.v6(), (long) LONG_BE.get(buf, offset), (long) LONG_BE.get(buf, offset + 8), 128);
    }
    return null;
  }

  /** {@link #lookup(byte[], int, int)} of a whole 4- or 16-byte address. */
  @Nullable T lookup(byte[] address) {
    return lookup(address, 0, address.length);
  }

  private static <T> @Nullable T lookup(@Nullable Node<T> root, long hi, long lo, int bits) {
    Node<T> node = root;
    T best = null;
    while (node != null && contains(node, hi, lo)) {
      if (node.value != null) {
        best = node.value;
      }
      if (node.cidr == bits) {
        break;
      }
      node = bit(hi, lo, node.cidr) == 0 ? node.zero : node.one;
    }
    return best;
  }

  /** The value mapped to exactly {@code address/cidr}, or null. */
  @Nullable T exact(byte[] address, int cidr) {
    Roots<T> r = roots;
    return exact(address.length == 4 ? r.v4() : r.v6(), address, cidr);
  }

  private static <T> @Nullable T exact(@Nullable Node<T> root, byte[] address, int cidr) {
    checkPrefix(address, cidr);
    Node<T> node = root;
    long hi = mask(hi(address), cidr);
    long lo = mask(lo(address), cidr - 64);
    while (node != null && node.cidr <= cidr && contains(node, hi, lo)) {
      if (node.cidr == cidr) {
        return node.value;
      }
      node = bit(hi, lo, node.cidr) == 0 ? node.zero : node.one;
    }
    return null;
  }

  /** The number of prefixes. */
  int size() {
    return roots.size();
  }

  /** Every prefix, IPv4 first, each family in address order. */
  List<Entry<T>> entries() {
    Roots<T> r = roots;
    List<Entry<T>> out = new ArrayList<>(r.size());
    collect(r.v4(), 4, out);
    collect(r.v6(), 16, out);
    return out;
  }

  /** The prefixes of {@code value} (a walk of the whole table: for tests and rare callers). */
  List<Entry<T>> entriesOf(T value) {
    List<Entry<T>> out = new ArrayList<>();
    for (Entry<T> e : entries()) {
      if (e.value() == value) {
        out.add(e);
      }
    }
    return out;
  }

  private static <T> void collect(@Nullable Node<T> node, int length, List<Entry<T>> out) {
    if (node == null) {
      return;
    }
    T v = node.value;
    if (v != null) {
      out.add(new Entry<>(bytes(node.hi, node.lo, length), node.cidr, v));
    }
    collect(node.zero, length, out);
    collect(node.one, length, out);
  }

  // ---------------------------------------------------------------- changes

  /**
   * Starts an edit: takes the write lock until {@link Edit#close()}. Lookups go on seeing the table
   * as it was until {@link Edit#commit()}.
   */
  Edit edit() {
    writeLock.lock();
    return new Edit();
  }

  /**
   * A batch of inserts and removals, published together by {@link #commit()}; closing without a
   * commit drops them. One thread at a time (the write lock is held from {@link #edit()} to {@link
   * #close()}).
   */
  final class Edit implements AutoCloseable {
    /** Marks the nodes this edit made: only those may be changed in place. */
    private final Object token = new Object();

    private @Nullable Node<T> v4;
    private @Nullable Node<T> v6;
    private int size;
    private boolean open = true;

    private Edit() {
      Roots<T> r = roots;
      v4 = r.v4();
      v6 = r.v6();
      size = r.size();
    }

    /** What the latest {@link #insert} replaced; set by {@link #insertAt}. */
    private @Nullable T replaced;

    /**
     * Maps {@code address/cidr} (4 or 16 bytes) to {@code value}, moving it from another.
     *
     * @return the value it mapped to before this insert (maybe {@code value} itself), or null
     */
    @Nullable T insert(byte[] address, int cidr, T value) {
      checkPrefix(address, cidr);
      checkOpen();
      long hi = mask(hi(address), cidr);
      long lo = mask(lo(address), cidr - 64);
      replaced = null;
      if (address.length == 4) {
        v4 = insertAt(v4, hi, lo, cidr, value);
      } else {
        v6 = insertAt(v6, hi, lo, cidr, value);
      }
      return replaced;
    }

    /** The value mapped to exactly {@code address/cidr} in this edit's table, or null. */
    @Nullable T exact(byte[] address, int cidr) {
      checkOpen();
      return AllowedIps.exact(address.length == 4 ? v4 : v6, address, cidr);
    }

    /** Removes {@code address/cidr} if it maps to {@code value}; returns whether it did. */
    boolean remove(byte[] address, int cidr, T value) {
      checkPrefix(address, cidr);
      checkOpen();
      long hi = mask(hi(address), cidr);
      long lo = mask(lo(address), cidr - 64);
      int before = size;
      if (address.length == 4) {
        v4 = removeAt(v4, hi, lo, cidr, value);
      } else {
        v6 = removeAt(v6, hi, lo, cidr, value);
      }
      return size != before;
    }

    /** Makes every change of this edit visible to lookups at once. */
    void commit() {
      checkOpen();
      roots = new Roots<>(v4, v6, size);
      close();
    }

    /** Ends the edit (dropping it unless committed) and releases the write lock. */
    @Override
    public void close() {
      if (open) {
        open = false;
        writeLock.unlock();
      }
    }

    private void checkOpen() {
      if (!open) {
        throw new IllegalStateException("edit already committed or closed");
      }
    }

    /** {@code node} itself if this edit made it, else a copy this edit may change. */
    private Node<T> writable(Node<T> node) {
      if (node.edit == token) {
        return node;
      }
      Node<T> copy = new Node<>(node.hi, node.lo, node.cidr, node.value, token);
      copy.zero = node.zero;
      copy.one = node.one;
      return copy;
    }

    private Node<T> insertAt(@Nullable Node<T> node, long hi, long lo, int cidr, T value) {
      if (node == null) {
        size++;
        return new Node<>(hi, lo, cidr, value, token);
      }
      int common = Math.min(commonBits(node.hi, node.lo, hi, lo), Math.min(node.cidr, cidr));
      if (common == node.cidr && node.cidr == cidr) { // this very prefix
        replaced = node.value;
        if (node.value == value) {
          return node;
        }
        if (node.value == null) {
          size++;
        }
        Node<T> w = writable(node);
        w.value = value;
        return w;
      }
      if (common == node.cidr) { // node's prefix contains the new one: descend
        boolean one = bit(hi, lo, node.cidr) == 1;
        Node<T> child = one ? node.one : node.zero;
        Node<T> changed = insertAt(child, hi, lo, cidr, value);
        if (changed == child) {
          return node;
        }
        Node<T> w = writable(node);
        setChild(w, one, changed);
        return w;
      }
      Node<T> parent;
      size++;
      if (common == cidr) { // the new prefix contains node's: it becomes node's parent
        parent = new Node<>(hi, lo, cidr, value, token);
      } else { // they diverge at bit `common`: an inner node joins them
        parent = new Node<>(mask(hi, common), mask(lo, common - 64), common, null, token);
        setChild(parent, bit(hi, lo, common) == 1, new Node<>(hi, lo, cidr, value, token));
      }
      setChild(parent, bit(node.hi, node.lo, parent.cidr) == 1, node);
      return parent;
    }

    private @Nullable Node<T> removeAt(
        @Nullable Node<T> node, long hi, long lo, int cidr, T value) {
      if (node == null || node.cidr > cidr || !contains(node, hi, lo)) {
        return node; // the prefix is not in this subtree
      }
      if (node.cidr == cidr) { // this very prefix
        if (node.value != value) {
          return node;
        }
        size--;
        if (node.zero != null && node.one != null) { // stays as the inner node joining them
          Node<T> w = writable(node);
          w.value = null;
          return w;
        }
        return node.zero != null ? node.zero : node.one; // spliced out (maybe a leaf: null)
      }
      boolean one = bit(hi, lo, node.cidr) == 1;
      Node<T> child = one ? node.one : node.zero;
      Node<T> changed = removeAt(child, hi, lo, cidr, value);
      if (changed == child) {
        return node;
      }
      if (changed == null && node.value == null) {
        return one ? node.zero : node.one; // an inner node left with one child goes too
      }
      Node<T> w = writable(node);
      setChild(w, one, changed);
      return w;
    }
  }

  /** Maps {@code address/cidr} (4 or 16 bytes) to {@code value}, replacing a previous mapping. */
  void insert(byte[] address, int cidr, T value) {
    try (Edit e = edit()) {
      e.insert(address, cidr, value);
      e.commit();
    }
  }

  /** Removes {@code address/cidr} if it maps to {@code value}; returns whether it did. */
  boolean remove(byte[] address, int cidr, T value) {
    try (Edit e = edit()) {
      boolean removed = e.remove(address, cidr, value);
      e.commit();
      return removed;
    }
  }

  /** Removes every prefix of {@code value} (a walk of the whole table). */
  void removeValue(T value) {
    try (Edit e = edit()) {
      for (Entry<T> entry : entriesOf(value)) {
        e.remove(entry.address(), entry.cidr(), value);
      }
      e.commit();
    }
  }

  /** Removes every prefix. */
  void clear() {
    writeLock.lock();
    try {
      roots = new Roots<>(null, null, 0);
    } finally {
      writeLock.unlock();
    }
  }

  // ---------------------------------------------------------------- bits

  private static <T> void setChild(Node<T> parent, boolean one, @Nullable Node<T> child) {
    if (one) {
      parent.one = child;
    } else {
      parent.zero = child;
    }
  }

  /** Whether {@code hi/lo} lies inside the node's prefix. */
  private static boolean contains(Node<?> node, long hi, long lo) {
    return ((hi ^ node.hi) & maskBits(node.cidr)) == 0
        && ((lo ^ node.lo) & maskBits(node.cidr - 64)) == 0;
  }

  /** A mask of the first {@code bits} bits of a long (0 for bits <= 0, all for >= 64). */
  private static long maskBits(int bits) {
    return bits <= 0 ? 0 : bits >= 64 ? -1L : -1L << (64 - bits);
  }

  private static long mask(long word, int bits) {
    return word & maskBits(bits);
  }

  private static int bit(long hi, long lo, int index) {
    return index < 64 ? (int) (hi >>> (63 - index)) & 1 : (int) (lo >>> (127 - index)) & 1;
  }

  private static int commonBits(long hi1, long lo1, long hi2, long lo2) {
    long x = hi1 ^ hi2;
    return x != 0 ? Long.numberOfLeadingZeros(x) : 64 + Long.numberOfLeadingZeros(lo1 ^ lo2);
  }

  private static long hi(byte[] address) {
    return address.length == 4
        ? ((long) (int) INT_BE.get(address, 0)) << 32
        : (long) LONG_BE.get(address, 0);
  }

  private static long lo(byte[] address) {
    return address.length == 4 ? 0 : (long) LONG_BE.get(address, 8);
  }

  private static byte[] bytes(long hi, long lo, int length) {
    byte[] out = new byte[length];
    if (length == 4) {
      INT_BE.set(out, 0, (int) (hi >>> 32));
    } else {
      LONG_BE.set(out, 0, hi);
      LONG_BE.set(out, 8, lo);
    }
    return out;
  }

  /** Whether {@code address} has no bit set after its first {@code cidr}. */
  static boolean isMasked(byte[] address, int cidr) {
    for (int i = cidr / 8; i < address.length; i++) {
      int bits = Math.max(0, cidr - i * 8); // 0..7 here
      if ((address[i] & (0xFF >> bits)) != 0) {
        return false;
      }
    }
    return true;
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
}
