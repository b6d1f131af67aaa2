package io.wireguardjava.netstack.internal.wire;

import org.jspecify.annotations.Nullable;

/**
 * Reassembles fragmented IPv4 datagrams (RFC 791, RFC 815), bounded in memory and in time, keyed by
 * source, destination, protocol and identification; the rules are {@link FragmentReassembler}'s.
 * Not thread-safe: the stack thread owns it.
 */
public final class Ipv4Reassembler extends FragmentReassembler {
  private record Key(int src, int dst, int protocolAndId) {}

  /**
   * Creates a reassembler.
   *
   * @param maxBytes the most payload bytes held for incomplete datagrams, in total
   * @param maxDatagrams the most incomplete datagrams held at once
   * @param timeoutNanos how long a datagram may stay incomplete
   * @throws IllegalArgumentException when a bound is not positive
   */
  public Ipv4Reassembler(int maxBytes, int maxDatagrams, long timeoutNanos) {
    super(maxBytes, maxDatagrams, timeoutNanos);
  }

  @Override
  protected int maxPayload() {
    return 65535 - Ipv4.HEADER;
  }

  /**
   * Takes one fragment (a packet that passed {@link Ipv4#check} and {@link Ipv4#isFragment}).
   *
   * @param p the packet
   * @param off where it starts
   * @param nowNanos the current time
   * @return the whole datagram, header included (an array of exactly its length), when this
   *     fragment completed it; otherwise null
   */
  public byte @Nullable [] offer(byte[] p, int off, long nowNanos) {
    int ihl = Ipv4.headerLength(p, off);
    Key key =
        new Key(
            Bytes.i32(p, off + Ipv4.SRC),
            Bytes.i32(p, off + Ipv4.DST),
            Ipv4.protocol(p, off) << 16 | Ipv4.identification(p, off));
    byte[] whole =
        offerFragment(
            key,
            p,
            off + ihl,
            Ipv4.fragmentOffset(p, off),
            Ipv4.totalLength(p, off) - ihl,
            Ipv4.moreFragments(p, off),
            off,
            ihl,
            nowNanos);
    if (whole != null) {
      Ipv4.markReassembled(whole, 0, whole.length);
    }
    return whole;
  }
}
