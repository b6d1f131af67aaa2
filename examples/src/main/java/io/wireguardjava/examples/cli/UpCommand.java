package io.wireguardjava.examples.cli;

import io.wireguardjava.Config;
import io.wireguardjava.ConfigException;
import io.wireguardjava.Interface;
import io.wireguardjava.Peer;
import io.wireguardjava.Tunnel;
import io.wireguardjava.TunnelOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.DatagramSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code wg-java up <file | name>}: brings a WireGuard interface up from a wg-quick file, like
 * {@code wg-quick up}, and stays in the foreground until SIGINT/SIGTERM, when it removes everything
 * it set up. The interface is named after the file ({@code /etc/wg/wg0.conf} gives {@code wg0}); a
 * bare name means {@code /etc/wireguard/<name>.conf}. Prints one line per completed handshake and
 * per endpoint change.
 */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description = {
      "Brings up a WireGuard interface from a wg-quick file and stays in the foreground;"
          + " Ctrl-C (SIGINT) or SIGTERM takes it down again.",
      "The interface is named after the file; a bare NAME reads /etc/wireguard/NAME.conf.",
      "Needs Linux (or macOS) and root or CAP_NET_ADMIN."
    })
public final class UpCommand implements Callable<Integer> {

  /**
   * The interface setup's and the hooks' trace ("[#] ip address add ..."), which the library logs
   * at DEBUG through System.Logger (here backed by java.util.logging): the command line asks for
   * it, as wg-quick prints its commands. Held here so that the configured loggers are not
   * collected.
   */
  private static final java.util.List<java.util.logging.Logger> SETUP_TRACE =
      java.util.List.of(
          java.util.logging.Logger.getLogger("io.wireguardjava.tun"),
          java.util.logging.Logger.getLogger("io.wireguardjava.core.Hooks"));

  /** wg-quick's rule for interface names. */
  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_=+.-]{1,15}");

  @Parameters(paramLabel = "CONFIG_FILE|NAME", description = "a wg-quick file, or a bare name")
  String target = "";

  private final PrintStream err;
  private final Foreground console;

  public UpCommand() {
    this(System.out, System.err);
  }

  UpCommand(PrintStream out, PrintStream err) {
    this.err = err;
    this.console = new Foreground(new PrintWriter(out, false, StandardCharsets.UTF_8));
  }

  @Override
  public Integer call() {
    if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
      // the tunnel's "[#] ip address add ..." trace, one line each, as wg-quick prints it
      System.setProperty("java.util.logging.SimpleFormatter.format", "%5$s%6$s%n");
    }
    showSetupTrace();
    Path file;
    String name;
    if (target.contains("/") || target.endsWith(".conf")) {
      file = Path.of(target);
      String base = file.getFileName().toString();
      name = base.endsWith(".conf") ? base.substring(0, base.length() - 5) : base;
    } else {
      file = Path.of("/etc/wireguard", target + ".conf");
      name = target;
    }
    if (!NAME.matcher(name).matches()) {
      err.println(
          "wg-java up: the config file must be a valid interface name (at most 15 of"
              + " a-z A-Z 0-9 _ = + . -) followed by .conf: "
              + file);
      return 1;
    }
    Config config;
    try {
      config = Config.parse(Files.readString(file));
    } catch (NoSuchFileException e) {
      err.println("wg-java up: " + file + " does not exist");
      return 1;
    } catch (IOException e) {
      err.println("wg-java up: cannot read " + file + ": " + e.getMessage());
      return 1;
    } catch (ConfigException e) {
      err.println("wg-java up: " + file + ": " + e.getMessage());
      return 1;
    }

    Tunnel tunnel;
    try {
      // wg-quick's place: the file is the admin's, so its hooks run here (and only here)
      tunnel =
          Tunnel.open(
              withPortForDefaultRoute(config),
              TunnelOptions.builder()
                  .osDevice(name)
                  .runHooks(true)
                  .listener(
                      console.handshakeLog()) // from the start: the first handshake may come during
                  // open
                  .build());
    } catch (IOException | RuntimeException e) {
      err.println("wg-java up: " + name + ": " + e.getMessage());
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Saver saver = new Saver(file, tunnel, config.iface().saveConfig());
    Thread down =
        new Thread(
            () -> {
              saver.snapshot();
              saver.save(); // SaveConfig: before the tunnel goes, as wg-quick down saves before
              // del_if
              tunnel.close();
              stopped.countDown();
            },
            "wg-java-up-shutdown");
    Runtime.getRuntime().addShutdownHook(down);
    saver.snapshot();
    console.log(
        "interface "
            + tunnel.name()
            + " is up, listening on UDP port "
            + tunnel.listenPort()
            + ", "
            + config.peers().size()
            + " peer(s); Ctrl-C to take it down");
    try {
      while (!tunnel.isClosed() && !stopped.await(1, TimeUnit.SECONDS)) {
        // foreground until a signal or until the tunnel stops (its interface was deleted)
        saver.snapshot();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    saver.save(); // the interface was deleted (wg-java down): the last second's snapshot
    tunnel.close();
    console.log("interface " + name + " is down");
    return 0;
  }

  /**
   * A {@code /0} route without a {@code ListenPort} needs a known port for the rule that keeps the
   * tunnel's own packets out of the tunnel: pick a free one, as the OS would. (A FwMark cannot
   * stand in for it: the tunnel refuses one it cannot apply.)
   */
  static Config withPortForDefaultRoute(Config config) throws IOException {
    boolean tableAuto =
        config
            .iface()
            .table()
            .map(t -> t.trim().toLowerCase(Locale.ROOT).equals("auto"))
            .orElse(true);
    boolean defaultRoute =
        config.peers().stream()
            .map(Peer::allowedIps)
            .anyMatch(l -> l.stream().anyMatch(n -> n.prefixLength() == 0));
    if (!tableAuto || !defaultRoute || config.iface().listenPort().isPresent()) {
      return config;
    }
    int port;
    try (DatagramSocket s = new DatagramSocket(0)) {
      port = s.getLocalPort();
    }
    return config.toBuilder().iface(config.iface().toBuilder().listenPort(port).build()).build();
  }

  /**
   * SaveConfig: writes the running config once, on down. A closed tunnel still reports its peers,
   * endpoints and port as they were at close, but not its private key (wiped, and the JVM's
   * shutdown hooks may close the device before ours runs), so the key comes from the last snapshot
   * taken while the tunnel was open (once a second).
   */
  private final class Saver {
    private final Path file;
    private final Tunnel tunnel;
    private final boolean enabled;
    private final java.util.concurrent.atomic.AtomicBoolean saved =
        new java.util.concurrent.atomic.AtomicBoolean();
    private volatile @org.jspecify.annotations.Nullable Config last;

    Saver(Path file, Tunnel tunnel, boolean enabled) {
      this.file = file;
      this.tunnel = tunnel;
      this.enabled = enabled;
    }

    void snapshot() {
      if (!enabled) {
        return;
      }
      try {
        Config c = tunnel.config();
        if (!tunnel.isClosed()) { // taken while open: with the private key
          last = c;
        }
      } catch (RuntimeException e) {
        // closing under us: keep the previous snapshot
      }
    }

    void save() {
      Config open = last;
      if (!enabled || open == null || !saved.compareAndSet(false, true)) {
        return;
      }
      Config c = tunnel.config();
      if (c.iface().privateKey().isEmpty() && tunnel.isClosed()) {
        Interface.Builder withKey = c.iface().toBuilder();
        open.iface().privateKey().ifPresent(withKey::privateKey);
        c = c.toBuilder().iface(withKey.build()).build();
      }
      try {
        SavedConfig.write(file, c);
        console.log("saved the running configuration to " + file);
      } catch (IOException e) {
        err.println("wg-java up: SaveConfig: cannot write " + file + ": " + e.getMessage());
      }
    }
  }

  private static void showSetupTrace() {
    for (java.util.logging.Logger logger : SETUP_TRACE) {
      if (logger.getLevel() == java.util.logging.Level.FINE) {
        continue;
      }
      java.util.logging.ConsoleHandler handler = new java.util.logging.ConsoleHandler();
      handler.setLevel(java.util.logging.Level.FINE);
      logger.setLevel(java.util.logging.Level.FINE);
      logger.setUseParentHandlers(false);
      logger.addHandler(handler);
    }
  }
}
