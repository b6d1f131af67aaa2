package io.wireguardjava.netstack.proxy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The head of an HTTP/1.x message: the start line's three parts and the header fields in order, as
 * received (names compared without case).
 */
final class HttpHead {
  /** The request's method, or the response's version. */
  final String first;

  /** The request's target, or the response's status code. */
  final String second;

  /** The request's version, or the response's reason phrase (possibly empty). */
  final String third;

  private final List<String[]> fields;

  HttpHead(String first, String second, String third, List<String[]> fields) {
    this.first = first;
    this.second = second;
    this.third = third;
    this.fields = fields;
  }

  /** The fields as {name, value} pairs, in order. */
  List<String[]> fields() {
    return fields;
  }

  /** The value of the first field called {@code name}. */
  Optional<String> get(String name) {
    for (String[] f : fields) {
      if (f[0].equalsIgnoreCase(name)) {
        return Optional.of(f[1]);
      }
    }
    return Optional.empty();
  }

  /** Every value of the fields called {@code name}. */
  List<String> getAll(String name) {
    List<String> values = new ArrayList<>(1);
    for (String[] f : fields) {
      if (f[0].equalsIgnoreCase(name)) {
        values.add(f[1]);
      }
    }
    return values;
  }

  /** Whether a comma-separated field (Connection, Transfer-Encoding) lists {@code token}. */
  boolean hasToken(String name, String token) {
    return tokens(name).contains(token.toLowerCase(Locale.ROOT));
  }

  /** The comma-separated tokens of every field {@code name}, lower case. */
  List<String> tokens(String name) {
    List<String> tokens = new ArrayList<>(2);
    for (String v : getAll(name)) {
      for (String t : v.split(",")) {
        String s = t.trim().toLowerCase(Locale.ROOT);
        if (!s.isEmpty()) {
          tokens.add(s);
        }
      }
    }
    return tokens;
  }

  /** The start line and the given fields, ending with the empty line, as ISO-8859-1 bytes. */
  static byte[] serialize(String startLine, List<String[]> fields) {
    StringBuilder b = new StringBuilder(256).append(startLine).append("\r\n");
    for (String[] f : fields) {
      b.append(f[0]).append(": ").append(f[1]).append("\r\n");
    }
    return b.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
  }
}
