package io.wireguardjava.netstack.proxy;

import java.util.Locale;

/**
 * Where a proxied HTTP request goes: the host and port of {@code CONNECT host:port}
 * (authority-form) or of {@code http://host[:port]/path} (absolute-form, RFC 9112 §3.2.2), and the
 * origin-form path sent on.
 *
 * @param host a name, an IPv4 literal, or an IPv6 literal without brackets
 * @param port 1 to 65535
 * @param authority {@code host[:port]} as the client wrote it, for the Host field
 * @param path the path and query, at least "/"
 */
record HttpTarget(String host, int port, String authority, String path) {

  /** {@code host:port} of CONNECT; a port is required. */
  static HttpTarget ofAuthority(String target) throws HttpException {
    HttpTarget t = authority(target, -1);
    return new HttpTarget(t.host, t.port, target, "");
  }

  /** {@code http://authority[/path][?query][#fragment]}; the fragment is not sent on. */
  static HttpTarget ofAbsolute(String target) throws HttpException {
    String lower = target.toLowerCase(Locale.ROOT);
    if (!lower.startsWith("http://")) {
      if (lower.startsWith("https://")) {
        throw new HttpException(400, "https:// URLs go through CONNECT, not as a request target");
      }
      throw new HttpException(
          400,
          target.startsWith("/")
              ? "this is a proxy: requests need an absolute http:// URL (or CONNECT)"
              : "unsupported request target " + Printable.of(target));
    }
    String rest = target.substring("http://".length());
    int end = rest.length();
    for (int i = 0; i < rest.length(); i++) {
      char c = rest.charAt(i);
      if (c == '/' || c == '?' || c == '#') {
        end = i;
        break;
      }
    }
    String authority = rest.substring(0, end);
    if (authority.indexOf('@') >= 0) {
      throw new HttpException(400, "user information in the URL is not accepted");
    }
    String path = rest.substring(end);
    int hash = path.indexOf('#');
    if (hash >= 0) {
      path = path.substring(0, hash);
    }
    if (path.isEmpty()) {
      path = "/";
    } else if (path.charAt(0) == '?') {
      path = "/" + path;
    }
    HttpTarget t = authority(authority, 80);
    return new HttpTarget(t.host, t.port, authority, path);
  }

  /** host[:port] or [v6][:port]; {@code defaultPort} -1 when the port is required. */
  private static HttpTarget authority(String a, int defaultPort) throws HttpException {
    String host;
    String port;
    if (a.startsWith("[")) {
      int close = a.indexOf(']');
      if (close < 0) {
        throw new HttpException(400, "unclosed [ in " + Printable.of(a));
      }
      host = a.substring(1, close);
      if (HostNames.literal(host).isEmpty() || host.indexOf(':') < 0) {
        throw new HttpException(400, "not an IPv6 address: " + Printable.of(host));
      }
      String after = a.substring(close + 1);
      if (!after.isEmpty() && !after.startsWith(":")) {
        throw new HttpException(400, "malformed authority " + Printable.of(a));
      }
      port = after.isEmpty() ? "" : after.substring(1);
    } else {
      int colon = a.lastIndexOf(':');
      if (colon >= 0 && a.indexOf(':') != colon) {
        throw new HttpException(400, "an IPv6 address needs brackets: " + Printable.of(a));
      }
      host = colon < 0 ? a : a.substring(0, colon);
      port = colon < 0 ? "" : a.substring(colon + 1);
    }
    if (host.isEmpty()) {
      throw new HttpException(400, "no host in " + Printable.of(a));
    }
    int p;
    if (port.isEmpty()) {
      if (defaultPort < 0) {
        throw new HttpException(400, "CONNECT needs host:port, not " + Printable.of(a));
      }
      p = defaultPort;
    } else {
      if (!port.matches("[0-9]{1,5}")
          || Integer.parseInt(port) < 1
          || Integer.parseInt(port) > 65535) {
        throw new HttpException(400, "bad port in " + Printable.of(a));
      }
      p = Integer.parseInt(port);
    }
    return new HttpTarget(host, p, a, "");
  }
}
