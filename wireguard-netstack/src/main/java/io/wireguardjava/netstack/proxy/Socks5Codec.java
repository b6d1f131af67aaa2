package io.wireguardjava.netstack.proxy;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;

/**
 * The TCP messages of RFC 1928 and RFC 1929, read strictly from a blocking stream (the caller sets
 * a read timeout, so a truncated message ends in a timeout, never a stuck thread) and written in
 * one piece.
 */
final class Socks5Codec {
  private Socks5Codec() {}

  /**
   * The method selection message (§3): {@code VER NMETHODS METHODS...}.
   *
   * @return the methods offered, each 0-255
   * @throws Socks5Exception on another version or no methods (no reply fits)
   */
  static int[] readGreeting(InputStream in) throws IOException {
    int version = readByte(in);
    if (version != Socks5.VERSION) {
      throw new Socks5Exception(
          Socks5Exception.CLOSE, "not SOCKS5: version byte 0x" + Integer.toHexString(version));
    }
    int n = readByte(in);
    if (n == 0) {
      throw new Socks5Exception(Socks5Exception.CLOSE, "method selection offers no method");
    }
    byte[] raw = readFully(in, n);
    int[] methods = new int[n];
    for (int i = 0; i < n; i++) {
      methods[i] = raw[i] & 0xff;
    }
    return methods;
  }

  /** The method selection reply: {@code 05 METHOD}. */
  static void writeMethod(OutputStream out, int method) throws IOException {
    out.write(new byte[] {(byte) Socks5.VERSION, (byte) method});
    out.flush();
  }

  /**
   * The username/password request (RFC 1929 §2): {@code 01 ULEN UNAME PLEN PASSWD}. The caller
   * wipes both arrays.
   *
   * @return {username, password}, raw bytes
   */
  static byte[][] readUserPass(InputStream in) throws IOException {
    int version = readByte(in);
    if (version != Socks5.USER_PASS_VERSION) {
      throw new Socks5Exception(
          Socks5Exception.CLOSE,
          "username/password version byte is 0x" + Integer.toHexString(version) + ", not 0x01");
    }
    byte[] user = readFully(in, readByte(in));
    byte[] password = readFully(in, readByte(in));
    return new byte[][] {user, password};
  }

  /** The username/password reply: {@code 01 STATUS}. */
  static void writeUserPassStatus(OutputStream out, int status) throws IOException {
    out.write(new byte[] {(byte) Socks5.USER_PASS_VERSION, (byte) status});
    out.flush();
  }

  /**
   * A request (§4): {@code 05 CMD 00 ATYP DST.ADDR DST.PORT}.
   *
   * @throws Socks5Exception with {@link Socks5#REP_ADDRESS_TYPE_NOT_SUPPORTED} for an unknown
   *     {@code ATYP}, {@link Socks5#REP_GENERAL_FAILURE} for another version
   */
  static Socks5Request readRequest(InputStream in) throws IOException {
    byte[] head = readFully(in, 4);
    if ((head[0] & 0xff) != Socks5.VERSION) {
      throw new Socks5Exception(
          Socks5.REP_GENERAL_FAILURE,
          "request version byte is 0x" + Integer.toHexString(head[0] & 0xff) + ", not 0x05");
    }
    int command = head[1] & 0xff;
    int atyp = head[3] & 0xff;
    String host = readAddress(in, atyp);
    byte[] port = readFully(in, 2);
    return new Socks5Request(command, atyp, host, ((port[0] & 0xff) << 8) | (port[1] & 0xff));
  }

  /** {@code DST.ADDR} of type {@code atyp}, as a literal or the domain name sent. */
  private static String readAddress(InputStream in, int atyp) throws IOException {
    switch (atyp) {
      case Socks5.ATYP_IPV4:
        return InetAddress.getByAddress(readFully(in, 4)).getHostAddress();
      case Socks5.ATYP_IPV6:
        return toInetAddress(readFully(in, 16)).getHostAddress();
      case Socks5.ATYP_DOMAIN:
        int length = readByte(in);
        if (length == 0) {
          throw new Socks5Exception(Socks5.REP_GENERAL_FAILURE, "empty domain name");
        }
        // ISO-8859-1 keeps every byte as one char, so the name check below sees them all
        return new String(readFully(in, length), StandardCharsets.ISO_8859_1);
      default:
        throw new Socks5Exception(
            Socks5.REP_ADDRESS_TYPE_NOT_SUPPORTED,
            "address type 0x" + Integer.toHexString(atyp) + " is not supported");
    }
  }

  /** 16 bytes stay an IPv6 address, also when IPv4-mapped. */
  static InetAddress toInetAddress(byte[] bytes) throws UnknownHostException {
    return bytes.length == 16
        ? java.net.Inet6Address.getByAddress(null, bytes, -1)
        : InetAddress.getByAddress(bytes);
  }

  /** A reply (§6): {@code 05 REP 00 ATYP BND.ADDR BND.PORT}. */
  static void writeReply(OutputStream out, int reply, InetSocketAddress bound) throws IOException {
    byte[] buf = new byte[22];
    buf[0] = Socks5.VERSION;
    buf[1] = (byte) reply;
    buf[2] = 0;
    int n = 3 + putAddress(buf, 3, bound);
    out.write(buf, 0, n);
    out.flush();
  }

  /** A failure reply, with {@code BND} 0.0.0.0:0. */
  static void writeFailure(OutputStream out, int reply) throws IOException {
    writeReply(out, reply, new InetSocketAddress(unspecifiedV4(), 0));
  }

  static InetAddress unspecifiedV4() {
    try {
      return InetAddress.getByAddress(new byte[4]);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * Writes {@code ATYP ADDR PORT} of a resolved address at {@code buf[offset]}: 7 bytes for IPv4
   * (IPv4-mapped IPv6 included), 19 for IPv6.
   *
   * @return the bytes written
   */
  static int putAddress(byte[] buf, int offset, InetSocketAddress a) {
    InetAddress address = a.getAddress();
    byte[] raw = address == null ? new byte[4] : address.getAddress();
    int i = offset;
    buf[i++] = (byte) (raw.length == 4 ? Socks5.ATYP_IPV4 : Socks5.ATYP_IPV6);
    System.arraycopy(raw, 0, buf, i, raw.length);
    i += raw.length;
    buf[i++] = (byte) (a.getPort() >>> 8);
    buf[i++] = (byte) a.getPort();
    return i - offset;
  }

  /** Whether the 4 or 16 bytes of {@code a} are all zero (the "any" address). */
  static boolean isUnspecified(InetAddress a) {
    return a.isAnyLocalAddress();
  }

  private static int readByte(InputStream in) throws IOException {
    int b = in.read();
    if (b < 0) {
      throw new EOFException("the client closed in the middle of a SOCKS5 message");
    }
    return b;
  }

  private static byte[] readFully(InputStream in, int n) throws IOException {
    byte[] b = in.readNBytes(n);
    if (b.length != n) {
      throw new EOFException("the client closed in the middle of a SOCKS5 message");
    }
    return b;
  }
}
