package io.wireguardjava.netstack.internal.wire;

import org.jspecify.annotations.Nullable;

/**
 * Reassembles fragmented IPv6 packets (RFC 8200 §4.5), bounded in memory and in time, keyed by
 * source, destination and identification; the rules are {@link FragmentReassembler}'s (overlapping
 * fragments discard the packet, as RFC 5722 requires). The packet handed back is the first
 * fragment's fixed header with the Fragment header's Next Header and the new payload length,
 * followed by the reassembled data: options headers before the Fragment header are left out, as
 * this stack skips their options anyway. Not thread-safe: the stack thread owns it.
 */
public final class Ipv6Reassembler extends FragmentReassembler {
  private record Key(long src0, long src1, long dst0, long dst1, int id) {}

  /**
   * Creates a reassembler.
   *
   * @param maxBytes the most payload bytes held for incomplete packets, in total
   * @param maxDatagrams the most incomplete packets held at once
   * @param timeoutNanos how long a packet may stay incomplete (RFC 8200: 60 s)
   * @throws IllegalArgumentException when a bound is not positive
   */
  public Ipv6Reassembler(int maxBytes, int maxDatagrams, long timeoutNanos) {
    super(maxBytes, maxDatagrams, timeoutNanos);
  }

  @Override
  protected int maxPayload() {
    return 65535;
  }

  /**
   * Takes one fragment: a packet that passed {@link Ipv6#check} and whose {@link
   * Ipv6#fragmentHeader} is at {@code fragmentHeader}.
   *
   * @param p the packet
   * @param off where it starts
   * @param fragmentHeader the Fragment header's offset relative to off
   * @param nowNanos the current time
   * @return the whole packet, without extension headers (an array of exactly its length), when this
   *     fragment completed it; otherwise null
   */
  public byte @Nullable [] offer(byte[] p, int off, int fragmentHeader, long nowNanos) {
    int f = off + fragmentHeader;
    int offsetAndFlags = Bytes.u16(p, f + 2);
    int data = fragmentHeader + 8;
    Key key =
        new Key(
            i64(p, off + Ipv6.SRC),
            i64(p, off + Ipv6.SRC + 8),
            i64(p, off + Ipv6.DST),
            i64(p, off + Ipv6.DST + 8),
            Bytes.i32(p, f + 4));
    // Kept from the first fragment: everything up to and with the Fragment header.
    byte[] joined =
        offerFragment(
            key,
            p,
            off + data,
            offsetAndFlags & 0xfff8,
            Ipv6.HEADER + Ipv6.payloadLength(p, off) - data,
            (offsetAndFlags & 1) != 0,
            off,
            data,
            nowNanos);
    if (joined == null) {
      return null;
    }
    int first = Ipv6.fragmentHeader(joined, 0); // the kept first fragment's, ending the header
    if (first < 0) {
      return null;
    }
    int payload = joined.length - first - 8;
    byte[] whole = new byte[Ipv6.HEADER + payload];
    System.arraycopy(joined, 0, whole, 0, Ipv6.HEADER);
    whole[6] = joined[first]; // the Fragment header's Next Header
    Bytes.put16(whole, 4, payload);
    System.arraycopy(joined, first + 8, whole, Ipv6.HEADER, payload);
    return whole;
  }

  private static long i64(byte[] p, int i) {
    return (long) Bytes.i32(p, i) << 32 | (Bytes.i32(p, i + 4) & 0xffffffffL);
  }
}
