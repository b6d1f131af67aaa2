package io.wireguardjava;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An IP address with a prefix length, such as {@code 10.0.0.1/24} or {@code fd00::/64}: an
 * interface {@code Address} or a peer's {@code AllowedIPs} entry.
 *
 * <p>The address is kept as written (host bits are not cleared: {@code 10.0.0.1/24} as an interface
 * address means "10.0.0.1 on the network 10.0.0.0/24"); {@link #masked()} gives the network with
 * host bits cleared, as {@code wg} stores allowed IPs. Equality compares address and prefix length.
 * Parsing never asks DNS.
 */
public final class InetNetwork {
  /**
   * The address's bits: an IPv4 address in the low 32 bits of {@code hi}; an IPv6 address as its
   * first and last eight bytes. Kept as numbers, not as an {@link InetAddress} (three objects): a
   * peer may hold a million prefixes.
   */
  private final long hi;

  private final long lo;
  private final boolean ipv4;
  private final int prefixLength;

  /** The address as an object: the one given, or made at the first {@link #address()} call. */
  private @Nullable InetAddress address;

  private InetNetwork(long hi, long lo, boolean ipv4, int prefixLength, @Nullable InetAddress a) {
    this.hi = hi;
    this.lo = lo;
    this.ipv4 = ipv4;
    this.prefixLength = prefixLength;
    this.address = a;
  }

  private static InetNetwork from(InetAddress address, int prefixLength) {
    byte[] b = address.getAddress();
    return new InetNetwork(
        word(b, 0), b.length == 4 ? 0 : word(b, 8), b.length == 4, prefixLength, address);
  }

  /** Bytes {@code at..at+8} (or all four of an IPv4 address) as a number. */
  private static long word(byte[] b, int at) {
    int n = Math.min(8, b.length - at);
    long w = 0;
    for (int i = 0; i < n; i++) {
      w = w << 8 | (b[at + i] & 0xff);
    }
    return w;
  }

  /**
   * The network {@code address/prefixLength}.
   *
   * @param address any address of the network (host bits are kept, as wg does)
   * @param prefixLength 0..32 for IPv4, 0..128 for IPv6
   * @return the network {@code address/prefixLength}
   * @throws IllegalArgumentException if the prefix length is negative or longer than the address
   *     (32 bits for IPv4, 128 for IPv6)
   */
  public static InetNetwork of(InetAddress address, int prefixLength) {
    Objects.requireNonNull(address, "address");
    checkPrefixLength(maxPrefix(address), prefixLength);
    return from(address, prefixLength);
  }

  /**
   * The network {@code address/prefixLength} of an address given as its bytes (network order), as
   * {@link InetAddress#getAddress()} gives them; a 16-byte address stays IPv6 even when it is
   * IPv4-mapped. The array is not kept.
   *
   * @param address 4 bytes (IPv4) or 16 bytes (IPv6); host bits are kept, as wg does
   * @param prefixLength 0..32 for IPv4, 0..128 for IPv6
   * @return the network {@code address/prefixLength}
   * @throws IllegalArgumentException if the address is not 4 or 16 bytes long, or the prefix length
   *     is negative or longer than the address
   */
  public static InetNetwork of(byte[] address, int prefixLength) {
    Objects.requireNonNull(address, "address");
    if (address.length != 4 && address.length != 16) {
      throw new IllegalArgumentException("an address has 4 or 16 bytes, not " + address.length);
    }
    checkPrefixLength(address.length * 8, prefixLength);
    boolean v4 = address.length == 4;
    return new InetNetwork(word(address, 0), v4 ? 0 : word(address, 8), v4, prefixLength, null);
  }

  private static void checkPrefixLength(int max, int prefixLength) {
    if (prefixLength < 0 || prefixLength > max) {
      throw new IllegalArgumentException("prefix length " + prefixLength + " is not in 0.." + max);
    }
  }

  /**
   * The single address {@code address/32} or {@code address/128}.
   *
   * @param address the address
   * @return the single address {@code address/32} or {@code address/128}
   */
  public static InetNetwork of(InetAddress address) {
    Objects.requireNonNull(address, "address");
    return from(address, maxPrefix(address));
  }

  /**
   * Parses {@code address/prefix} (IPv4 or IPv6 literal); without {@code /prefix} the network is
   * the single address.
   *
   * @param text the network's text
   * @return the network
   * @throws IllegalArgumentException if {@code text} is not an IP network or the prefix is out of
   *     range
   */
  public static InetNetwork parse(String text) {
    Objects.requireNonNull(text, "text");
    try {
      return parseChecked(text);
    } catch (ConfigValues.InvalidValue e) {
      throw e.toIllegalArgument();
    }
  }

  static InetNetwork parseChecked(String text) throws ConfigValues.InvalidValue {
    int slash = text.indexOf('/');
    String addressText = slash < 0 ? text : text.substring(0, slash);
    byte[] address =
        addressText.indexOf(':') >= 0
            ? InetLiterals.parseV6(addressText)
            : InetLiterals.parseV4(addressText);
    if (address == null) {
      throw new ConfigValues.InvalidValue(ConfigException.Reason.INVALID_NETWORK, text, null);
    }
    int max = address.length * 8;
    if (slash < 0) {
      return of(address, max);
    }
    String prefixText = text.substring(slash + 1);
    if (prefixText.isEmpty()
        || prefixText.length() > 3
        || !ConfigValues.isDecimal(prefixText)
        || (prefixText.length() > 1 && prefixText.charAt(0) == '0')) {
      throw new ConfigValues.InvalidValue(ConfigException.Reason.INVALID_NETWORK, text, null);
    }
    int prefix = Integer.parseInt(prefixText);
    if (prefix > max) {
      throw new ConfigValues.InvalidValue(
          ConfigException.Reason.INVALID_PREFIX_LENGTH, text, "0.." + max);
    }
    return of(address, prefix);
  }

  private static int maxPrefix(InetAddress address) {
    return address instanceof Inet4Address ? 32 : 128;
  }

  /**
   * The address as written, host bits included.
   *
   * @return the address as written, host bits included
   */
  public InetAddress address() {
    InetAddress a = address;
    if (a == null) {
      a = InetLiterals.of(addressBytes()); // immutable: a race makes two equal ones at worst
      address = a;
    }
    return a;
  }

  /**
   * The address's bytes as written, host bits included: 4 for IPv4, 16 for IPv6, network order.
   *
   * @return a new array of the address's bytes
   */
  public byte[] addressBytes() {
    byte[] b = new byte[ipv4 ? 4 : 16];
    if (ipv4) {
      for (int i = 0; i < 4; i++) {
        b[i] = (byte) (hi >>> (24 - 8 * i));
      }
    } else {
      for (int i = 0; i < 8; i++) {
        b[i] = (byte) (hi >>> (56 - 8 * i));
        b[8 + i] = (byte) (lo >>> (56 - 8 * i));
      }
    }
    return b;
  }

  /**
   * The prefix length: 0..32 for IPv4, 0..128 for IPv6.
   *
   * @return the prefix length: 0..32 for IPv4, 0..128 for IPv6
   */
  public int prefixLength() {
    return prefixLength;
  }

  /**
   * Whether this is an IPv4 network.
   *
   * @return whether this is an IPv4 network
   */
  public boolean isIpv4() {
    return ipv4;
  }

  /**
   * This network with the host bits cleared: {@code 10.0.0.1/24} gives {@code 10.0.0.0/24}.
   *
   * @return this network with the host bits cleared: {@code 10.0.0.1/24} gives {@code 10.0.0.0/24}
   */
  public InetNetwork masked() {
    long h;
    long l;
    if (ipv4) {
      h = hi & (0xffff_ffffL << (32 - prefixLength)) & 0xffff_ffffL;
      l = 0;
    } else {
      h = hi & bits(prefixLength);
      l = lo & bits(prefixLength - 64);
    }
    return h == hi && l == lo ? this : new InetNetwork(h, l, ipv4, prefixLength, null);
  }

  /** A mask of the first {@code n} bits of a long (none for n <= 0, all for n >= 64). */
  private static long bits(int n) {
    return n <= 0 ? 0 : n >= 64 ? -1L : -1L << (64 - n);
  }

  /**
   * Whether {@code candidate} lies in this network. An IPv4 address is never in an IPv6 network
   * (IPv4-mapped addresses included) and vice versa.
   *
   * @param candidate the address to test
   * @return whether {@code candidate} lies in this network
   */
  public boolean contains(InetAddress candidate) {
    Objects.requireNonNull(candidate, "candidate");
    byte[] other = candidate.getAddress();
    if (other.length != (ipv4 ? 4 : 16)) {
      return false;
    }
    InetNetwork c = of(other, prefixLength).masked();
    InetNetwork m = masked();
    return c.hi == m.hi && c.lo == m.lo;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof InetNetwork)) {
      return false;
    }
    InetNetwork n = (InetNetwork) o;
    return hi == n.hi && lo == n.lo && ipv4 == n.ipv4 && prefixLength == n.prefixLength;
  }

  @Override
  public int hashCode() {
    // Over whole 32-bit words: Arrays.hashCode's base 31 maps the 65,536 hosts of a /16 onto
    // some 8,000 values, which turns a set of a million prefixes into collision trees.
    int h = prefixLength + (ipv4 ? 0 : 0x100);
    h = h * 0x9E3779B1 + (int) (hi >>> 32);
    h = h * 0x9E3779B1 + (int) hi;
    h = h * 0x9E3779B1 + (int) (lo >>> 32);
    h = h * 0x9E3779B1 + (int) lo;
    return h ^ (h >>> 15);
  }

  /**
   * The numeric text of an address without asking DNS: a dotted quad, or IPv6 in the RFC 5952
   * compressed form that {@code inet_ntop} prints (no scope).
   *
   * @param address the address
   * @return the numeric text of an address without asking DNS: a dotted quad, or IPv6 in the RFC
   *     5952 compressed form that {@code inet_ntop} prints (no scope)
   */
  public static String addressText(InetAddress address) {
    return InetLiterals.format(Objects.requireNonNull(address, "address"));
  }

  /** {@code address/prefix}, IPv6 in compressed form: the form configuration files use. */
  @Override
  public String toString() {
    return InetLiterals.format(addressBytes()) + "/" + prefixLength;
  }
}
