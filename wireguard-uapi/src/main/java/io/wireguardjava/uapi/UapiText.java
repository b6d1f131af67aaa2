package io.wireguardjava.uapi;

import io.wireguardjava.Endpoint;
import io.wireguardjava.InetNetwork;
import java.net.InetSocketAddress;
import org.jspecify.annotations.Nullable;

/**
 * The UAPI's text values, read as wireguard-go reads them, through the api's IP literal parser
 * ({@link InetNetwork#parse}, {@link Endpoint#parse}: never DNS); and text quoted for errors and
 * logs without ever showing key material.
 */
final class UapiText {
  private UapiText() {}

  /** The most of a (non-secret) value an error quotes. */
  static final int MAX_VALUE_QUOTE = 24;

  /** The longest UAPI key name ({@code persistent_keepalive_interval}) and some room. */
  private static final int MAX_NAME = 32;

  /**
   * Parses {@code addr/bits} strictly (Go's {@code netip.ParsePrefix}: the length is required) and
   * clears the host bits, as wireguard-go's table stores it: {@code 10.0.0.1/24} is {@code
   * 10.0.0.0/24}. Null when malformed.
   */
  static @Nullable InetNetwork parsePrefix(String text) {
    int slash = text.indexOf('/');
    if (slash < 0) {
      return null; // InetNetwork.parse would take a bare address as /32 or /128
    }
    try {
      return InetNetwork.parse(text).masked(); // itself when it has no host bits (most)
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** {@code a.b.c.d:port} or {@code [v6]:port}, IP literals only; null when malformed. */
  static @Nullable Endpoint parseEndpoint(String text) {
    try {
      Endpoint e = Endpoint.parse(text);
      // Written back as the get reply writes it: "[2001:DB8:0::1]:5" is "[2001:db8::1]:5".
      return e.literalAddress()
          .map(a -> Endpoint.of(new InetSocketAddress(a, e.port())))
          .orElse(null);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** {@code a.b.c.d:port} or {@code [v6]:port}, as a {@code get} reply writes an endpoint. */
  static String formatEndpoint(InetSocketAddress endpoint) {
    return Endpoint.of(endpoint).toString();
  }

  /** A decimal number without sign in {@code [0, max]}, as Go's {@code strconv.ParseUint}; -1. */
  static long parseUnsigned(String s, long max) {
    if (s.isEmpty() || s.length() > 19) {
      return -1;
    }
    long value = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      int digit = c - '0';
      if (value > (max - digit) / 10) {
        return -1;
      }
      value = value * 10 + digit;
    }
    return value;
  }

  /**
   * Text whose meaning is unknown (a line without {@code =}, an unknown key) for an error or a log
   * line: quoted when it is a short name of {@code [a-z0-9_]}, which no key's hex text is; else
   * only the name before a {@code =} and the length.
   */
  static String describe(String text) {
    if (isName(text)) {
      return quote(text);
    }
    int eq = text.indexOf('=');
    String name = eq > 0 && isName(text.substring(0, eq)) ? text.substring(0, eq) : "";
    return (name.isEmpty() ? "" : quote(name) + "=..., ") + text.length() + " bytes, not shown";
  }

  private static boolean isName(String s) {
    if (s.isEmpty() || s.length() > MAX_NAME) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
        return false;
      }
    }
    return true;
  }

  /**
   * Non-secret text quoted for a log message: at most 80 chars, control and non-ASCII bytes
   * escaped. Text that may hold a key goes through {@link #describe} instead.
   */
  static String quote(String s) {
    return quote(s, 80);
  }

  static String quote(String s, int max) {
    StringBuilder sb = new StringBuilder("\"");
    int n = Math.min(s.length(), max);
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
        sb.append(c);
      } else {
        sb.append(String.format("\\x%02x", (int) c & 0xff));
      }
    }
    return sb.append(s.length() > n ? "\"..." : "\"").toString();
  }
}
