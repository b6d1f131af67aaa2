package io.wireguardjava.netstack.proxy;

/** Client-supplied text made safe for an error message or a log line. */
final class Printable {
  private static final int MAX = 80;

  private Printable() {}

  /** {@code text} with controls and non-ASCII escaped, cut at 80 characters, in quotes. */
  static String of(String text) {
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < text.length() && i < MAX; i++) {
      char c = text.charAt(i);
      if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
        b.append(c);
      } else {
        b.append(String.format("\\x%02x", (int) c & 0xff));
      }
    }
    if (text.length() > MAX) {
      b.append("...");
    }
    return b.append('"').toString();
  }
}
