package io.wireguardjava.netstack.proxy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Host names and literals as clients send them: literals are parsed here, without any resolver;
 * everything else is a name for the network's DNS.
 */
final class HostNames {
  private static final Pattern IPV4 =
      Pattern.compile(
          "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]"
              + "|1[0-9][0-9]|[1-9]?[0-9])){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

  /** A DNS name as SOCKS and HTTP clients send it: letters, digits, '-', '_', '.'. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,252})");

  private HostNames() {}

  /** The address when {@code host} is an IPv4 dotted quad or an IPv6 literal (no brackets). */
  static Optional<InetAddress> literal(String host) {
    boolean v6 = host.indexOf(':') >= 0;
    if (!(v6 ? IPV6.matcher(host).matches() : IPV4.matcher(host).matches())) {
      return Optional.empty();
    }
    try {
      // a literal never reaches a resolver
      return Optional.of(InetAddress.getByName(host));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  /** Whether {@code host} may be sent to a resolver (no spaces, controls, or empty labels). */
  static boolean isValidName(String host) {
    return NAME.matcher(host).matches() && !host.contains("..");
  }
}
