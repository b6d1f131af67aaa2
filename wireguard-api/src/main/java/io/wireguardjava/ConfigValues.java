package io.wireguardjava;

import org.jspecify.annotations.Nullable;

/** Small parsing helpers shared by the value classes and the configuration parser. */
final class ConfigValues {
  private ConfigValues() {}

  /**
   * A value that cannot be parsed; the parser adds line, section and key and rethrows it as a
   * {@link ConfigException}, the public {@code parse} methods as an IllegalArgumentException.
   */
  static final class InvalidValue extends Exception {
    private static final long serialVersionUID = 1L;

    final ConfigException.Reason reason;
    final @Nullable String text;
    final @Nullable String detail;

    InvalidValue(ConfigException.Reason reason, @Nullable String text, @Nullable String detail) {
      super(
          reason.describe(text) + (detail == null ? "" : " (" + detail + ")"), null, false, false);
      this.reason = reason;
      this.text = text;
      this.detail = detail;
    }

    IllegalArgumentException toIllegalArgument() {
      return new IllegalArgumentException(getMessage());
    }
  }

  static boolean isDecimal(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  /**
   * Parses a decimal number in {@code min..max}, as {@code wg} does: digits only, no sign.
   *
   * @throws InvalidValue INVALID_NUMBER or OUT_OF_RANGE
   */
  static int parseInt(String text, int min, int max) throws InvalidValue {
    if (!isDecimal(text)) {
      throw new InvalidValue(ConfigException.Reason.INVALID_NUMBER, text, null);
    }
    String digits = text.replaceFirst("^0+(?=.)", "");
    long value = digits.length() > 10 ? Long.MAX_VALUE : Long.parseLong(digits);
    if (value < min || value > max) {
      throw new InvalidValue(ConfigException.Reason.OUT_OF_RANGE, text, min + ".." + max);
    }
    return (int) value;
  }
}
