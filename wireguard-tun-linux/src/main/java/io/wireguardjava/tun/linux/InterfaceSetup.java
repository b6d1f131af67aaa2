package io.wireguardjava.tun.linux;

import io.wireguardjava.Config;
import io.wireguardjava.InetNetwork;
import io.wireguardjava.Interface;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Brings a TUN interface up as {@code wg-quick up} does, and down again as {@code wg-quick down}:
 *
 * <ol>
 *   <li>Create the TUN; every Address; MTU (unless configured, wg-quick's: the route MTU to the
 *       endpoints minus 80, see {@link AutoMtu}) and link up; DNS through resolvconf; the routes
 *       and rules of {@link RoutePlan}; for a full tunnel, the anti-spoofing rule.
 *   <li>On close: the TUN is closed, which deletes it with its addresses and routes; DNS removed;
 *       policy rules and routes in other tables removed.
 * </ol>
 *
 * The PreUp/PostUp/PreDown/PostDown hooks are not run here: the engine runs them, and only when the
 * application asked for them ({@code TunnelOptions.Builder#runHooks}), with PostUp after the UDP
 * and UAPI sockets exist. Every step is logged as {@code [#] ...} at INFO, like wg-quick's trace on
 * stderr. A JVM shutdown hook closes the device on SIGINT/SIGTERM.
 */
final class InterfaceSetup implements LinuxTun.Teardown {

  private static final Logger LOG = System.getLogger("io.wireguardjava.tun.linux");
  private static final long COMMAND_TIMEOUT_SECONDS = 60;

  private final String name;
  private final Interface iface;
  private final Netlink netlink;
  private final Deque<Undo> undo = new ArrayDeque<>();
  private volatile Optional<String> dnsInterface = Optional.empty();
  private volatile Optional<Thread> shutdownHook = Optional.empty();

  private interface Undo {
    void run() throws IOException;
  }

  private InterfaceSetup(String name, Interface iface, Netlink netlink) {
    this.name = name;
    this.iface = iface;
    this.netlink = netlink;
  }

  /** Creates and configures the interface; on failure, everything done so far is undone. */
  static LinuxTun up(Optional<String> requestedName, Config config) throws IOException {
    Interface iface = config.iface();
    RoutePlan plan = RoutePlan.of(iface, config.peers()); // refuse a bad Table before any change
    int mtu = iface.mtu().orElseGet(() -> AutoMtu.of(config.peers())); // wg-quick's rule
    LinuxTun tun = LinuxTun.create(requestedName, mtu);
    trace("ip tuntap add mode tun name " + tun.name());
    Netlink netlink;
    try {
      netlink = Netlink.open();
    } catch (IOException | RuntimeException e) {
      tun.close();
      throw e;
    }
    InterfaceSetup setup = new InterfaceSetup(tun.name(), iface, netlink);
    tun.setTeardown(setup);
    try {
      setup.configure(plan, mtu);
      setup.installShutdownHook(tun);
      return tun;
    } catch (IOException | RuntimeException e) {
      tun.close();
      throw e;
    }
  }

  private void configure(RoutePlan plan, int mtu) throws IOException {
    int index = netlink.linkIndex(name);
    for (InetNetwork a : iface.addresses()) {
      trace("ip " + family(a.address()) + " address add " + a + " dev " + name);
      netlink.addAddress(index, a.address(), a.prefixLength());
    }
    trace("ip link set mtu " + mtu + " up dev " + name);
    netlink.setMtu(index, mtu);
    netlink.setUp(index);
    setDns();
    for (PolicyRule r : plan.rules()) {
      trace(
          "ip "
              + r.toString()
                  .replace(" table ", " rule add table ")
                  .replaceFirst("^(-[46]) (.*) rule add table", "$1 rule add $2 table"));
      netlink.addRule(r);
      undo.push(() -> netlink.deleteRule(r));
    }
    if (plan.rules().stream().anyMatch(r -> r.fwmark() != 0 && !r.ipv6())) {
      enableSrcValidMark();
    }
    for (RoutePlan.Route r : plan.routes()) {
      InetNetwork d = r.dst();
      trace(
          "ip "
              + family(d.address())
              + " route add "
              + d
              + " dev "
              + name
              + (r.table() == Netlink.RT_TABLE_MAIN ? "" : " table " + r.table()));
      netlink.addRoute(index, d.address(), d.prefixLength(), r.table());
      // routes in main go away with the interface; the others too, but be explicit
    }
    boolean v4 =
        plan.routes().stream().anyMatch(r -> r.dst().prefixLength() == 0 && r.dst().isIpv4());
    boolean v6 =
        plan.routes().stream().anyMatch(r -> r.dst().prefixLength() == 0 && !r.dst().isIpv4());
    if (v4 || v6) {
      addAntiSpoofing(v4, v6);
    }
  }

  /**
   * wg-quick's raw-prerouting drop for a full tunnel, with the nft binary ({@link AntiSpoofing}).
   */
  private void addAntiSpoofing(boolean v4, boolean v6) throws IOException {
    Optional<Path> nft = onPath("nft");
    if (nft.isEmpty()) {
      LOG.log(
          Level.WARNING,
          "full tunnel "
              + name
              + " without its anti-spoofing rule: nft is not"
              + " installed (package nftables)");
      return;
    }
    String script = AntiSpoofing.script(name, iface.addresses(), v4, v6, iface.fwMark().orElse(0));
    script.lines().forEach(l -> trace("nft " + l));
    List<AntiSpoofing.Table> tables = AntiSpoofing.tables(name, v4, v6);
    int rc = run(List.of(nft.get().toString(), "-f", "-"), script);
    if (rc != 0) {
      deleteTables(nft.get(), tables); // half a script may have run
      throw new IOException(
          "nft -f (anti-spoofing rule for " + name + ") failed with status " + rc);
    }
    undo.push(() -> deleteTables(nft.get(), tables));
  }

  private static void deleteTables(Path nft, List<AntiSpoofing.Table> tables) throws IOException {
    for (AntiSpoofing.Table t : tables) {
      trace("nft delete table " + t);
      run(List.of(nft.toString(), "delete", "table", t.family(), t.name()), "");
    }
  }

  private static String family(InetAddress a) {
    return a.getAddress().length == 4 ? "-4" : "-6";
  }

  /** wg-quick sets net.ipv4.conf.all.src_valid_mark=1 for marked traffic and leaves it set. */
  private static void enableSrcValidMark() {
    Path p = Path.of("/proc/sys/net/ipv4/conf/all/src_valid_mark");
    try {
      trace("sysctl -q net.ipv4.conf.all.src_valid_mark=1");
      Files.writeString(p, "1\n");
    } catch (IOException e) {
      LOG.log(Level.WARNING, "could not set " + p + ": " + e.getMessage());
    }
  }

  // ---- DNS, as wg-quick's set_dns / unset_dns

  private void setDns() throws IOException {
    List<InetAddress> servers = iface.dnsServers();
    List<String> search = iface.dnsSearch();
    if (servers.isEmpty() && search.isEmpty()) {
      return;
    }
    Optional<Path> resolvconf = onPath("resolvconf");
    if (resolvconf.isEmpty()) {
      LOG.log(
          Level.WARNING,
          "DNS not set for "
              + name
              + ": resolvconf is not installed (install"
              + " openresolv or resolvconf, or set the servers yourself)");
      return;
    }
    StringBuilder text = new StringBuilder();
    for (InetAddress s : servers) {
      text.append("nameserver ").append(s.getHostAddress()).append('\n');
    }
    if (!search.isEmpty()) {
      text.append("search ").append(String.join(" ", search)).append('\n');
    }
    String dnsName = resolvconfPrefix() + name;
    trace("resolvconf -a " + dnsName + " -m 0 -x");
    int rc =
        run(List.of(resolvconf.get().toString(), "-a", dnsName, "-m", "0", "-x"), text.toString());
    if (rc != 0) {
      throw new IOException("resolvconf -a " + dnsName + " failed with status " + rc);
    }
    dnsInterface = Optional.of(dnsName);
  }

  private void unsetDns() {
    dnsInterface.ifPresent(
        dnsName -> {
          trace("resolvconf -d " + dnsName + " -f");
          try {
            run(List.of("resolvconf", "-d", dnsName, "-f"), "");
          } catch (IOException e) {
            LOG.log(Level.WARNING, "resolvconf -d " + dnsName + ": " + e.getMessage());
          }
        });
  }

  /** wg-quick's resolvconf_iface_prefix: "tun." when interface-order lists "tun*". */
  private static String resolvconfPrefix() {
    Pattern p = Pattern.compile("^([A-Za-z0-9-]+)\\*$");
    try {
      for (String line : Files.readAllLines(Path.of("/etc/resolvconf/interface-order"))) {
        Matcher m = p.matcher(line.trim());
        if (m.matches()) {
          return m.group(1) + ".";
        }
      }
    } catch (IOException e) {
      // no interface-order: no prefix
    }
    return "";
  }

  private static Optional<Path> onPath(String command) {
    String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
    for (String dir : (path + ":/usr/sbin:/sbin").split(":")) {
      Path p = Path.of(dir.isEmpty() ? "." : dir, command);
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  // ---- commands

  /** Runs a command with inherited output; {@code stdin} null: inherited too. */
  private static int run(List<String> command, String stdin) throws IOException {
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .redirectOutput(ProcessBuilder.Redirect.INHERIT)
            .redirectError(ProcessBuilder.Redirect.INHERIT);
    if (stdin == null) {
      pb.redirectInput(ProcessBuilder.Redirect.INHERIT);
    }
    Process p = pb.start();
    if (stdin != null) {
      try (OutputStream in = p.getOutputStream()) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    }
    try {
      if (!p.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("timed out after " + COMMAND_TIMEOUT_SECONDS + " s");
      }
      return p.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IOException("interrupted", e);
    }
  }

  private static void trace(String what) {
    LOG.log(Level.DEBUG, "[#] " + what);
  }

  // ---- teardown

  private void installShutdownHook(LinuxTun tun) {
    Thread hook = new Thread(tun::close, "wg-java-down-" + name);
    try {
      Runtime.getRuntime().addShutdownHook(hook);
      shutdownHook = Optional.of(hook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down; the caller closes the device
    }
  }

  @Override
  public void afterClose() {
    trace("ip link delete dev " + name);
    unsetDns();
    while (!undo.isEmpty()) {
      try {
        undo.pop().run();
      } catch (NetlinkException e) {
        if (e.errno() != 2 && e.errno() != 3) { // ENOENT, ESRCH: already gone
          LOG.log(Level.WARNING, "cleanup of " + name + ": " + e.getMessage());
        }
      } catch (IOException e) {
        LOG.log(Level.WARNING, "cleanup of " + name + ": " + e.getMessage());
      }
    }
    netlink.close();
    shutdownHook.ifPresent(
        h -> {
          if (Thread.currentThread() != h) {
            try {
              Runtime.getRuntime().removeShutdownHook(h);
            } catch (IllegalStateException e) {
              // shutting down
            }
          }
        });
  }
}
