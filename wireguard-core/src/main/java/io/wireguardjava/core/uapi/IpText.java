package io.wireguardjava.core.uapi;

import io.wireguardjava.InetNetwork;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * IP literals as the UAPI writes them, parsed without ever touching DNS: {@code 192.0.2.1}, {@code
 * 2001:db8::1}, prefixes {@code 10.0.0.0/24}, endpoints {@code 192.0.2.1:51820} and {@code
 * [2001:db8::1]:51820}. Formatting follows Go's {@code netip} (RFC 5952 for IPv6), so a {@code get}
 * reads like wireguard-go's.
 */
public final class IpText {
  private IpText() {}

  /** Parses an IPv4 or IPv6 literal; {@code null} when {@code s} is not one. */
  static @Nullable InetAddress parseAddress(String s) {
    byte @Nullable [] bytes = s.indexOf(':') >= 0 ? parseV6(s) : parseV4(s);
    if (bytes == null) {
      return null;
    }
    try {
      if (bytes.length == 4) {
        return InetAddress.getByAddress(bytes);
      }
      // Inet6Address.getByAddress keeps ::ffff:a.b.c.d as IPv6, as Go's netip does.
      return Inet6Address.getByAddress(null, bytes, -1);
    } catch (UnknownHostException e) {
      return null; // cannot happen: the length is 4 or 16
    }
  }

  /** Dotted quad, four decimal parts 0..255 without leading zeros (Go rejects them too). */
  static byte @Nullable [] parseV4(String s) {
    byte[] out = new byte[4];
    int part = 0;
    int i = 0;
    int n = s.length();
    while (part < 4) {
      int start = i;
      int value = 0;
      while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        value = value * 10 + (s.charAt(i) - '0');
        if (value > 255 || i - start >= 3) {
          return null;
        }
        i++;
      }
      int len = i - start;
      if (len == 0 || (len > 1 && s.charAt(start) == '0')) {
        return null;
      }
      out[part++] = (byte) value;
      if (part < 4) {
        if (i >= n || s.charAt(i) != '.') {
          return null;
        }
        i++;
      }
    }
    return i == n ? out : null;
  }

  /** RFC 4291 text: hex groups, one {@code ::}, an optional trailing dotted quad; no zone. */
  static byte @Nullable [] parseV6(String s) {
    if (s.isEmpty() || s.length() > 45) {
      return null;
    }
    byte[] out = new byte[16];
    int ellipsis = -1; // byte index where "::" was
    int at = 0; // next byte index to fill
    int i = 0;
    int n = s.length();
    if (s.startsWith("::")) {
      ellipsis = 0;
      i = 2;
      if (i == n) {
        return out;
      }
    } else if (s.charAt(0) == ':') {
      return null;
    }
    while (i < n) {
      if (at == 16) {
        return null;
      }
      int start = i;
      int value = 0;
      while (i < n && Character.digit(s.charAt(i), 16) >= 0 && i - start < 4) {
        value = (value << 4) | Character.digit(s.charAt(i), 16);
        i++;
      }
      if (i == start) {
        return null;
      }
      if (i < n && s.charAt(i) == '.') {
        // A trailing IPv4 part: re-read this group as a dotted quad.
        if (at > 12) {
          return null;
        }
        byte @Nullable [] v4 = parseV4(s.substring(start));
        if (v4 == null) {
          return null;
        }
        System.arraycopy(v4, 0, out, at, 4);
        at += 4;
        i = n;
        break;
      }
      out[at++] = (byte) (value >> 8);
      out[at++] = (byte) value;
      if (i == n) {
        break;
      }
      if (s.charAt(i) != ':') {
        return null;
      }
      i++;
      if (i < n && s.charAt(i) == ':') {
        if (ellipsis >= 0) {
          return null;
        }
        ellipsis = at;
        i++;
        if (i == n) {
          break;
        }
      } else if (i == n) {
        return null; // trailing single ':'
      }
    }
    if (ellipsis >= 0) {
      if (at == 16) {
        return null; // "::" must stand for at least one group
      }
      int tail = at - ellipsis;
      System.arraycopy(out, ellipsis, out, 16 - tail, tail);
      java.util.Arrays.fill(out, ellipsis, 16 - tail, (byte) 0);
    } else if (at != 16) {
      return null;
    }
    return out;
  }

  /**
   * {@code a.b.c.d} or RFC 5952 IPv6 ({@code 2001:db8::1}, {@code ::ffff:192.0.2.1}).
   *
   * @param address the address
   * @return {@code a.b.c.d} or RFC 5952 IPv6 ({@code 2001:db8::1}, {@code ::ffff:192.0.2.1})
   */
  public static String format(InetAddress address) {
    return InetNetwork.addressText(address);
  }

  /**
   * Parses {@code addr/bits} strictly and clears the host bits, as wireguard-go's allowed-IPs table
   * stores it ({@code 10.0.0.1/24} becomes {@code 10.0.0.0/24}).
   */
  static @Nullable Prefix parsePrefix(String s) {
    int slash = s.indexOf('/');
    if (slash < 0 || slash == s.length() - 1) {
      return null;
    }
    InetAddress address = parseAddress(s.substring(0, slash));
    if (address == null) {
      return null;
    }
    String bitsText = s.substring(slash + 1);
    if (bitsText.length() > 3 || (bitsText.length() > 1 && bitsText.charAt(0) == '0')) {
      return null;
    }
    int bits = 0;
    for (int i = 0; i < bitsText.length(); i++) {
      char c = bitsText.charAt(i);
      if (c < '0' || c > '9') {
        return null;
      }
      bits = bits * 10 + (c - '0');
    }
    int max = address.getAddress().length * 8;
    if (bits > max) {
      return null;
    }
    return Prefix.of(address, bits);
  }

  /**
   * Parses {@code a.b.c.d:port} or {@code [v6]:port} (IP literals only, no DNS); empty when
   * malformed. Only configuration requests call it, so the {@link Optional} costs nothing that
   * matters.
   *
   * @param s the endpoint's text
   * @return the endpoint, or empty when the text is not one
   */
  public static Optional<InetSocketAddress> parseEndpoint(String s) {
    String host;
    String portText;
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 0 || close + 1 >= s.length() || s.charAt(close + 1) != ':') {
        return Optional.empty();
      }
      host = s.substring(1, close);
      if (host.indexOf(':') < 0) {
        return Optional.empty(); // "[1.2.3.4]:5" is not valid for Go either
      }
      portText = s.substring(close + 2);
    } else {
      int colon = s.lastIndexOf(':');
      if (colon < 0 || s.indexOf(':') != colon) {
        return Optional.empty(); // bare IPv6 without brackets
      }
      host = s.substring(0, colon);
      portText = s.substring(colon + 1);
    }
    InetAddress address = parseAddress(host);
    Integer port = parseUnsigned(portText, 0xffff);
    if (address == null || port == null) {
      return Optional.empty();
    }
    return Optional.of(new InetSocketAddress(address, port));
  }

  /**
   * {@code a.b.c.d:port} or {@code [v6]:port}.
   *
   * @param endpoint the endpoint, with an IP address
   * @return {@code a.b.c.d:port} or {@code [v6]:port}
   */
  public static String formatEndpoint(InetSocketAddress endpoint) {
    InetAddress address = endpoint.getAddress();
    if (address == null) {
      return endpoint.getHostString() + ":" + endpoint.getPort();
    }
    String text = format(address);
    return (address instanceof Inet4Address ? text : "[" + text + "]") + ":" + endpoint.getPort();
  }

  /** A decimal number without sign in {@code [0, max]}, as Go's {@code strconv.ParseUint}. */
  static @Nullable Integer parseUnsigned(String s, int max) {
    Long value = parseUnsignedLong(s, max);
    return value == null ? null : (int) (long) value;
  }

  static @Nullable Long parseUnsignedLong(String s, long max) {
    if (s.isEmpty() || s.length() > 19) {
      return null;
    }
    long value = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return null;
      }
      int digit = c - '0';
      if (value > (max - digit) / 10) {
        return null;
      }
      value = value * 10 + digit;
    }
    return value;
  }
}
