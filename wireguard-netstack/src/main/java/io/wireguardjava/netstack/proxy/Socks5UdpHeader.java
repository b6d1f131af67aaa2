package io.wireguardjava.netstack.proxy;

import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * The header of a UDP datagram relayed by SOCKS5 (RFC 1928 §7): {@code RSV(2)=0 FRAG ATYP DST.ADDR
 * DST.PORT DATA}. One instance per relay thread is parsed into again and again, so the data path
 * allocates no header objects.
 */
final class Socks5UdpHeader {
  /** The longest header: a 255-byte domain name. */
  static final int MAX_LENGTH = 3 + 1 + 1 + 255 + 2;

  /** The longest header of a reply, which always carries an IPv6 or IPv4 address. */
  static final int MAX_REPLY_LENGTH = 3 + 1 + 16 + 2;

  /** {@code FRAG}: 0 for a whole datagram. */
  int fragment;

  /** {@code ATYP}. */
  int addressType;

  /** The 4 or 16 address bytes, when not a domain name. */
  final byte[] address = new byte[16];

  /** The domain name, when {@link #addressType} is {@link Socks5#ATYP_DOMAIN}. */
  String domain = "";

  /** {@code DST.PORT}. */
  int port;

  /** Where {@code DATA} starts. */
  int payloadOffset;

  /**
   * Parses the header of {@code buf[offset, offset+length)}.
   *
   * @return null when it is well formed, else what is wrong with it
   */
  @Nullable String parse(byte[] buf, int offset, int length) {
    int end = offset + length;
    if (length < 4) {
      return "shorter than a header";
    }
    if (buf[offset] != 0 || buf[offset + 1] != 0) {
      return "reserved bytes are not zero";
    }
    fragment = buf[offset + 2] & 0xff;
    addressType = buf[offset + 3] & 0xff;
    int i = offset + 4;
    switch (addressType) {
      case Socks5.ATYP_IPV4:
      case Socks5.ATYP_IPV6:
        int n = addressType == Socks5.ATYP_IPV4 ? 4 : 16;
        if (end - i < n + 2) {
          return "truncated address";
        }
        System.arraycopy(buf, i, address, 0, n);
        i += n;
        break;
      case Socks5.ATYP_DOMAIN:
        int len = buf[i++] & 0xff;
        if (len == 0 || end - i < len + 2) {
          return "truncated or empty domain name";
        }
        domain = new String(buf, i, len, StandardCharsets.ISO_8859_1);
        i += len;
        break;
      default:
        return "unknown address type 0x" + Integer.toHexString(addressType);
    }
    port = ((buf[i] & 0xff) << 8) | (buf[i + 1] & 0xff);
    payloadOffset = i + 2;
    return null;
  }

  /** The address length of the parsed {@link #addressType}: 4 or 16 (0 for a name). */
  int addressLength() {
    switch (addressType) {
      case Socks5.ATYP_IPV4:
        return 4;
      case Socks5.ATYP_IPV6:
        return 16;
      default:
        return 0;
    }
  }

  /**
   * Writes the header of a datagram from {@code source} so that it ends exactly at {@code
   * payloadOffset}: the payload received at {@link #MAX_REPLY_LENGTH} gets its header without a
   * copy.
   *
   * @return where the header starts
   */
  static int prepend(byte[] buf, int payloadOffset, java.net.InetSocketAddress source) {
    byte[] raw = source.getAddress().getAddress();
    int start = payloadOffset - (3 + 1 + raw.length + 2);
    buf[start] = 0;
    buf[start + 1] = 0;
    buf[start + 2] = 0;
    Socks5Codec.putAddress(buf, start + 3, source);
    return start;
  }
}
