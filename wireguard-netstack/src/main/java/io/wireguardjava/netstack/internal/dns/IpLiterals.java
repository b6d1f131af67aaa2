package io.wireguardjava.netstack.internal.dns;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Recognises IP address literals without ever asking a resolver. {@code InetAddress.getByName}
 * cannot be trusted with that: for text such as {@code 1.2.3.999} it falls back to the host's DNS,
 * which would leak the name outside the tunnel.
 */
public final class IpLiterals {
  private IpLiterals() {}

  /**
   * Parses a dotted-quad IPv4 literal or an IPv6 literal (optionally in brackets).
   *
   * @param text the host text
   * @return the address, or empty when the text is not a literal
   */
  public static Optional<InetAddress> parse(String text) {
    String t = text;
    if (t.length() > 2 && t.charAt(0) == '[' && t.charAt(t.length() - 1) == ']') {
      t = t.substring(1, t.length() - 1);
    }
    try {
      if (t.indexOf(':') >= 0) {
        for (int i = 0; i < t.length(); i++) {
          char c = t.charAt(i);
          if (Character.digit(c, 16) < 0 && c != ':' && c != '.') {
            return Optional.empty(); // scope ids and anything else: not a literal we accept
          }
        }
        // Text with a colon is parsed as an IPv6 literal by the JDK and never looked up.
        return Optional.of(InetAddress.getByName(t));
      }
      byte[] v4 = parseV4(t);
      return v4 == null ? Optional.empty() : Optional.of(InetAddress.getByAddress(v4));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  private static byte @org.jspecify.annotations.Nullable [] parseV4(String t) {
    byte[] out = new byte[4];
    int part = 0;
    int value = -1;
    for (int i = 0; i <= t.length(); i++) {
      char c = i < t.length() ? t.charAt(i) : '.';
      if (c == '.') {
        if (value < 0 || part == 4) {
          return null;
        }
        out[part++] = (byte) value;
        value = -1;
      } else if (c >= '0' && c <= '9') {
        value = value < 0 ? c - '0' : value * 10 + (c - '0');
        if (value > 255) {
          return null;
        }
      } else {
        return null;
      }
    }
    return part == 4 ? out : null;
  }
}
