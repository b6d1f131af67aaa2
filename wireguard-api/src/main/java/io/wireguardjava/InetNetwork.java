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
  private final InetAddress address;
  private final int prefixLength;

  /** {@link #hashCode()}, computed once (0: not yet): sets of a million prefixes hash often. */
  private int hash;

  private InetNetwork(InetAddress address, int prefixLength) {
    this.address = address;
    this.prefixLength = prefixLength;
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
    int max = maxPrefix(address);
    if (prefixLength < 0 || prefixLength > max) {
      throw new IllegalArgumentException("prefix length " + prefixLength + " is not in 0.." + max);
    }
    return new InetNetwork(address, prefixLength);
  }

  /**
   * The single address {@code address/32} or {@code address/128}.
   *
   * @param address the address
   * @return the single address {@code address/32} or {@code address/128}
   */
  public static InetNetwork of(InetAddress address) {
    Objects.requireNonNull(address, "address");
    return new InetNetwork(address, maxPrefix(address));
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
    InetAddress address = InetLiterals.parse(addressText);
    if (address == null) {
      throw new ConfigValues.InvalidValue(ConfigException.Reason.INVALID_NETWORK, text, null);
    }
    int max = maxPrefix(address);
    if (slash < 0) {
      return new InetNetwork(address, max);
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
    return new InetNetwork(address, prefix);
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
    return address;
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
    return address instanceof Inet4Address;
  }

  /**
   * This network with the host bits cleared: {@code 10.0.0.1/24} gives {@code 10.0.0.0/24}.
   *
   * @return this network with the host bits cleared: {@code 10.0.0.1/24} gives {@code 10.0.0.0/24}
   */
  public InetNetwork masked() {
    byte[] b = address.getAddress();
    for (int i = 0; i < b.length; i++) {
      int keep = Math.max(0, Math.min(8, prefixLength - 8 * i));
      b[i] &= (byte) (0xff << (8 - keep));
    }
    return new InetNetwork(InetLiterals.of(b), prefixLength);
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
    byte[] net = address.getAddress();
    byte[] other = candidate.getAddress();
    if (net.length != other.length) {
      return false;
    }
    int bits = prefixLength;
    for (int i = 0; i < net.length && bits > 0; i++, bits -= 8) {
      int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
      if (((net[i] ^ other[i]) & mask) != 0) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    // InetAddress.equals compares the address bytes of the same family without copying them
    // (getAddress() copies); an IPv4 and an IPv6 address never have the same bytes anyway.
    return o instanceof InetNetwork
        && prefixLength == ((InetNetwork) o).prefixLength
        && address.equals(((InetNetwork) o).address);
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h = computeHash();
      hash = h;
    }
    return h;
  }

  private int computeHash() {
    // Over whole 32-bit words: Arrays.hashCode's base 31 maps the 65,536 hosts of a /16 onto
    // some 8,000 values, which turns a set of a million prefixes into collision trees.
    byte[] b = address.getAddress();
    int h = prefixLength;
    for (int i = 0; i < b.length; i += 4) {
      int word =
          (b[i] & 0xff) << 24
              | (b[i + 1] & 0xff) << 16
              | (b[i + 2] & 0xff) << 8
              | (b[i + 3] & 0xff);
      h = h * 0x9E3779B1 + word;
    }
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
    return InetLiterals.format(address) + "/" + prefixLength;
  }
}
