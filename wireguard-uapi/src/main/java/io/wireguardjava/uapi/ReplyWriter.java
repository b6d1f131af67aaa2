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

  /** {@code v} in decimal, read as unsigned. */
  ReplyWriter unsigned(long v) throws IOException {
    room(20);
    if (v >= 0 && v < 10) {
      buf.put((byte) ('0' + v));
      return this;
    }
    String s = Long.toUnsignedString(v);
    for (int i = 0; i < s.length(); i++) {
      digits[i] = (byte) s.charAt(i);
    }
    buf.put(digits, 0, s.length());
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
