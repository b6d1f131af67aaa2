package io.wireguardjava.core;

import io.wireguardjava.crypto.TimeSource;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Builds the ICMP errors the tunnel answers a packet with, as the kernel module does ({@code
 * icmp_ndo_send}), so that {@code ping} says why instead of timing out:
 *
 * <ul>
 *   <li>{@link #answer}: "destination unreachable" (host unreachable for IPv4, address unreachable
 *       for IPv6) for a packet that no peer's allowed IPs cover, or whose peer has no endpoint;
 *   <li>{@link #tooBig}: "fragmentation needed" (IPv4, with the next-hop MTU) or "packet too big"
 *       (IPv6, with the MTU) for a packet over the tunnel's MTU, so path-MTU discovery works
 *       through the tunnel.
 * </ul>
 *
 * The answer comes from the interface's own address of the same family; without one, or when the
 * packet is itself an ICMP error, nothing is sent. Each thread that answers owns one instance (its
 * own buffer), limited to {@link #PER_SECOND} answers a second.
 */
final class IcmpUnreachable {
  static final int PER_SECOND = 100;
  private static final int IPV4_MAX_QUOTE = 576 - 28; // RFC 1812: the answer fits in 576 bytes
  private static final int IPV6_MAX_QUOTE = 1280 - 48; // RFC 4443: fits in the minimum MTU

  private final byte @Nullable [] source4;
  private final byte @Nullable [] source6;
  private final TimeSource clock;
  private final byte[] out = new byte[1280];
  private long windowStart;
  private int sentInWindow;

  IcmpUnreachable(List<InetAddress> interfaceAddresses, TimeSource clock) {
    byte[] v4 = null;
    byte[] v6 = null;
    for (InetAddress a : interfaceAddresses) {
      if (a instanceof Inet4Address && v4 == null) {
        v4 = a.getAddress();
      } else if (a instanceof Inet6Address && v6 == null) {
        v6 = a.getAddress();
      }
    }
    this.source4 = v4;
    this.source6 = v6;
    this.clock = clock;
  }

  /** The answer's bytes, valid until the next call. */
  byte[] buffer() {
    return out;
  }

  /**
   * Writes the answer to the IP packet {@code p[0..len)} of {@code version} into {@link #buffer()};
   * returns its length, or 0 when none is due.
   */
  int answer(byte[] p, int len, int version) {
    if (!allowed()) {
      return 0;
    }
    return version == 4 ? answer4(p, len, 1, 0) : answer6(p, len, 1, 3, 0);
  }

  /**
   * Writes the "fragmentation needed" (IPv4: type 3, code 4, next-hop MTU) or "packet too big"
   * (IPv6: type 2, MTU) answer to the IP packet {@code p[0..len)} into {@link #buffer()}; returns
   * its length, or 0 when none is due. IPv4 gets it whether or not DF is set: the tunnel never
   * fragments, so telling the sender is the only way its packet can get through.
   */
  int tooBig(byte[] p, int len, int version, int mtu) {
    if (!allowed()) {
      return 0;
    }
    return version == 4 ? answer4(p, len, 4, mtu) : answer6(p, len, 2, 0, mtu);
  }

  private boolean allowed() {
    long now = clock.nanoTime();
    if (now - windowStart >= 1_000_000_000L) {
      windowStart = now;
      sentInWindow = 0;
    }
    return sentInWindow++ < PER_SECOND;
  }

  private int answer4(byte[] p, int len, int code, int mtu) {
    int ihl = (p[0] & 0x0F) * 4;
    if (source4 == null || ihl < 20 || len < ihl) {
      return 0;
    }
    if (p[9] == 1 && len >= ihl + 1 && isIcmp4Error(p[ihl] & 0xFF)) {
      return 0;
    }
    int quote = Math.min(len, IPV4_MAX_QUOTE);
    int total = 28 + quote;
    java.util.Arrays.fill(out, 0, 28, (byte) 0);
    out[0] = 0x45;
    put16(out, 2, total);
    out[8] = 64;
    out[9] = 1; // ICMP
    System.arraycopy(source4, 0, out, 12, 4);
    System.arraycopy(p, 12, out, 16, 4); // back to the sender
    put16(out, 10, checksum(out, 0, 20, 0));
    out[20] = 3; // destination unreachable
    out[21] = (byte) code; // 1: host unreachable, 4: fragmentation needed
    put16(out, 26, mtu); // next-hop MTU (RFC 1191), 0 for the other codes
    System.arraycopy(p, 0, out, 28, quote);
    put16(out, 22, checksum(out, 20, total - 20, 0));
    return total;
  }

  private int answer6(byte[] p, int len, int type, int code, int mtu) {
    if (source6 == null || len < 40) {
      return 0;
    }
    if (p[6] == 58 && len >= 41 && (p[40] & 0xFF) < 128) {
      return 0; // an ICMPv6 error
    }
    int quote = Math.min(len, IPV6_MAX_QUOTE);
    int icmpLength = 8 + quote;
    java.util.Arrays.fill(out, 0, 48, (byte) 0);
    out[0] = 0x60;
    put16(out, 4, icmpLength);
    out[6] = 58; // ICMPv6
    out[7] = 64;
    System.arraycopy(source6, 0, out, 8, 16);
    System.arraycopy(p, 8, out, 24, 16);
    out[40] = (byte) type; // 1: destination unreachable, 2: packet too big
    out[41] = (byte) code; // 3: address unreachable
    put16(out, 44, mtu >>> 16); // packet too big: the MTU (RFC 4443 3.2); else unused, 0
    put16(out, 46, mtu);
    System.arraycopy(p, 0, out, 48, quote);
    // pseudo-header: source, destination, upper-layer length, next header
    long pseudo = sum(out, 8, 32) + icmpLength + 58;
    put16(out, 42, checksum(out, 40, icmpLength, pseudo));
    return 40 + icmpLength;
  }

  private static boolean isIcmp4Error(int type) {
    return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
  }

  private static long sum(byte[] b, int off, int len) {
    long s = 0;
    for (int i = 0; i + 1 < len; i += 2) {
      s += ((b[off + i] & 0xFF) << 8) | (b[off + i + 1] & 0xFF);
    }
    if ((len & 1) != 0) {
      s += (b[off + len - 1] & 0xFF) << 8;
    }
    return s;
  }

  /** The Internet checksum (RFC 1071) of {@code b[off..off+len)} plus {@code initial}. */
  static int checksum(byte[] b, int off, int len, long initial) {
    long s = initial + sum(b, off, len);
    while ((s >> 16) != 0) {
      s = (s & 0xFFFF) + (s >> 16);
    }
    return (int) (~s & 0xFFFF);
  }

  private static void put16(byte[] b, int off, int v) {
    b[off] = (byte) (v >>> 8);
    b[off + 1] = (byte) v;
  }
}
