package io.wireguardjava;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.jspecify.annotations.Nullable;

/**
 * IP address literals, parsed and printed without ever asking DNS ({@link InetAddress#getByName}
 * would resolve anything that is not a literal).
 *
 * <p>IPv4: four decimal numbers 0..255 without leading zeros, as {@code inet_pton} accepts. IPv6:
 * RFC 4291 text forms, optionally ending in an IPv4 dotted quad; printed in the RFC 5952 compressed
 * form, as {@code inet_ntop} prints it.
 */
final class InetLiterals {
  private InetLiterals() {}

  /** Parses an IPv4 or IPv6 literal, or returns {@code null} if {@code text} is not one. */
  static @Nullable InetAddress parse(String text) {
    byte[] bytes = text.indexOf(':') >= 0 ? parseV6(text) : parseV4(text);
    return bytes == null ? null : of(bytes);
  }

  /** The address of 4 or 16 bytes; 16 bytes stay an IPv6 address even when IPv4-mapped. */
  static InetAddress of(byte[] bytes) {
    try {
      // Inet6Address.getByAddress keeps an IPv4-mapped address an IPv6 address.
      return bytes.length == 4
          ? InetAddress.getByAddress(bytes)
          : Inet6Address.getByAddress(null, bytes, -1);
    } catch (UnknownHostException e) {
      throw new AssertionError(e); // only thrown for a wrong length
    }
  }

  static byte @Nullable [] parseV4(String text) {
    byte[] out = new byte[4];
    int part = 0;
    int value = 0;
    int digits = 0;
    for (int i = 0; i <= text.length(); i++) {
      char c = i < text.length() ? text.charAt(i) : '.';
      if (c >= '0' && c <= '9') {
        if (digits > 0 && value == 0) {
          return null; // leading zero
        }
        value = value * 10 + (c - '0');
        digits++;
        if (value > 255) {
          return null;
        }
      } else if (c == '.') {
        if (digits == 0 || part == 4) {
          return null;
        }
        out[part++] = (byte) value;
        value = 0;
        digits = 0;
      } else {
        return null;
      }
    }
    return part == 4 ? out : null;
  }

  static byte @Nullable [] parseV6(String text) {
    int doubleColon = text.indexOf("::");
    if (doubleColon >= 0 && text.indexOf("::", doubleColon + 1) >= 0) {
      return null;
    }
    byte[] out = new byte[16];
    if (doubleColon < 0) {
      return parseGroups(text, out, 0, 16, true) == 16 ? out : null;
    }
    String head = text.substring(0, doubleColon);
    String tail = text.substring(doubleColon + 2);
    byte[] headBytes = new byte[16];
    int headLen = head.isEmpty() ? 0 : parseGroups(head, headBytes, 0, 16, false);
    if (headLen < 0) {
      return null;
    }
    byte[] tailBytes = new byte[16];
    int tailLen = tail.isEmpty() ? 0 : parseGroups(tail, tailBytes, 0, 16, true);
    if (tailLen < 0 || headLen + tailLen > 14) {
      return null; // "::" stands for at least one zero group
    }
    System.arraycopy(headBytes, 0, out, 0, headLen);
    System.arraycopy(tailBytes, 0, out, 16 - tailLen, tailLen);
    return out;
  }

  /**
   * Parses colon-separated hex groups (and, if allowed, a final dotted quad) into {@code out}.
   *
   * @return the number of bytes written, or -1 if malformed
   */
  private static int parseGroups(String text, byte[] out, int at, int max, boolean allowV4) {
    String[] groups = text.split(":", -1);
    int pos = at;
    for (int g = 0; g < groups.length; g++) {
      String group = groups[g];
      if (g == groups.length - 1 && allowV4 && group.indexOf('.') >= 0) {
        byte[] v4 = parseV4(group);
        if (v4 == null || pos + 4 > max) {
          return -1;
        }
        System.arraycopy(v4, 0, out, pos, 4);
        pos += 4;
        continue;
      }
      if (group.isEmpty() || group.length() > 4 || pos + 2 > max) {
        return -1;
      }
      int value = 0;
      for (int i = 0; i < group.length(); i++) {
        int d = Character.digit(group.charAt(i), 16);
        if (d < 0 || group.charAt(i) > 'f') {
          return -1;
        }
        value = value * 16 + d;
      }
      out[pos++] = (byte) (value >> 8);
      out[pos++] = (byte) value;
    }
    return pos - at;
  }

  /** The literal form: dotted quad, or RFC 5952 compressed IPv6 (without a scope). */
  static String format(InetAddress address) {
    return format(address.getAddress());
  }

  /** {@link #format(InetAddress)} of an address's 4 or 16 bytes. */
  static String format(byte[] b) {
    if (b.length == 4) {
      return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
    }
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
    }
    boolean mapped =
        groups[0] == 0
            && groups[1] == 0
            && groups[2] == 0
            && groups[3] == 0
            && groups[4] == 0
            && groups[5] == 0xffff;
    if (mapped) {
      return "::ffff:"
          + (b[12] & 0xff)
          + "."
          + (b[13] & 0xff)
          + "."
          + (b[14] & 0xff)
          + "."
          + (b[15] & 0xff);
    }
    // The longest run of two or more zero groups (the first one on a tie) becomes "::".
    int bestStart = -1;
    int bestLen = 1;
    for (int i = 0; i < 8; ) {
      if (groups[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(groups[i]));
    }
    return sb.toString();
  }
}
