package io.wireguardjava.netstack.internal.wire;

import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Reassembles fragmented datagrams, IPv4 or IPv6 alike, bounded in memory and in time (RFC 815's
 * hole list as merged ranges). The front-ends ({@link Ipv4Reassembler}, {@link Ipv6Reassembler})
 * parse their fragment headers and give each fragment here as a key, an offset, a length and a
 * more-fragments flag; this class holds the bytes and says when a datagram is whole.
 *
 * <p>A fragment that overlaps data already held without repeating it exactly discards the whole
 * datagram (as Linux does since FragmentSmack, and RFC 5722 for IPv6): overlaps are how fragment
 * attacks work, and honest senders never produce them. When the bytes held would exceed the budget
 * the oldest datagrams are discarded first; a datagram not complete within the timeout is discarded
 * by {@link #expire}. Not thread-safe: the stack thread owns it.
 */
public abstract class FragmentReassembler {
  /** The most payload a reassembled datagram may carry (the 16-bit length fields). */
  private static final int MAX_PAYLOAD = 65535;

  private final int maxBytes;
  private final int maxDatagrams;
  private final long timeoutNanos;
  private final LinkedHashMap<Object, Partial> partials = new LinkedHashMap<>();
  private int bytesHeld;
  private long reassembled;
  private long discarded;

  /**
   * Creates a reassembler.
   *
   * @param maxBytes the most payload bytes held for incomplete datagrams, in total
   * @param maxDatagrams the most incomplete datagrams held at once
   * @param timeoutNanos how long a datagram may stay incomplete
   * @throws IllegalArgumentException when a bound is not positive
   */
  protected FragmentReassembler(int maxBytes, int maxDatagrams, long timeoutNanos) {
    if (maxBytes <= 0 || maxDatagrams <= 0 || timeoutNanos <= 0) {
      throw new IllegalArgumentException(
          "reassembly bounds must be positive: maxBytes="
              + maxBytes
              + ", maxDatagrams="
              + maxDatagrams
              + ", timeoutNanos="
              + timeoutNanos);
    }
    this.maxBytes = maxBytes;
    this.maxDatagrams = maxDatagrams;
    this.timeoutNanos = timeoutNanos;
  }

  /** One incomplete datagram: the first fragment's header, the payload so far, its ranges. */
  private static final class Partial {
    final long deadline;
    byte @Nullable [] header;
    byte[] data = new byte[0];
    int[] starts = new int[4];
    int[] ends = new int[4];
    int ranges;
    int end = -1; // payload length, known once the last fragment arrived

    Partial(long deadline) {
      this.deadline = deadline;
    }

    boolean complete() {
      return header != null && end >= 0 && ranges == 1 && starts[0] == 0 && ends[0] == end;
    }
  }

  /**
   * Takes one fragment.
   *
   * @param key what identifies the datagram (addresses, protocol, identification); needs equals
   * @param p the packet holding the fragment
   * @param dataOff where the fragment's payload starts in {@code p}
   * @param start the payload's offset in the datagram, in bytes
   * @param length the payload's length
   * @param more the more-fragments flag
   * @param headerOff where the header to keep starts in {@code p} (used for the first fragment)
   * @param headerLength its length
   * @param nowNanos the current time
   * @return the header of the first fragment followed by the whole payload (an array of exactly
   *     that length) when this fragment completed the datagram; otherwise null
   */
  protected final byte @Nullable [] offerFragment(
      Object key,
      byte[] p,
      int dataOff,
      int start,
      int length,
      boolean more,
      int headerOff,
      int headerLength,
      long nowNanos) {
    expire(nowNanos);
    int stop = start + length;
    if (stop > maxPayload() || (more && (length == 0 || (length & 7) != 0))) {
      discarded++;
      return null;
    }
    Partial d = partials.get(key);
    if (d == null) {
      if (!makeRoom(length)) {
        discarded++;
        return null;
      }
      d = new Partial(nowNanos + timeoutNanos);
      partials.put(key, d);
    }
    if (!more) {
      if ((d.end >= 0 && d.end != stop) || (d.ranges > 0 && d.ends[d.ranges - 1] > stop)) {
        drop(key, d);
        return null;
      }
      d.end = stop;
    } else if (d.end >= 0 && stop > d.end) {
      drop(key, d);
      return null;
    }
    int verdict = insertRange(d, start, stop);
    if (verdict < 0) {
      drop(key, d);
      return null;
    }
    if (verdict > 0) {
      if (stop > d.data.length) {
        if (bytesHeld - d.data.length + stop > maxBytes && !makeRoomFor(d, stop)) {
          drop(key, d);
          return null;
        }
        int others = bytesHeld - d.data.length;
        int grown = Math.min(Math.min(MAX_PAYLOAD, d.data.length * 2), maxBytes - others);
        d.data = Arrays.copyOf(d.data, Math.max(stop, grown));
        bytesHeld = others + d.data.length;
      }
      System.arraycopy(p, dataOff, d.data, start, length);
      if (start == 0) {
        d.header = Arrays.copyOfRange(p, headerOff, headerOff + headerLength);
      }
    }
    if (!d.complete()) {
      return null;
    }
    partials.remove(key);
    bytesHeld -= d.data.length;
    byte[] header = Objects.requireNonNull(d.header, "complete implies the first fragment");
    byte[] whole = new byte[header.length + d.end];
    System.arraycopy(header, 0, whole, 0, header.length);
    System.arraycopy(d.data, 0, whole, header.length, d.end);
    reassembled++;
    return whole;
  }

  /**
   * The most payload bytes one datagram may have.
   *
   * @return the bound of this IP version
   */
  protected int maxPayload() {
    return MAX_PAYLOAD;
  }

  /**
   * Adds [start, stop) to the sorted, disjoint, merged range list.
   *
   * @return 1 when added, 0 for an exact duplicate of held bytes, -1 for a partial overlap
   */
  private static int insertRange(Partial d, int start, int stop) {
    int i = 0;
    while (i < d.ranges && d.ends[i] <= start) {
      i++;
    }
    if (i < d.ranges && d.starts[i] < stop) {
      // Inside held data: a retransmitted fragment is fine only if it repeats, not overlaps.
      return d.starts[i] <= start && stop <= d.ends[i] && isOriginalFragment(d, start, stop)
          ? 0
          : -1;
    }
    boolean joinLeft = i > 0 && d.ends[i - 1] == start;
    boolean joinRight = i < d.ranges && d.starts[i] == stop;
    if (joinLeft && joinRight) {
      d.ends[i - 1] = d.ends[i];
      removeAt(d, i);
    } else if (joinLeft) {
      d.ends[i - 1] = stop;
    } else if (joinRight) {
      d.starts[i] = start;
    } else {
      if (d.ranges == d.starts.length) {
        d.starts = Arrays.copyOf(d.starts, d.ranges * 2);
        d.ends = Arrays.copyOf(d.ends, d.ranges * 2);
      }
      System.arraycopy(d.starts, i, d.starts, i + 1, d.ranges - i);
      System.arraycopy(d.ends, i, d.ends, i + 1, d.ranges - i);
      d.starts[i] = start;
      d.ends[i] = stop;
      d.ranges++;
    }
    return 1;
  }

  // Merged ranges forget fragment boundaries; a duplicate is accepted when it lies within held
  // data on 8-byte boundaries, which every honest retransmission does.
  private static boolean isOriginalFragment(Partial d, int start, int stop) {
    return (start & 7) == 0 && ((stop & 7) == 0 || stop == d.end);
  }

  private static void removeAt(Partial d, int i) {
    System.arraycopy(d.starts, i + 1, d.starts, i, d.ranges - i - 1);
    System.arraycopy(d.ends, i + 1, d.ends, i, d.ranges - i - 1);
    d.ranges--;
  }

  /** Discards the oldest datagrams until a new one of {@code bytes} fits; false if it never can. */
  private boolean makeRoom(int bytes) {
    if (bytes > maxBytes) {
      return false;
    }
    Iterator<Map.Entry<Object, Partial>> it = partials.entrySet().iterator();
    while (it.hasNext() && (partials.size() >= maxDatagrams || bytesHeld + bytes > maxBytes)) {
      bytesHeld -= it.next().getValue().data.length;
      it.remove();
      discarded++;
    }
    return partials.size() < maxDatagrams && bytesHeld + bytes <= maxBytes;
  }

  /** Discards other datagrams, oldest first, so that {@code d} can grow to {@code size}. */
  private boolean makeRoomFor(Partial d, int size) {
    if (size > maxBytes) {
      return false;
    }
    Iterator<Map.Entry<Object, Partial>> it = partials.entrySet().iterator();
    while (it.hasNext() && bytesHeld - d.data.length + size > maxBytes) {
      Partial other = it.next().getValue();
      if (other != d) {
        bytesHeld -= other.data.length;
        it.remove();
        discarded++;
      }
    }
    return bytesHeld - d.data.length + size <= maxBytes;
  }

  private void drop(Object key, Partial d) {
    partials.remove(key);
    bytesHeld -= d.data.length;
    discarded++;
  }

  /**
   * Discards datagrams whose time is up.
   *
   * @param nowNanos the current time
   */
  public void expire(long nowNanos) {
    Iterator<Partial> it = partials.values().iterator();
    while (it.hasNext()) {
      Partial d = it.next();
      if (d.deadline - nowNanos > 0) {
        break; // insertion order is deadline order: all later ones are younger
      }
      bytesHeld -= d.data.length;
      it.remove();
      discarded++;
    }
  }

  /**
   * When {@link #expire} has work next.
   *
   * @return the earliest deadline, or {@link Long#MAX_VALUE} when nothing is held
   */
  public long nextDeadline() {
    Iterator<Partial> it = partials.values().iterator();
    return it.hasNext() ? it.next().deadline : Long.MAX_VALUE;
  }

  /**
   * Payload bytes held for incomplete datagrams (buffer capacity, never above the budget).
   *
   * @return the bytes held
   */
  public int bytesHeld() {
    return bytesHeld;
  }

  /**
   * Incomplete datagrams held.
   *
   * @return how many
   */
  public int pending() {
    return partials.size();
  }

  /**
   * Datagrams completed so far.
   *
   * @return the count
   */
  public long reassembled() {
    return reassembled;
  }

  /**
   * Datagrams or fragments thrown away (overlap, timeout, budget, invalid fragment).
   *
   * @return the count
   */
  public long discarded() {
    return discarded;
  }
}
