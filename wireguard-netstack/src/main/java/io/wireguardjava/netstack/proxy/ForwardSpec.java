package io.wireguardjava.netstack.proxy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One port forward, as {@code ssh -L} and {@code -R} write them: immutable.
 *
 * <ul>
 *   <li>{@link #parseLocal}: {@code [udp:][BIND:]PORT:HOST:HOSTPORT} listens on the host at
 *       BIND:PORT (BIND by default 127.0.0.1) and forwards each TCP connection or UDP flow to
 *       HOST:HOSTPORT inside the tunnel; HOST may be a name for the tunnel's DNS.
 *   <li>{@link #parseRemote}: {@code [udp:]TUNNELPORT:HOST:HOSTPORT} listens inside the tunnel on
 *       TUNNELPORT and forwards to HOST:HOSTPORT on the local machine.
 * </ul>
 *
 * IPv6 addresses are written in brackets ({@code [::1]:8080:[fd00::2]:80}); {@code *} binds every
 * address, {@code localhost} the loopback address. A {@code tcp:} prefix is accepted too.
 */
public final class ForwardSpec {
  /** Which way connections go. */
  public enum Direction {
    /** {@code -L}: from a listener on the host to a destination in the tunnel. */
    LOCAL_TO_TUNNEL,
    /** {@code -R}: from a listener in the tunnel to a destination on the host. */
    TUNNEL_TO_LOCAL
  }

  /** The transport forwarded. */
  public enum Protocol {
    /** Each connection is spliced to a new connection to the destination. */
    TCP,
    /** Each client address is a flow with a socket of its own, closed when idle. */
    UDP
  }

  private final Direction direction;
  private final Protocol protocol;
  private final InetSocketAddress listen;
  private final String targetHost;
  private final int targetPort;

  private ForwardSpec(
      Direction direction,
      Protocol protocol,
      InetSocketAddress listen,
      String targetHost,
      int targetPort) {
    this.direction = direction;
    this.protocol = protocol;
    this.listen = listen;
    this.targetHost = targetHost;
    this.targetPort = targetPort;
  }

  /**
   * A {@code -L} forward.
   *
   * @param protocol TCP or UDP
   * @param bind where to listen on the host (resolved; port 0 for any free port)
   * @param host the destination in the tunnel: a literal or a name for the tunnel's DNS
   * @param port the destination port, 1 to 65535
   * @return the forward
   * @throws IllegalArgumentException when the address is unresolved, the host empty or a port out
   *     of range
   */
  public static ForwardSpec local(
      Protocol protocol, InetSocketAddress bind, String host, int port) {
    if (bind.isUnresolved()) {
      throw new IllegalArgumentException("the listen address is unresolved: " + bind);
    }
    return new ForwardSpec(
        Direction.LOCAL_TO_TUNNEL,
        Objects.requireNonNull(protocol),
        bind,
        checkHost(host),
        checkPort(port, "destination port"));
  }

  /**
   * A {@code -R} forward.
   *
   * @param protocol TCP or UDP
   * @param tunnelPort the port to listen on inside the tunnel, 1 to 65535
   * @param host the destination on the local machine
   * @param port the destination port, 1 to 65535
   * @return the forward
   * @throws IllegalArgumentException when the host is empty or a port out of range
   */
  public static ForwardSpec remote(Protocol protocol, int tunnelPort, String host, int port) {
    InetSocketAddress listen =
        new InetSocketAddress(wildcard(), checkPort(tunnelPort, "tunnel port"));
    return new ForwardSpec(
        Direction.TUNNEL_TO_LOCAL,
        Objects.requireNonNull(protocol),
        listen,
        checkHost(host),
        checkPort(port, "destination port"));
  }

  /**
   * Parses {@code [udp:][BIND:]PORT:HOST:HOSTPORT} (the argument of {@code -L}).
   *
   * @param text the forward
   * @return the forward
   * @throws IllegalArgumentException naming the part that is wrong
   */
  public static ForwardSpec parseLocal(String text) {
    Protocol protocol = protocolOf(text);
    List<String> parts = split(stripProtocol(text), text);
    if (parts.size() != 3 && parts.size() != 4) {
      throw bad(text, "expected [udp:][BIND:]PORT:HOST:HOSTPORT");
    }
    int i = parts.size() - 3;
    InetAddress bind = i == 0 ? InetAddress.getLoopbackAddress() : bindAddress(parts.get(0), text);
    int port = port(parts.get(i), text, "PORT", true);
    return local(
        protocol,
        new InetSocketAddress(bind, port),
        host(parts.get(i + 1), text),
        port(parts.get(i + 2), text, "HOSTPORT", false));
  }

  /**
   * Parses {@code [udp:]TUNNELPORT:HOST:HOSTPORT} (the argument of {@code -R}).
   *
   * @param text the forward
   * @return the forward
   * @throws IllegalArgumentException naming the part that is wrong
   */
  public static ForwardSpec parseRemote(String text) {
    Protocol protocol = protocolOf(text);
    List<String> parts = split(stripProtocol(text), text);
    if (parts.size() != 3) {
      throw bad(text, "expected [udp:]TUNNELPORT:HOST:HOSTPORT");
    }
    return remote(
        protocol,
        port(parts.get(0), text, "TUNNELPORT", false),
        host(parts.get(1), text),
        port(parts.get(2), text, "HOSTPORT", false));
  }

  /**
   * Which way it forwards.
   *
   * @return -L or -R
   */
  public Direction direction() {
    return direction;
  }

  /**
   * What it forwards.
   *
   * @return TCP or UDP
   */
  public Protocol protocol() {
    return protocol;
  }

  /**
   * Where it listens: on the host for -L, in the tunnel (any interface address) for -R.
   *
   * @return the address and port as asked (port 0: any free port)
   */
  public InetSocketAddress listen() {
    return listen;
  }

  /**
   * The destination host: in the tunnel for -L, on the local machine for -R.
   *
   * @return a literal (IPv6 without brackets) or a name
   */
  public String targetHost() {
    return targetHost;
  }

  /**
   * The destination port.
   *
   * @return 1 to 65535
   */
  public int targetPort() {
    return targetPort;
  }

  /**
   * The forward in the syntax it is parsed from.
   *
   * @return {@code -L udp:127.0.0.1:5353:dns.internal:53} and the like
   */
  @Override
  public String toString() {
    String p = protocol == Protocol.UDP ? "udp:" : "";
    String target = bracket(targetHost) + ":" + targetPort;
    return direction == Direction.LOCAL_TO_TUNNEL
        ? "-L "
            + p
            + bracket(listen.getAddress().getHostAddress())
            + ":"
            + listen.getPort()
            + ":"
            + target
        : "-R " + p + listen.getPort() + ":" + target;
  }

  /**
   * Equal when every part is.
   *
   * @param o another object
   * @return whether {@code o} is the same forward
   */
  @Override
  public boolean equals(@org.jspecify.annotations.Nullable Object o) {
    if (!(o instanceof ForwardSpec)) {
      return false;
    }
    ForwardSpec f = (ForwardSpec) o;
    return direction == f.direction
        && protocol == f.protocol
        && listen.equals(f.listen)
        && targetHost.equals(f.targetHost)
        && targetPort == f.targetPort;
  }

  /**
   * Consistent with {@link #equals}.
   *
   * @return a hash of every part
   */
  @Override
  public int hashCode() {
    return Objects.hash(direction, protocol, listen, targetHost, targetPort);
  }

  private static String bracket(String host) {
    return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
  }

  private static Protocol protocolOf(String text) {
    return text.toLowerCase(Locale.ROOT).startsWith("udp:") ? Protocol.UDP : Protocol.TCP;
  }

  private static String stripProtocol(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    return lower.startsWith("udp:") || lower.startsWith("tcp:") ? text.substring(4) : text;
  }

  /** Splits at colons outside brackets; brackets stay on their part. */
  private static List<String> split(String s, String text) {
    List<String> parts = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean inBrackets = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '[') {
        if (inBrackets) {
          throw bad(text, "nested [");
        }
        inBrackets = true;
      } else if (c == ']') {
        if (!inBrackets) {
          throw bad(text, "] without [");
        }
        inBrackets = false;
      }
      if (c == ':' && !inBrackets) {
        parts.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    if (inBrackets) {
      throw bad(text, "unclosed [");
    }
    parts.add(cur.toString());
    return parts;
  }

  private static InetAddress bindAddress(String part, String text) {
    if (part.equals("*")) {
      return wildcard();
    }
    if (part.equalsIgnoreCase("localhost")) {
      return InetAddress.getLoopbackAddress();
    }
    String literal = unbracket(part, text, "BIND");
    Optional<InetAddress> a = HostNames.literal(literal);
    if (a.isEmpty()) {
      throw bad(text, "BIND " + Printable.of(part) + " is not an IP address, * or localhost");
    }
    return a.get();
  }

  private static String host(String part, String text) {
    String h = unbracket(part, text, "HOST");
    if (HostNames.literal(h).isEmpty() && (h.indexOf(':') >= 0 || !HostNames.isValidName(h))) {
      throw bad(text, "HOST " + Printable.of(part) + " is not a host name or IP address");
    }
    return h;
  }

  private static String unbracket(String part, String text, String what) {
    if (part.startsWith("[") && part.endsWith("]")) {
      String inner = part.substring(1, part.length() - 1);
      if (HostNames.literal(inner).isEmpty() || inner.indexOf(':') < 0) {
        throw bad(text, what + " " + Printable.of(part) + " is not an IPv6 address");
      }
      return inner;
    }
    if (part.isEmpty()) {
      throw bad(text, what + " is empty");
    }
    return part;
  }

  private static int port(String part, String text, String what, boolean zeroAllowed) {
    if (!part.matches("[0-9]{1,5}")) {
      throw bad(text, what + " " + Printable.of(part) + " is not a port number");
    }
    int p = Integer.parseInt(part);
    if (p > 65535 || (p == 0 && !zeroAllowed)) {
      throw bad(
          text,
          what
              + " "
              + p
              + " is out of range (1-65535"
              + (zeroAllowed ? ", or 0 for any" : "")
              + ")");
    }
    return p;
  }

  private static String checkHost(String host) {
    if (host.isEmpty()) {
      throw new IllegalArgumentException("the destination host is empty");
    }
    return host;
  }

  private static int checkPort(int port, String what) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("the " + what + " " + port + " is out of range");
    }
    return port;
  }

  private static InetAddress wildcard() {
    return new InetSocketAddress(0).getAddress();
  }

  private static IllegalArgumentException bad(String text, String why) {
    return new IllegalArgumentException("bad forward " + Printable.of(text) + ": " + why);
  }
}
