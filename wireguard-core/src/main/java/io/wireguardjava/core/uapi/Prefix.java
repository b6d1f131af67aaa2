package io.wireguardjava.core.uapi;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An allowed-IP prefix with its host bits cleared, so that two spellings of one network are equal
 * ({@code 10.0.0.1/24} and {@code 10.0.0.0/24}). Written as Go's {@code netip.Prefix}.
 */
public record Prefix(InetAddress address, int bits) {

  /**
   * Checks the prefix length (the host bits are left as given: see {@link #of}).
   *
   * @param address the address
   * @param bits the prefix length
   */
  public Prefix {
    int max = address.getAddress().length * 8;
    if (bits < 0 || bits > max) {
      throw new IllegalArgumentException("prefix length " + bits + " out of range 0.." + max);
    }
  }

  /**
   * The prefix of {@code address} with {@code bits} leading bits kept, the rest cleared.
   *
   * @param address any address of the network
   * @param bits the prefix length: 0..32 for IPv4, 0..128 for IPv6
   * @return the prefix of {@code address} with {@code bits} leading bits kept, the rest cleared
   */
  public static Prefix of(InetAddress address, int bits) {
    byte[] b = address.getAddress();
    int max = b.length * 8;
    if (bits < 0 || bits > max) {
      throw new IllegalArgumentException("prefix length " + bits + " out of range 0.." + max);
    }
    boolean changed = false;
    for (int i = 0; i < b.length; i++) {
      int keep = Math.max(0, Math.min(8, bits - 8 * i));
      byte masked = (byte) (b[i] & (0xff00 >> keep));
      changed |= masked != b[i];
      b[i] = masked;
    }
    if (!changed && address instanceof java.net.Inet4Address) {
      return new Prefix(address, bits); // already masked: no new address (a million in a get)
    }
    try {
      InetAddress masked =
          b.length == 4
              ? InetAddress.getByAddress(b)
              : java.net.Inet6Address.getByAddress(null, b, -1);
      return new Prefix(masked, bits);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * Parses {@code addr/bits} (IP literals only); throws on anything else.
   *
   * @param text the prefix's text
   * @return the prefix
   */
  public static Prefix parse(String text) {
    Prefix p = IpText.parsePrefix(text);
    if (p == null) {
      throw new IllegalArgumentException("not an IP prefix: " + text);
    }
    return p;
  }

  @Override
  public String toString() {
    return IpText.format(address) + "/" + bits;
  }
}
