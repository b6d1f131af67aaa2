package io.wireguardjava.uapi;

import io.wireguardjava.InetNetwork;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * An {@code allowed_ip=} value read straight from a request's bytes: the lines of a big request are
 * almost all {@code a.b.c.d/n}, so an IPv4 prefix is parsed in place into its four bytes and
 * length, host bits cleared, with no text made on the way (a million of them in a {@code wg
 * setconf}). Anything else (IPv6, or a malformed value) goes through {@link UapiText#parsePrefix},
 * whose rules this follows exactly: four decimal octets 0..255 without leading zeros, a {@code /},
 * a length 0..32 without leading zeros.
 */
final class AllowedIpText {
  private AllowedIpText() {}

  /**
   * Parses {@code b[from, to)} as {@code address/length}.
   *
   * @return the prefix with its host bits cleared, or null when malformed
   */
  static @Nullable InetNetwork parse(byte[] b, int from, int to) {
    byte[] address = new byte[4];
    int at = from;
    for (int part = 0; part < 4; part++) {
      long number = decimal(b, at, to, 255);
      int end = (int) (number >> 32);
      if (number < 0 || end == to || b[end] != (part < 3 ? '.' : '/')) {
        return fallback(b, from, to);
      }
      address[part] = (byte) number;
      at = end + 1;
    }
    long number = decimal(b, at, to, 32);
    if (number < 0 || (int) (number >> 32) != to) {
      return fallback(b, from, to);
    }
    int bits = (int) number;
    // Clear the host bits, as wireguard-go's table stores the prefix.
    int word = (address[0] & 0xff) << 24 | (address[1] & 0xff) << 16 | (address[2] & 0xff) << 8;
    word |= address[3] & 0xff;
    word &= bits == 0 ? 0 : -1 << (32 - bits);
    address[0] = (byte) (word >>> 24);
    address[1] = (byte) (word >>> 16);
    address[2] = (byte) (word >>> 8);
    address[3] = (byte) word;
    return InetNetwork.of(address, bits);
  }

  /**
   * Reads a decimal number of one to three digits, without a leading zero, at most {@code max},
   * from {@code b[at, to)}: the index after it in the high 32 bits and the number in the low ones,
   * or -1.
   */
  private static long decimal(byte[] b, int at, int to, int max) {
    int v = 0;
    int i = at;
    while (i < to && i - at < 3 && b[i] >= '0' && b[i] <= '9') {
      if (i > at && v == 0) {
        return -1; // a leading zero
      }
      v = v * 10 + (b[i] - '0');
      i++;
    }
    if (i == at || v > max || (i < to && b[i] >= '0' && b[i] <= '9')) {
      return -1;
    }
    return (long) i << 32 | v;
  }

  private static @Nullable InetNetwork fallback(byte[] b, int from, int to) {
    return UapiText.parsePrefix(new String(b, from, to - from, StandardCharsets.ISO_8859_1));
  }
}
