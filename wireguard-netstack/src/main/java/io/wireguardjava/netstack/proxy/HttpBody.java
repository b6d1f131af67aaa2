package io.wireguardjava.netstack.proxy;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * The framing of an HTTP/1.1 message body (RFC 9112 §6) and its copy through the proxy, with one
 * bounded buffer: chunked bodies are copied as they are (or de-chunked for an HTTP/1.0 client),
 * fixed-length bodies byte for byte, close-delimited ones until the end of stream.
 */
final class HttpBody {
  /** How the end of a body is found. */
  enum Framing {
    NONE,
    LENGTH,
    CHUNKED,
    UNTIL_CLOSE
  }

  private static final int MAX_CHUNK_LINE = 4096;

  final Framing framing;
  final long length;

  private HttpBody(Framing framing, long length) {
    this.framing = framing;
    this.length = length;
  }

  static final HttpBody NONE = new HttpBody(Framing.NONE, 0);

  /**
   * The framing of a request body: chunked, Content-Length, or none.
   *
   * @throws HttpException 400 for a bad Content-Length or a transfer coding other than chunked last
   *     (no length could be known: RFC 9112 §6.3)
   */
  static HttpBody ofRequest(HttpHead head) throws HttpException {
    List<String> te = head.tokens("Transfer-Encoding");
    if (!te.isEmpty()) {
      if (!te.get(te.size() - 1).equals("chunked")) {
        throw new HttpException(400, "a request's transfer coding must end with chunked");
      }
      return new HttpBody(Framing.CHUNKED, -1);
    }
    long n = contentLength(head);
    return n <= 0 ? NONE : new HttpBody(Framing.LENGTH, n);
  }

  /** The framing of a response to {@code method} with {@code status}. */
  static HttpBody ofResponse(HttpHead head, String method, int status) throws HttpException {
    if (method.equals("HEAD") || status / 100 == 1 || status == 204 || status == 304) {
      return NONE;
    }
    List<String> te = head.tokens("Transfer-Encoding");
    if (!te.isEmpty()) {
      return te.get(te.size() - 1).equals("chunked")
          ? new HttpBody(Framing.CHUNKED, -1)
          : new HttpBody(Framing.UNTIL_CLOSE, -1);
    }
    if (head.get("Content-Length").isPresent()) {
      long n = contentLength(head);
      return n == 0 ? NONE : new HttpBody(Framing.LENGTH, n);
    }
    return new HttpBody(Framing.UNTIL_CLOSE, -1);
  }

  /** Content-Length, -1 when absent; the same value repeated is allowed (RFC 9110 §8.6). */
  private static long contentLength(HttpHead head) throws HttpException {
    long n = -1;
    for (String v : head.tokens("Content-Length")) {
      if (!v.matches("[0-9]{1,18}")) {
        throw new HttpException(400, "malformed Content-Length " + Printable.of(v));
      }
      long m = Long.parseLong(v);
      if (n >= 0 && m != n) {
        throw new HttpException(400, "conflicting Content-Length values");
      }
      n = m;
    }
    return n;
  }

  /**
   * Copies this body from {@code in} to {@code out}.
   *
   * @param dechunk whether to strip the chunked framing (for an HTTP/1.0 recipient)
   * @throws EOFException when the stream ends before the body does
   */
  void copy(InputStream in, OutputStream out, boolean dechunk, LongAdder bytes) throws IOException {
    byte[] buf = new byte[Splice.BUFFER_SIZE];
    switch (framing) {
      case NONE:
        return;
      case LENGTH:
        copyExactly(in, out, length, buf, bytes);
        return;
      case UNTIL_CLOSE:
        int n;
        while ((n = in.read(buf)) >= 0) {
          bytes.add(n); // before the write: whoever sees the bytes sees them counted
          out.write(buf, 0, n);
          out.flush();
        }
        return;
      case CHUNKED:
      default:
        copyChunked(in, out, dechunk, buf, bytes);
    }
  }

  private static void copyExactly(
      InputStream in, OutputStream out, long length, byte[] buf, LongAdder bytes)
      throws IOException {
    long left = length;
    while (left > 0) {
      int n = in.read(buf, 0, (int) Math.min(buf.length, left));
      if (n < 0) {
        throw new EOFException("the body ended " + left + " bytes early");
      }
      bytes.add(n);
      out.write(buf, 0, n);
      out.flush(); // a stream of small pieces (server-sent events) is not held back
      left -= n;
    }
  }

  /** RFC 9112 §7.1: size [; ext] CRLF data CRLF ... 0 CRLF trailers CRLF. */
  private static void copyChunked(
      InputStream in, OutputStream out, boolean dechunk, byte[] buf, LongAdder bytes)
      throws IOException {
    while (true) {
      String line = chunkLine(in);
      int semicolon = line.indexOf(';');
      String hex = (semicolon < 0 ? line : line.substring(0, semicolon)).trim();
      if (!hex.matches("[0-9A-Fa-f]{1,15}")) {
        throw new HttpException(400, "malformed chunk size " + Printable.of(line));
      }
      long size = Long.parseLong(hex, 16);
      if (!dechunk) {
        out.write((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
      }
      if (size == 0) {
        // trailer fields up to the empty line
        while (true) {
          String trailer = chunkLine(in);
          if (!dechunk) {
            out.write((trailer + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
          }
          if (trailer.isEmpty()) {
            return;
          }
        }
      }
      copyExactly(in, out, size, buf, bytes);
      if (!chunkLine(in).isEmpty()) {
        throw new HttpException(400, "chunk data not followed by CRLF");
      }
      if (!dechunk) {
        out.write('\r');
        out.write('\n');
      }
    }
  }

  private static String chunkLine(InputStream in) throws IOException {
    StringBuilder b = new StringBuilder();
    while (true) {
      int c = in.read();
      if (c < 0) {
        throw new EOFException("the connection closed inside a chunked body");
      }
      if (c == '\n') {
        int n = b.length();
        if (n > 0 && b.charAt(n - 1) == '\r') {
          b.setLength(n - 1);
        }
        return b.toString();
      }
      if (b.length() == MAX_CHUNK_LINE) {
        throw new HttpException(400, "a chunk line is longer than " + MAX_CHUNK_LINE + " bytes");
      }
      b.append((char) c);
    }
  }
}
