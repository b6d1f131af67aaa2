package io.wireguardjava.tun.linux;

import io.wireguardjava.InetNetwork;
import io.wireguardjava.Interface;
import io.wireguardjava.Peer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The routes and policy rules wg-quick would add for a configuration, computed without touching the
 * system (so it is tested without root).
 *
 * <p>As wg-quick: every peer AllowedIP gets a route through the interface, most specific first,
 * except those already covered by the connected route of one of the interface's own addresses.
 * {@code Table = off} adds none; {@code Table = <name or number>} puts them all into that table.
 * With {@code Table} absent or {@code auto}, routes go into {@code main}, except a {@code /0}: it
 * goes into a separate table <i>T</i> ({@code FwMark} when set, else 51820) with two rules per
 * address family, <i>T</i> = the table that holds the tunnel's default route:
 *
 * <pre>
 *   ip rule add not &lt;selector of the tunnel's own UDP packets&gt; table T
 *   ip rule add table main suppress_prefixlength 0
 * </pre>
 *
 * The selector, as wg-quick: {@code not fwmark T}, when the config has a {@code FwMark} (the engine
 * marks its socket with {@code SO_MARK}, and for a full tunnel sets the mark to 51820 itself when
 * its UDP transport can mark, as {@code wg set <if> fwmark 51820} in wg-quick). A socket that
 * cannot be marked (the portable JDK transport) leaves {@code FwMark} unset; the selector is then
 * {@code ipproto udp sport ListenPort} instead (Linux 4.17+): the tunnel's encrypted packets leave
 * through the main table, everything else through the tunnel. With neither a FwMark nor a
 * ListenPort, {@link #of} refuses a {@code /0} route.
 */
record RoutePlan(List<Route> routes, List<PolicyRule> rules) {

  /** The table wg-quick starts from for a default route. */
  static final int DEFAULT_ROUTE_TABLE = 51820;

  /** A route {@code dst dev <interface> table <table>}. */
  record Route(InetNetwork dst, int table) {
    @Override
    public String toString() {
      return dst + (table == Netlink.RT_TABLE_MAIN ? "" : " table " + table);
    }
  }

  static RoutePlan of(Interface iface, List<Peer> peers) throws IOException {
    return of(iface, peers, RoutePlan::tableByName);
  }

  /** The plan; {@code tableNames} resolves table names such as {@code vpn} from rt_tables. */
  static RoutePlan of(Interface iface, List<Peer> peers, TableNames tableNames) throws IOException {
    Optional<String> tableSetting = iface.table().map(t -> t.trim());
    if (tableSetting.isPresent() && tableSetting.get().equalsIgnoreCase("off")) {
      return new RoutePlan(List.of(), List.of());
    }
    boolean auto = tableSetting.isEmpty() || tableSetting.get().equalsIgnoreCase("auto");
    int explicitTable = Netlink.RT_TABLE_MAIN;
    if (!auto) {
      String t = tableSetting.get();
      OptionalInt n = parseTable(t, tableNames);
      if (n.isEmpty()) {
        throw new IOException(
            "Table = "
                + t
                + ": not a number, off, auto, or a name in"
                + " /etc/iproute2/rt_tables");
      }
      explicitTable = n.getAsInt();
    }

    Set<InetNetwork> allowed = new LinkedHashSet<>();
    for (Peer p : peers) {
      for (InetNetwork n : p.allowedIps()) {
        allowed.add(n.masked());
      }
    }
    List<InetNetwork> sorted = new ArrayList<>(allowed);
    sorted.sort(Comparator.comparingInt(InetNetwork::prefixLength).reversed());

    List<Route> routes = new ArrayList<>();
    List<PolicyRule> rules = new ArrayList<>();
    for (InetNetwork dst : sorted) {
      if (!auto) {
        routes.add(new Route(dst, explicitTable));
      } else if (dst.prefixLength() == 0) {
        int mark = iface.fwMark().orElse(0);
        int table = mark != 0 ? mark : DEFAULT_ROUTE_TABLE;
        boolean v6 = !dst.isIpv4();
        if (mark != 0) {
          rules.add(new PolicyRule(v6, 0, table, true, mark, 0, -1));
        } else {
          int port =
              iface
                  .listenPort()
                  .filter(p -> p != 0)
                  .orElseThrow(
                      () ->
                          new IOException(
                              "AllowedIPs "
                                  + dst
                                  + " with Table = auto needs FwMark (a UDP transport that can"
                                  + " mark) or ListenPort in [Interface], so the tunnel's own UDP"
                                  + " packets can bypass the tunnel"));
          rules.add(new PolicyRule(v6, 0, table, true, 0, port, -1));
        }
        rules.add(new PolicyRule(v6, 0, Netlink.RT_TABLE_MAIN, false, 0, 0, 0));
        routes.add(new Route(dst, table));
      } else if (!coveredByAddress(dst, iface.addresses())) {
        routes.add(new Route(dst, Netlink.RT_TABLE_MAIN));
      }
    }
    return new RoutePlan(List.copyOf(routes), List.copyOf(rules));
  }

  /** Whether the connected route of an interface address already covers {@code dst}. */
  static boolean coveredByAddress(InetNetwork dst, List<InetNetwork> addresses) {
    for (InetNetwork a : addresses) {
      if (a.isIpv4() == dst.isIpv4()
          && a.prefixLength() <= dst.prefixLength()
          && a.masked().contains(dst.address())) {
        return true;
      }
    }
    return false;
  }

  /** Resolves a routing table name. */
  interface TableNames {
    OptionalInt lookup(String name);
  }

  static OptionalInt parseTable(String t, TableNames names) {
    try {
      long n = Long.parseLong(t);
      return n > 0 && n <= 0xffffffffL ? OptionalInt.of((int) n) : OptionalInt.empty();
    } catch (NumberFormatException e) {
      switch (t.toLowerCase(Locale.ROOT)) {
        case "main":
          return OptionalInt.of(254);
        case "local":
          return OptionalInt.of(255);
        case "default":
          return OptionalInt.of(253);
        default:
          return names.lookup(t);
      }
    }
  }

  private static OptionalInt tableByName(String name) {
    for (String file :
        List.of(
            "/etc/iproute2/rt_tables",
            "/usr/share/iproute2/rt_tables",
            "/usr/lib/iproute2/rt_tables")) {
      try {
        for (String line : Files.readAllLines(Path.of(file), StandardCharsets.UTF_8)) {
          String[] f = line.trim().split("\\s+");
          if (f.length >= 2 && !f[0].startsWith("#") && f[1].equals(name)) {
            return OptionalInt.of(Integer.parseInt(f[0]));
          }
        }
      } catch (IOException | NumberFormatException e) {
        // try the next file
      }
    }
    return OptionalInt.empty();
  }
}
