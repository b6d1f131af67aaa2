package io.wireguardjava.netstack.proxy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Resolves a client's destination through one {@link Network} (never the host's resolver unless
 * that network is the host), applies the listener's policy and connects.
 */
final class Dialer {
  /** Addresses of one name tried in turn before giving up. */
  private static final int MAX_ADDRESSES_TRIED = 4;

  private final Network network;
  private final Predicate<InetSocketAddress> allow;
  private final Duration connectTimeout;

  Dialer(Network network, Predicate<InetSocketAddress> allow, Duration connectTimeout) {
    this.network = network;
    this.allow = allow;
    this.connectTimeout = connectTimeout;
  }

  Network network() {
    return network;
  }

  /**
   * The allowed addresses of {@code host} (a literal or a name) with {@code port}.
   *
   * @throws DialException naming the failure: {@link Failure#BAD_NAME}, {@link
   *     Failure#HOST_UNREACHABLE} (unknown) or {@link Failure#NOT_ALLOWED}
   */
  List<InetSocketAddress> resolve(String host, int port) throws DialException {
    List<InetAddress> addresses;
    Optional<InetAddress> literal = HostNames.literal(host);
    if (literal.isPresent()) {
      addresses = List.of(literal.get());
    } else if (!HostNames.isValidName(host)) {
      throw new DialException(Failure.BAD_NAME, "not a host name: " + Printable.of(host));
    } else {
      try {
        addresses = network.resolve(host);
      } catch (UnknownHostException e) {
        throw new DialException(Failure.HOST_UNREACHABLE, "unknown host " + host, e);
      } catch (IOException e) {
        throw new DialException(Failure.of(e), "cannot resolve " + host + ": " + e.getMessage(), e);
      }
      if (addresses.isEmpty()) {
        throw new DialException(Failure.HOST_UNREACHABLE, "unknown host " + host);
      }
    }
    List<InetSocketAddress> allowed = new ArrayList<>(addresses.size());
    for (InetAddress a : addresses) {
      InetSocketAddress to = new InetSocketAddress(a, port);
      if (allow.test(to)) {
        allowed.add(to);
      }
    }
    if (allowed.isEmpty()) {
      throw new DialException(Failure.NOT_ALLOWED, "not allowed: " + host + " port " + port);
    }
    return allowed;
  }

  /** Whether the policy lets clients reach {@code to}. */
  boolean allowed(InetSocketAddress to) {
    return allow.test(to);
  }

  /** Resolves, checks and connects to the first address that answers. */
  Socket dial(String host, int port) throws DialException {
    List<InetSocketAddress> targets = resolve(host, port);
    IOException last = new IOException("no address");
    for (int i = 0; i < Math.min(MAX_ADDRESSES_TRIED, targets.size()); i++) {
      try {
        return network.connect(targets.get(i), connectTimeout);
      } catch (IOException e) {
        last = e;
      }
    }
    throw new DialException(
        Failure.of(last),
        "cannot connect to "
            + host
            + " port "
            + port
            + " through the "
            + network.name()
            + ": "
            + last.getMessage(),
        last);
  }
}
