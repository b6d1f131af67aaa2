package io.wireguardjava.uapi;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Writes a reply's ASCII text straight into one buffer, handed to a {@link Sink} each time it
 * fills: a {@code get} of 65,536 peers (30 MB of text) is never built whole, as a string or as
 * bytes.
 */
final class ReplyWriter {

  /** Where full buffers go; it consumes the buffer's remaining bytes before returning. */
  interface Sink {
    void write(ByteBuffer bytes) throws IOException;
  }

  private static final byte[] HEX = {
    '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'
  };

  private final ByteBuffer buf;
  private final Sink sink;
  private final byte[] digits = new byte[20];

  ReplyWriter(ByteBuffer buf, Sink sink) {
    this.buf = buf;
    this.sink = sink;
    buf.clear();
  }

  private void room(int n) throws IOException {
    if (buf.remaining() < n) {
      flush();
    }
  }

  /** Hands what is buffered to the sink. */
  void flush() throws IOException {
    buf.flip();
    if (buf.hasRemaining()) {
      sink.write(buf);
    }
    buf.clear();
  }

  /** Zeroes the buffer: a get reply carries the private key. */
  void wipe() {
    java.util.Arrays.fill(buf.array(), (byte) 0);
    buf.clear();
  }

  /** ASCII text (keys, literals, addresses: never anything else). */
  ReplyWriter text(String s) throws IOException {
    int n = s.length();
    int i = 0;
    while (i < n) {
      room(1);
      int chunk = Math.min(n - i, buf.remaining());
      for (int j = 0; j < chunk; j++) {
        buf.put((byte) s.charAt(i + j));
      }
      i += chunk;
    }
    return this;
  }

  ReplyWriter ch(char c) throws IOException {
    room(1);
    buf.put((byte) c);
    return this;
  }

  /** ASCII bytes, such as a key name with its {@code =} made once. */
  ReplyWriter ascii(byte[] b) throws IOException {
    if (b.length <= buf.capacity()) {
      room(b.length);
      buf.put(b);
      return this;
    }
    for (byte x : b) {
      room(1);
      buf.put(x);
    }
    return this;
  }

  /** {@code v} in decimal, read as unsigned. */
  ReplyWriter unsigned(long v) throws IOException {
    room(20);
    if (v >= 0 && v < 1000) { // addresses, prefix lengths, small counters: no string
      if (v >= 100) {
        buf.put((byte) ('0' + v / 100));
      }
      if (v >= 10) {
        buf.put((byte) ('0' + v / 10 % 10));
      }
      buf.put((byte) ('0' + v % 10));
      return this;
    }
    String s = Long.toUnsignedString(v);
    for (int i = 0; i < s.length(); i++) {
      digits[i] = (byte) s.charAt(i);
    }
    buf.put(digits, 0, s.length());
    return this;
  }

  /** {@code address/length}, the address as {@code inet_ntop} writes it, without a string. */
  ReplyWriter prefix(io.wireguardjava.InetNetwork n) throws IOException {
    return address(n.addressBytes()).ch('/').unsigned(n.prefixLength());
  }

  /** An address of 4 or 16 bytes as {@code inet_ntop} writes it, without making a string. */
  ReplyWriter address(byte[] b) throws IOException {
    if (b.length == 16) {
      return ipv6(b);
    }
    return unsigned(b[0] & 0xff)
        .ch('.')
        .unsigned(b[1] & 0xff)
        .ch('.')
        .unsigned(b[2] & 0xff)
        .ch('.')
        .unsigned(b[3] & 0xff);
  }

  /**
   * An IPv6 address in RFC 5952's form, as {@code inet_ntop} prints it: groups in lowercase hex
   * without leading zeros, the longest run of two or more zero groups (the first on a tie) as
   * {@code ::}, an IPv4-mapped address as {@code ::ffff:a.b.c.d}.
   */
  private ReplyWriter ipv6(byte[] b) throws IOException {
    room(45); // the longest form: "ffff:" x 7 + "ffff", or ::ffff:255.255.255.255
    boolean mapped = b[10] == -1 && b[11] == -1;
    for (int i = 0; i < 10 && mapped; i++) {
      mapped = b[i] == 0;
    }
    if (mapped) {
      buf.put((byte) ':').put((byte) ':').put((byte) 'f').put((byte) 'f').put((byte) 'f');
      buf.put((byte) 'f').put((byte) ':');
      return unsigned(b[12] & 0xff)
          .ch('.')
          .unsigned(b[13] & 0xff)
          .ch('.')
          .unsigned(b[14] & 0xff)
          .ch('.')
          .unsigned(b[15] & 0xff);
    }
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; ) {
      if (group(b, i) != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && group(b, j) == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j;
    }
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        buf.put((byte) ':').put((byte) ':');
        i += bestLength - 1;
        continue;
      }
      if (i > 0 && i != bestStart + bestLength) {
        buf.put((byte) ':');
      }
      int g = group(b, i);
      boolean started = false;
      for (int shift = 12; shift >= 0; shift -= 4) {
        int d = (g >> shift) & 0xf;
        if (d != 0 || started || shift == 0) {
          buf.put(HEX[d]);
          started = true;
        }
      }
    }
    return this;
  }

  private static int group(byte[] b, int i) {
    return (b[2 * i] & 0xff) << 8 | (b[2 * i + 1] & 0xff);
  }

  /** {@code bytes} in lowercase hex. */
  ReplyWriter hex(byte[] bytes) throws IOException {
    room(2 * bytes.length);
    for (byte b : bytes) {
      buf.put(HEX[(b >> 4) & 0xf]).put(HEX[b & 0xf]);
    }
    return this;
  }

  /** {@code key=<64 hex digits>\n}. */
  ReplyWriter hexLine(String key, byte[] bytes) throws IOException {
    room(key.length() + 2 + 2 * bytes.length);
    text(key).ch('=');
    for (byte b : bytes) {
      buf.put(HEX[(b >> 4) & 0xf]).put(HEX[b & 0xf]);
    }
    buf.put((byte) '\n');
    return this;
  }
}
