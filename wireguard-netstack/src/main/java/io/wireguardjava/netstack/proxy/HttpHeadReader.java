package io.wireguardjava.netstack.proxy;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads an HTTP/1.x head (RFC 9112 §2-5) with bounds on the line length, the head size and the
 * number of fields: a client can neither make the proxy buffer without limit nor slip a malformed
 * field (spaces before the colon, obsolete line folding, controls) past it.
 */
final class HttpHeadReader {
  static final int MAX_LINE = 8 * 1024;
  static final int MAX_HEAD = 64 * 1024;
  static final int MAX_FIELDS = 200;

  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  private HttpHeadReader() {}

  /**
   * Reads one head.
   *
   * @param request whether a request line (else a status line) starts it
   * @return empty at a clean end of stream before the first byte (a keep-alive connection closed
   *     between requests)
   * @throws HttpException 400 (malformed), 431 (too large) or 505 (not HTTP/1.x)
   * @throws EOFException when the stream ends inside the head
   */
  static Optional<HttpHead> read(InputStream in, boolean request) throws IOException {
    int[] budget = {MAX_HEAD};
    String first = readLine(in, budget, true);
    if (first == null) {
      return Optional.empty();
    }
    String line = first;
    // RFC 9112 §2.2: a server SHOULD ignore at least one empty line before the request line
    if (line.isEmpty() && request) {
      line = requireLine(in, budget);
    }
    String[] start = startLine(line, request);
    List<String[]> fields = new ArrayList<>();
    while (true) {
      String f = requireLine(in, budget);
      if (f.isEmpty()) {
        break;
      }
      if (fields.size() == MAX_FIELDS) {
        throw new HttpException(431, "more than " + MAX_FIELDS + " header fields");
      }
      fields.add(field(f));
    }
    return Optional.of(new HttpHead(start[0], start[1], start[2], fields));
  }

  private static String[] startLine(String line, boolean request) throws HttpException {
    for (int i = 0; i < line.length(); i++) {
      char ch = line.charAt(i);
      if (ch < 0x20 || ch == 0x7f) {
        throw new HttpException(400, "control character in the start line");
      }
    }
    int sp1 = line.indexOf(' ');
    int sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1);
    if (sp1 <= 0 || (request && sp2 < 0) || (request && line.indexOf(' ', sp2 + 1) >= 0)) {
      throw new HttpException(
          400, "malformed " + (request ? "request" : "status") + " line: " + Printable.of(line));
    }
    String a = line.substring(0, sp1);
    String b = sp2 < 0 ? line.substring(sp1 + 1) : line.substring(sp1 + 1, sp2);
    String c = sp2 < 0 ? "" : line.substring(sp2 + 1);
    String version = request ? c : a;
    if (!version.startsWith("HTTP/")) {
      throw new HttpException(400, "not an HTTP version: " + Printable.of(version));
    }
    if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) {
      throw new HttpException(505, "HTTP version " + Printable.of(version) + " is not supported");
    }
    if (request && !TOKEN.matcher(a).matches()) {
      throw new HttpException(400, "malformed method " + Printable.of(a));
    }
    if (!request && !b.matches("[1-9][0-9][0-9]")) {
      throw new HttpException(400, "malformed status code " + Printable.of(b));
    }
    if (b.isEmpty()) {
      throw new HttpException(400, "empty request target");
    }
    return new String[] {a, b, c};
  }

  private static String[] field(String line) throws HttpException {
    if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
      throw new HttpException(400, "obsolete line folding is not accepted (RFC 9112 §5.2)");
    }
    int colon = line.indexOf(':');
    if (colon <= 0 || !TOKEN.matcher(line.substring(0, colon)).matches()) {
      throw new HttpException(400, "malformed header field: " + Printable.of(line));
    }
    String value = line.substring(colon + 1).strip();
    for (int i = 0; i < value.length(); i++) {
      char ch = value.charAt(i);
      if ((ch < 0x20 && ch != '\t') || ch == 0x7f) {
        throw new HttpException(
            400, "control character in header field " + Printable.of(line.substring(0, colon)));
      }
    }
    return new String[] {line.substring(0, colon), value};
  }

  private static String requireLine(InputStream in, int[] budget) throws IOException {
    String line = readLine(in, budget, false);
    if (line == null) {
      throw new EOFException("the connection closed inside an HTTP head");
    }
    return line;
  }

  /**
   * One line without its CRLF (a bare LF accepted), ISO-8859-1.
   *
   * @return null at EOF before any byte when {@code eofAllowed}
   */
  private static @Nullable String readLine(InputStream in, int[] budget, boolean eofAllowed)
      throws IOException {
    byte[] buf = new byte[128];
    int n = 0;
    while (true) {
      int b = in.read();
      if (b < 0) {
        if (n == 0 && eofAllowed) {
          return null;
        }
        throw new EOFException("the connection closed inside an HTTP head");
      }
      if (--budget[0] < 0) {
        throw new HttpException(431, "the head is longer than " + MAX_HEAD + " bytes");
      }
      if (b == '\n') {
        if (n > 0 && buf[n - 1] == '\r') {
          n--;
        }
        return new String(buf, 0, n, StandardCharsets.ISO_8859_1);
      }
      if (n == MAX_LINE) {
        throw new HttpException(431, "a line of the head is longer than " + MAX_LINE + " bytes");
      }
      if (n == buf.length) {
        buf = java.util.Arrays.copyOf(buf, Math.min(MAX_LINE, n * 2));
      }
      buf[n++] = (byte) b;
    }
  }
}
