package io.wireguardjava;

import java.util.Locale;

/**
 * What a configuration error may quote of a line whose meaning is unknown. A line without its
 * {@code =} ({@code PrivateKey <key>}), a name glued to a key, or a whole file with CR-only line
 * endings can all carry key material, so such text is described (its length, a known key name it
 * starts with), never quoted.
 */
final class ErrorText {
  private ErrorText() {}

  /** Longer than any key name of wg or wg-quick, far shorter than any key's text. */
  private static final int MAX_NAME = 24;

  /** Whether {@code text} can be quoted as a key name: a short word of name characters. */
  static boolean isKeyName(String text) {
    if (text.isEmpty() || text.length() > MAX_NAME || !isLetter(text.charAt(0))) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      if (!isNameChar(text.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code line} is a bracketed short name such as {@code [Peers]}, safe to quote. */
  static boolean isHeaderWord(String line) {
    return line.length() >= 2
        && line.charAt(0) == '['
        && line.charAt(line.length() - 1) == ']'
        && (line.length() == 2 || isKeyName(line.substring(1, line.length() - 1)));
  }

  /**
   * A description of a line that is not quoted: its length, the known key name it starts with, and
   * a hint when it holds carriage returns (a file with CR-only line endings).
   */
  static String describeLine(String line) {
    StringBuilder sb = new StringBuilder("not shown: ").append(line.length()).append(" characters");
    String name = leadingKeyName(line);
    if (!name.isEmpty()) {
      sb.append(", starting with ").append(name);
    }
    if (line.indexOf('\r') >= 0) {
      sb.append(", with carriage returns inside: use \\n or \\r\\n line endings");
    }
    return sb.toString();
  }

  /** The wg or wg-quick key name the line starts with, as the line spells it; else empty. */
  private static String leadingKeyName(String line) {
    int end = 0;
    while (end < line.length() && end <= MAX_NAME && isLetter(line.charAt(end))) {
      end++;
    }
    String word = line.substring(0, end);
    for (WgQuickFormat.ConfigKey k : WgQuickFormat.ConfigKey.values()) {
      if (k.name.toLowerCase(Locale.ROOT).equals(word.toLowerCase(Locale.ROOT))) {
        return word;
      }
    }
    return "";
  }

  private static boolean isLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean isNameChar(char c) {
    return isLetter(c) || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == ' ';
  }
}
