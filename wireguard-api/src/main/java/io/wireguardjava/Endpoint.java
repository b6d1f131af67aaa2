package io.wireguardjava;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A peer's endpoint as configured: a host (an IP literal or a DNS name) and a UDP port.
 *
 * <p>A host name is kept unresolved: {@link #resolve()} asks the resolver on each call, so a
 * caller can re-resolve later, as users of dynamic DNS need (the JDK itself caches successful
 * look-ups for {@code networkaddress.cache.ttl}, 30 seconds by default). An IP literal never
 * involves DNS.
 */
public final class Endpoint {
  private final String host;
  private final int port;

  private Endpoint(String host, int port) {
    this.host = host;
    this.port = port;
  }

  /**
   * An endpoint from a host (IP literal without brackets, or a DNS name) and a port.
   *
   * @param host an IP literal without brackets, or a DNS name
   * @param port the UDP port, 1..65535
   * @return an endpoint from a host (IP literal without brackets, or a DNS name) and a port
   * @throws IllegalArgumentException if the port is not in 1..65535 or the host is empty or
   *     contains characters that cannot appear in a host name or IP literal
   */
  public static Endpoint of(String host, int port) {
    Objects.requireNonNull(host, "host");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is not in 1..65535");
    }
    if (!isValidHost(host)) {
      throw new IllegalArgumentException("'" + host + "' is not a host name or IP address");
    }
    return new Endpoint(host, port);
  }

  /**
   * An endpoint from a socket address: its IP address if it has one, else its unresolved host
   * name.
   *
   * @param address the socket address
   * @return an endpoint from a socket address: its IP address if it has one, else its unresolved
   *     host name
   * @throws IllegalArgumentException if the port is 0
   */
  public static Endpoint of(InetSocketAddress address) {
    Objects.requireNonNull(address, "address");
    InetAddress ip = address.getAddress();
    String host = ip != null ? InetLiterals.format(ip) : address.getHostString();
    return of(host, address.getPort());
  }

  /**
   * Parses {@code host:port}, {@code ipv4:port} or {@code [ipv6]:port}, as {@code wg} reads the
   * Endpoint key. Does not resolve.
   *
   * @param text the endpoint's text
   * @return the endpoint
   * @throws IllegalArgumentException if {@code text} is not such an endpoint
   */
  public static Endpoint parse(String text) {
    Objects.requireNonNull(text, "text");
    try {
      return parseChecked(text);
    } catch (ConfigValues.InvalidValue e) {
      throw e.toIllegalArgument();
    }
  }

  static Endpoint parseChecked(String text) throws ConfigValues.InvalidValue {
    String host;
    String portText;
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      if (close < 0 || close + 1 >= text.length() || text.charAt(close + 1) != ':') {
        throw invalid(text);
      }
      host = text.substring(1, close);
      portText = text.substring(close + 2);
      if (host.indexOf(':') < 0) {
        throw invalid(text); // brackets are for IPv6 literals
      }
    } else {
      int colon = text.lastIndexOf(':');
      if (colon <= 0) {
        throw invalid(text);
      }
      host = text.substring(0, colon);
      portText = text.substring(colon + 1);
      if (host.indexOf(':') >= 0) {
        throw invalid(text); // an IPv6 address needs brackets
      }
    }
    if (!isValidHost(host)) {
      throw invalid(text);
    }
    if (!ConfigValues.isDecimal(portText)) {
      throw invalid(text);
    }
    int port;
    try {
      port = ConfigValues.parseInt(portText, 1, 65535);
    } catch (ConfigValues.InvalidValue e) {
      throw new ConfigValues.InvalidValue(
          ConfigException.Reason.OUT_OF_RANGE, text, "port 1..65535");
    }
    return new Endpoint(host, port);
  }

  private static ConfigValues.InvalidValue invalid(String text) {
    return new ConfigValues.InvalidValue(ConfigException.Reason.INVALID_ENDPOINT, text, null);
  }

  /**
   * A DNS name or IPv4 literal ({@code [A-Za-z0-9._-]}), or an IPv6 literal with an optional
   * {@code %zone}.
   */
  private static boolean isValidHost(String host) {
    if (host.isEmpty() || host.length() > 253) {
      return false;
    }
    if (host.indexOf(':') >= 0) {
      int percent = host.indexOf('%');
      String literal = percent >= 0 ? host.substring(0, percent) : host;
      String zone = percent >= 0 ? host.substring(percent + 1) : "x";
      return InetLiterals.parse(literal) != null && !zone.isEmpty() && isNameChars(zone);
    }
    return isNameChars(host);
  }

  private static boolean isNameChars(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '.' || c == '-' || c == '_';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /**
   * The host: an IP literal (IPv6 without brackets) or a DNS name, as configured.
   *
   * @return the host: an IP literal (IPv6 without brackets) or a DNS name, as configured
   */
  public String host() {
    return host;
  }

  /**
   * The UDP port, 1..65535.
   *
   * @return the UDP port, 1..65535
   */
  public int port() {
    return port;
  }

  /**
   * The host's IP address if the host is an IP literal; empty for a DNS name.
   *
   * @return the host's IP address if the host is an IP literal; empty for a DNS name
   */
  public Optional<InetAddress> literalAddress() {
    return Optional.ofNullable(InetLiterals.parse(host));
  }

  /**
   * Resolves the host now (an IP literal without DNS) and returns the socket address.
   *
   * @return the resolved socket address
   * @throws UnknownHostException if the name does not resolve
   */
  public InetSocketAddress resolve() throws UnknownHostException {
    InetAddress literal = InetLiterals.parse(host);
    InetAddress address = literal != null ? literal : InetAddress.getByName(host);
    return new InetSocketAddress(address, port);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Endpoint && port == ((Endpoint) o).port
        && host.equals(((Endpoint) o).host);
  }

  @Override
  public int hashCode() {
    return host.hashCode() * 31 + port;
  }

  /** {@code host:port}, with an IPv6 host in brackets: the form configuration files use. */
  @Override
  public String toString() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
