package io.wireguardjava.tun.mac;

import io.wireguardjava.Config;
import io.wireguardjava.InetNetwork;
import io.wireguardjava.Peer;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Configures a utun interface the way wg-quick's darwin script (wireguard-tools,
 * src/wg-quick/darwin.bash, {@code cmd_up}) does, and undoes it:
 *
 * <ol>
 *   <li>each Address: {@code ifconfig utunN inet A/P A alias} (IPv4, the peer address is the
 *       address itself) or {@code ifconfig utunN inet6 A/P alias};
 *   <li>the MTU: {@code MTU =} if given, else the MTU of the interface of the default IPv4 route
 *       minus 80, or 1420 (SIOCSIFMTU, as wireguard-go sets it);
 *   <li>{@code ifconfig utunN up};
 *   <li>unless {@code Table = off}: a route for each AllowedIPs prefix of every peer, longest
 *       prefixes first, {@code route -q -n add -inet[6] P -interface utunN}, skipped when {@code
 *       route -n get} already shows the prefix on utunN; a {@code /0} becomes the two {@code /1}
 *       halves (0.0.0.0/1 + 128.0.0.0/1, ::/1 + 8000::/1) so the default route stays;
 *   <li>with such a default route, a host route for each peer endpoint through the old default
 *       gateway ({@code -gateway G}, or to the loopback as {@code -blackhole} when there is none),
 *       so that the tunnel's own packets do not loop into it.
 * </ol>
 *
 * <p>Undoing deletes the routes it added, newest first; the addresses go away with the interface
 * when its socket is closed. Not done (unlike wg-quick): DNS (networksetup), PreUp/PostUp hooks,
 * and the background monitor that re-adds endpoint routes when the default route changes.
 *
 * <p>Every command is an argument list built from typed values (addresses, prefix lengths, the
 * kernel-given interface name), never a shell string.
 */
final class NetworkSetup {

  private static final System.Logger LOG = System.getLogger(NetworkSetup.class.getName());

  static final String IFCONFIG = "/sbin/ifconfig";
  static final String ROUTE = "/sbin/route";

  /** wg-quick's darwin.bash: the default MTU is the outgoing interface's MTU minus 80. */
  static final int OVERHEAD = 80;

  static final int FALLBACK_LINK_MTU = 1500;

  private static final Pattern SAFE_TOKEN = Pattern.compile("[0-9A-Za-z][0-9A-Za-z:.%_-]*");

  private final HostNetwork host;

  NetworkSetup(HostNetwork host) {
    this.host = host;
  }

  /** What {@link #apply} did: the MTU it set, and how to undo it. */
  record Applied(int mtu, Runnable undo) {}

  /**
   * Configures {@code ifname} from {@code config}. On failure, undoes what it did and throws an
   * IOException naming the failed step.
   */
  Applied apply(String ifname, Config config) throws IOException {
    if (!Utun.isUtunName(ifname)) {
      throw new IOException("not a utun interface name: " + ifname);
    }
    String table = config.iface().table().orElse("auto").toLowerCase(Locale.ROOT);
    boolean addRoutes = !table.equals("off");
    boolean autoTable = table.equals("auto");
    if (addRoutes && !autoTable && !table.equals("main")) {
      throw new IOException("macOS only supports Table = auto, main or off, not " + table);
    }
    List<InetNetwork> allowed = addRoutes ? allowedIps(config) : List.of();
    boolean auto4 = autoTable && allowed.stream().anyMatch(n -> isDefault(n) && isV4(n));
    boolean auto6 = autoTable && allowed.stream().anyMatch(n -> isDefault(n) && !isV4(n));

    // Read the default routes before ours hide them.
    Optional<DefaultRoute> default4 =
        auto4 || config.iface().mtu().isEmpty() ? defaultRoute("-inet") : Optional.empty();
    Optional<DefaultRoute> default6 = auto6 ? defaultRoute("-inet6") : Optional.empty();

    Deque<List<String>> undo = new ArrayDeque<>();
    try {
      for (InetNetwork address : config.iface().addresses()) {
        String a = text(address.address());
        String cidr = a + "/" + address.prefixLength();
        checked(
            isV4(address)
                ? List.of(IFCONFIG, ifname, "inet", cidr, a, "alias")
                : List.of(IFCONFIG, ifname, "inet6", cidr, "alias"));
      }

      int mtu = config.iface().mtu().orElse(defaultMtu(default4));
      LOG.log(Level.DEBUG, "[#] SIOCSIFMTU {0} {1}", ifname, mtu);
      host.setMtu(ifname, mtu);

      checked(List.of(IFCONFIG, ifname, "up"));

      for (InetNetwork net : allowed) {
        String family = isV4(net) ? "-inet" : "-inet6";
        List<String> prefixes =
            isDefault(net) && autoTable
                ? (isV4(net) ? List.of("0.0.0.0/1", "128.0.0.0/1") : List.of("::/1", "8000::/1"))
                : List.of(text(net.address()) + "/" + net.prefixLength());
        for (String prefix : prefixes) {
          if (prefixes.size() == 1 && routedTo(ifname, family, prefix)) {
            continue;
          }
          checked(List.of(ROUTE, "-q", "-n", "add", family, prefix, "-interface", ifname));
          undo.push(List.of(ROUTE, "-q", "-n", "delete", family, prefix, "-interface", ifname));
        }
      }

      if (auto4 || auto6) {
        for (InetAddress endpoint : endpoints(config)) {
          boolean v4 = endpoint instanceof Inet4Address;
          if (v4 ? !auto4 : !auto6) {
            continue;
          }
          String family = v4 ? "-inet" : "-inet6";
          Optional<String> gateway = (v4 ? default4 : default6).flatMap(DefaultRoute::gateway);
          String e = text(endpoint);
          List<String> add =
              gateway.isPresent()
                  ? List.of(ROUTE, "-q", "-n", "add", family, e, "-gateway", gateway.get())
                  : List.of(
                      ROUTE, "-q", "-n", "add", family, e, v4 ? "127.0.0.1" : "::1", "-blackhole");
          // As in wg-quick, a failure here is not fatal (the route may exist already).
          if (run(add).ok()) {
            undo.push(List.of(ROUTE, "-q", "-n", "delete", family, e));
          }
        }
      }

      if (!config.iface().dnsServers().isEmpty()) {
        LOG.log(Level.WARNING, "{0}: DNS servers are not applied on macOS by this module", ifname);
      }
      return new Applied(mtu, () -> undo(undo));
    } catch (IOException | RuntimeException e) {
      undo(undo);
      throw e;
    }
  }

  private void undo(Deque<List<String>> undo) {
    while (!undo.isEmpty()) {
      List<String> command = undo.pop();
      try {
        HostNetwork.Result r = run(command);
        if (!r.ok()) {
          LOG.log(Level.DEBUG, "{0}: {1}", String.join(" ", command), r.output().trim());
        }
      } catch (IOException e) {
        LOG.log(Level.WARNING, String.join(" ", command) + " failed", e);
      }
    }
  }

  /** Every peer's AllowedIPs, masked, without duplicates, longest prefix first. */
  static List<InetNetwork> allowedIps(Config config) {
    Set<InetNetwork> unique = new LinkedHashSet<>();
    for (Peer peer : config.peers()) {
      for (InetNetwork net : peer.allowedIps()) {
        unique.add(masked(net));
      }
    }
    List<InetNetwork> sorted = new ArrayList<>(unique);
    sorted.sort(Comparator.comparingInt(InetNetwork::prefixLength).reversed());
    return sorted;
  }

  private List<InetAddress> endpoints(Config config) {
    Set<InetAddress> out = new LinkedHashSet<>();
    for (Peer peer : config.peers()) {
      if (peer.endpoint().isPresent()) {
        try {
          out.add(peer.endpoint().get().resolve().getAddress());
        } catch (UnknownHostException e) {
          LOG.log(
              Level.WARNING,
              "cannot resolve endpoint {0}; no direct route for it",
              peer.endpoint().get());
        }
      }
    }
    return new ArrayList<>(out);
  }

  /** The default route: its gateway (absent for an interface route) and interface. */
  record DefaultRoute(Optional<String> gateway, Optional<String> iface) {}

  private Optional<DefaultRoute> defaultRoute(String family) throws IOException {
    HostNetwork.Result r = run(List.of(ROUTE, "-n", "get", family, "default"));
    return r.ok() ? Optional.of(parseRouteGet(r.output())) : Optional.empty();
  }

  /** Parses the "gateway:" and "interface:" lines of {@code route -n get} output. */
  static DefaultRoute parseRouteGet(String output) {
    Optional<String> gateway = Optional.empty();
    Optional<String> iface = Optional.empty();
    for (String line : output.split("\n")) {
      String trimmed = line.trim();
      int colon = trimmed.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String key = trimmed.substring(0, colon);
      String value = trimmed.substring(colon + 1).trim();
      if (!SAFE_TOKEN.matcher(value).matches()) {
        continue;
      }
      if (key.equals("gateway") && !value.startsWith("link#")) {
        gateway = Optional.of(value);
      } else if (key.equals("interface")) {
        iface = Optional.of(value);
      }
    }
    return new DefaultRoute(gateway, iface);
  }

  private int defaultMtu(Optional<DefaultRoute> default4) {
    int linkMtu = FALLBACK_LINK_MTU;
    Optional<String> iface = default4.flatMap(DefaultRoute::iface);
    if (iface.isPresent()) {
      try {
        int m = host.mtu(iface.get());
        if (m > 0) {
          linkMtu = m;
        }
      } catch (IOException | IllegalArgumentException e) {
        LOG.log(Level.DEBUG, "MTU of {0} unknown: {1}", iface.get(), e.getMessage());
      }
    }
    return linkMtu - OVERHEAD;
  }

  /** Whether {@code route -n get} says {@code prefix} already goes through {@code ifname}. */
  private boolean routedTo(String ifname, String family, String prefix) throws IOException {
    HostNetwork.Result r = run(List.of(ROUTE, "-n", "get", family, prefix));
    return r.ok() && parseRouteGet(r.output()).iface().filter(ifname::equals).isPresent();
  }

  private void checked(List<String> command) throws IOException {
    HostNetwork.Result r = run(command);
    if (!r.ok()) {
      throw new IOException(
          String.join(" ", command) + " failed (exit " + r.exitCode() + "): " + r.output().trim());
    }
  }

  private HostNetwork.Result run(List<String> command) throws IOException {
    LOG.log(Level.DEBUG, "[#] {0}", String.join(" ", command));
    return host.run(command);
  }

  private static boolean isV4(InetNetwork net) {
    return net.address() instanceof Inet4Address;
  }

  private static boolean isDefault(InetNetwork net) {
    return net.prefixLength() == 0;
  }

  private static InetNetwork masked(InetNetwork net) {
    byte[] b = net.address().getAddress();
    for (int i = 0; i < b.length; i++) {
      int keep = Math.max(0, Math.min(8, net.prefixLength() - 8 * i));
      b[i] &= (byte) (0xff << (8 - keep));
    }
    try {
      return InetNetwork.of(InetAddress.getByAddress(b), net.prefixLength());
    } catch (UnknownHostException e) {
      throw new AssertionError(e); // only thrown for a bad length
    }
  }

  /** The numeric text of an address; IPv6 compressed as RFC 5952 writes it, without a scope. */
  static String text(InetAddress address) {
    return InetNetwork.addressText(address);
  }
}
