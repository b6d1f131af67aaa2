package io.wireguardjava.examples.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.wireguardjava.PrivateKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The interop topology of the netstack tests and the benchmark's twin: three namespaces,
 *
 * <pre>
 *  ours (a)  192.168.201.1 ==veth== .2  relay (r)  192.168.202.1 ==veth== .2  peer (b)
 *  our JVM as nobody, no TUN           kernel forwarding +                      wireguard-go on a TUN
 *  (or `wg-java up` + kernel TCP)      UdpDelayRelay :51999 + nft loss          :51820, dnsmasq, nc
 * </pre>
 *
 * Inside the tunnel the peer is 10.201.0.1 / fd00:201::1 and we are 10.201.0.2 / fd00:201::2;
 * dnsmasq on the peer answers {@value #NAME} (and nothing else). Our endpoint for the peer is
 * either its address (routed by the relay namespace's kernel: a clean path) or the relay (each
 * datagram delayed, a share of them dropped by nftables: an impaired path).
 */
final class InteropLab implements AutoCloseable {
  static final String PEER4 = "10.201.0.1";
  static final String OURS4 = "10.201.0.2";
  static final String PEER6 = "fd00:201::1";
  static final String OURS6 = "fd00:201::2";

  /** A name only the peer's dnsmasq knows. */
  static final String NAME = "files.name.test";

  static final int MTU = 1420;
  private static final String PEER_UNDERLAY = "192.168.202.2";
  private static final String RELAY_LISTEN = "192.168.201.2";
  private static final int PEER_PORT = 51820;
  private static final int RELAY_PORT = 51999;
  static final Duration START = Duration.ofSeconds(30);

  /** How our side of the tunnel gets its sockets. */
  enum Side {
    /** TunnelNetwork: the userspace stack over an in-process tunnel, as an unprivileged user. */
    NETSTACK,
    /** {@code wg-java up} (a TUN, as root) and the kernel's TCP/IP, used by an unprivileged JVM. */
    KERNEL
  }

  /** The underlay our endpoint points at. */
  enum Underlay {
    /** Straight to the peer, routed by the relay namespace's kernel. */
    CLEAN,
    /** Through UdpDelayRelay (one-way delay each direction) and nftables' random drop. */
    IMPAIRED
  }

  final Lab lab;
  final String nsOurs;
  final String nsRelay;
  final String nsPeer;
  private final String goIf;
  private final PrivateKey ourKey = PrivateKey.generate();
  private final PrivateKey peerKey = PrivateKey.generate();
  private final Path pub;
  private final Path java;
  private final ExecutorService background =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "interop-lab");
            t.setDaemon(true);
            return t;
          });
  private final List<AutoCloseable> closeFirst = new ArrayList<>();

  /** Our TUN's name once {@code wg-java up} runs (KERNEL), else empty. */
  String ourIface = "";

  /**
   * Builds the namespaces, starts {@code wireguardGo} (configured with {@code wg}) and dnsmasq in
   * the peer namespace and the delay relay ({@code oneWayDelay}, {@code lossPercent} of the
   * datagrams it sends dropped) in the relay namespace.
   */
  InteropLab(Path wireguardGo, Duration oneWayDelay, int lossPercent)
      throws IOException, InterruptedException {
    lab = new Lab(System.getProperty("netns.prefix", "hlab")); // -Dnetns.prefix: labs side by side
    try {
      nsOurs = lab.namespace("-a");
      nsRelay = lab.namespace("-r");
      nsPeer = lab.namespace("-b");
      lab.veth(nsOurs, nsRelay, 201, "x");
      lab.veth(nsRelay, nsPeer, 202, "y");
      lab.exec(nsRelay, "sysctl", "-qw", "net.ipv4.ip_forward=1")
          .ok("forwarding in the relay namespace");
      lab.exec(nsOurs, "ip", "route", "add", "192.168.202.0/24", "via", RELAY_LISTEN)
          .ok("route a->b");
      lab.exec(nsPeer, "ip", "route", "add", "192.168.201.0/24", "via", "192.168.202.1")
          .ok("route b->a");
      pub = lab.publicDir();
      java = Path.of(System.getProperty("java.home"), "bin", "java");
      copyDriverClasses();
      goIf = lab.iface("g");
      startPeer(wireguardGo);
      startRelay(oneWayDelay, lossPercent);
    } catch (IOException | InterruptedException | RuntimeException | Error e) {
      close();
      throw e;
    }
  }

  /**
   * Sets the kernel TCP congestion control of both our namespace and the peer's (the sender's side
   * decides), so a test does not depend on the host's default; fails when the kernel lacks it.
   */
  void kernelCongestionControl(String algorithm) {
    for (String ns : List.of(nsOurs, nsPeer)) {
      lab.exec(ns, "sysctl", "-qw", "net.ipv4.tcp_congestion_control=" + algorithm)
          .ok("TCP congestion control " + algorithm + " in " + ns);
    }
  }

  /** The current wireguard-go build (a shared tool), or {@code $WIREGUARD_GO_CURRENT}. */
  static Path currentWireguardGo() {
    String env = System.getenv("WIREGUARD_GO_CURRENT");
    List<Path> candidates = new ArrayList<>();
    if (env != null) {
      candidates.add(Path.of(env));
    }
    Path rel = Path.of("shared", "tools", "wireguard-go-0.0.20250522", "wireguard-go");
    for (Path d = Lab.repo().toAbsolutePath(); d != null; d = d.getParent()) {
      candidates.add(d.resolve(rel));
    }
    return candidates.stream()
        .filter(Files::isExecutable)
        .findFirst()
        .orElseThrow(
            () ->
                new AssertionError(
                    "the current wireguard-go is missing (looked for "
                        + rel
                        + " above "
                        + Lab.repo()
                        + "; set WIREGUARD_GO_CURRENT)"));
  }

  /** Debian's wireguard-go. */
  static Path debianWireguardGo() {
    Path p = Path.of("/usr/bin/wireguard-go");
    assertThat(p).as("Debian's wireguard-go (.ci/install-deps)").isExecutable();
    return p;
  }

  private void copyDriverClasses() throws IOException {
    Path jar = Lab.repo().resolve("examples/target/wg-java.jar");
    assertThat(jar).as("run after `package`").exists();
    Files.copy(jar, pub.resolve("wg-java.jar"), StandardCopyOption.REPLACE_EXISTING);
    Path classes;
    try {
      classes = Path.of(LabAgent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IOException(e);
    }
    String pkg = LabAgent.class.getPackageName().replace('.', '/');
    Path dst = Files.createDirectories(pub.resolve("classes").resolve(pkg));
    try (var files = Files.list(classes.resolve(pkg))) {
      for (Path f : files.filter(f -> f.toString().endsWith(".class")).toList()) {
        Files.copy(f, dst.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    try (var all = Files.walk(pub)) {
      for (Path p : all.toList()) {
        Files.setPosixFilePermissions(
            p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
      }
    }
  }

  private String classPath() {
    return pub.resolve("classes") + ":" + pub.resolve("wg-java.jar");
  }

  private void startPeer(Path wireguardGo) throws IOException, InterruptedException {
    lab.start(
        nsPeer,
        List.of("WG_PROCESS_FOREGROUND=1"),
        "wireguard-go",
        wireguardGo.toString(),
        "-f",
        goIf);
    assertThat(Lab.await(START, () -> Files.exists(Lab.socket(goIf))))
        .as("wireguard-go socket: " + lab.log("wireguard-go"))
        .isTrue();
    Path conf =
        Files.writeString(
            lab.dir.resolve("peer.conf"),
            String.join(
                "\n",
                "[Interface]",
                "PrivateKey = " + peerKey.toBase64(),
                "ListenPort = " + PEER_PORT,
                "",
                "[Peer]",
                "PublicKey = " + ourKey.publicKey().toBase64(),
                "AllowedIPs = " + OURS4 + "/32, " + OURS6 + "/128",
                ""));
    lab.exec(nsPeer, "wg", "setconf", goIf, conf.toString()).ok("wg setconf");
    lab.exec(nsPeer, "ip", "addr", "add", PEER4 + "/24", "dev", goIf).ok("peer address");
    lab.exec(nsPeer, "ip", "addr", "add", PEER6 + "/64", "dev", goIf, "nodad")
        .ok("peer address v6");
    lab.exec(nsPeer, "ip", "link", "set", goIf, "mtu", Integer.toString(MTU), "up")
        .ok("peer link up");
    String capture = System.getProperty("hlab.capture", "");
    if (!capture.isEmpty()) { // -Dhlab.capture=DIR: the tunnel's plaintext packets, for a failure's
      // post-mortem
      lab.start(
          nsPeer,
          List.of(),
          "tshark",
          "tshark",
          "-q",
          "-i",
          goIf,
          "-w",
          Path.of(capture, lab.id + ".pcap").toAbsolutePath().toString());
      Thread.sleep(2000); // tshark needs a moment before it captures
    }
    lab.start(
        nsPeer,
        List.of(),
        "dnsmasq",
        "dnsmasq",
        "--no-daemon",
        "--no-resolv",
        "--no-hosts",
        "--listen-address=" + PEER4,
        "--bind-interfaces",
        "--log-queries",
        "--log-facility=-",
        "--pid-file=" + lab.dir.resolve("dnsmasq.pid"),
        "--address=/name.test/" + PEER4,
        "--address=/name.test/" + PEER6);
    assertThat(Lab.await(START, () -> listening(nsPeer, "-uln", 53)))
        .as("dnsmasq: " + lab.log("dnsmasq"))
        .isTrue();
  }

  private void startRelay(Duration oneWayDelay, int lossPercent) throws IOException {
    String table = "inet " + lab.id + "loss";
    lab.exec(nsRelay, "nft", "add", "table", "inet", lab.id + "loss").ok("nft table");
    lab.exec(
            nsRelay,
            "nft",
            "add",
            "chain",
            "inet",
            lab.id + "loss",
            "out",
            "{ type filter hook output priority 0; }")
        .ok("nft chain");
    if (lossPercent > 0) {
      lab.exec(
              nsRelay,
              "nft",
              "add",
              "rule",
              "inet",
              lab.id + "loss",
              "out",
              "meta",
              "l4proto",
              "udp",
              "numgen",
              "random",
              "mod",
              "100",
              "<",
              Integer.toString(lossPercent),
              "counter",
              "drop")
          .ok("nft " + table);
    }
    Process relay =
        lab.startAsNobody(
            nsRelay,
            "relay",
            java.toString(),
            "-cp",
            classPath(),
            UdpDelayRelay.class.getName(),
            RELAY_LISTEN + ":" + RELAY_PORT,
            PEER_UNDERLAY + ":" + PEER_PORT,
            Long.toString(oneWayDelay.toMillis()));
    closeFirst.add(AgentProcess.await("relay", relay, logOf("relay"), START));
  }

  /** The wg-quick file of our side. */
  String ourConfig(Underlay underlay, boolean withDns) {
    String endpoint =
        underlay == Underlay.CLEAN
            ? PEER_UNDERLAY + ":" + PEER_PORT
            : RELAY_LISTEN + ":" + RELAY_PORT;
    List<String> lines =
        new ArrayList<>(
            List.of(
                "[Interface]",
                "PrivateKey = " + ourKey.toBase64(),
                "Address = " + OURS4 + "/24, " + OURS6 + "/64",
                "MTU = " + MTU));
    if (withDns) {
      lines.add("DNS = " + PEER4);
    }
    lines.addAll(
        List.of(
            "",
            "[Peer]",
            "PublicKey = " + peerKey.publicKey().toBase64(),
            "Endpoint = " + endpoint,
            "AllowedIPs = 10.201.0.0/24, fd00:201::/64",
            // the first keepalive goes out at once: the peer learns our endpoint before it connects
            // to us
            "PersistentKeepalive = 25",
            ""));
    return String.join("\n", lines);
  }

  private String[] agentCommand(List<String> jvmOptions, Path conf) {
    List<String> cmd = new ArrayList<>(List.of(java.toString()));
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-cp", classPath(), LabAgent.class.getName(), "tunnel", conf.toString()));
    return cmd.toArray(String[]::new);
  }

  /**
   * Starts our side: for NETSTACK a {@link LabAgent} on a TunnelNetwork, as nobody, from a config
   * only nobody can read; for KERNEL {@code wg-java up} (root, TUN) and a kernel agent as nobody.
   */
  AgentProcess startOurs(Side side, Underlay underlay) throws IOException, InterruptedException {
    return startOurs(side, underlay, List.of());
  }

  /**
   * As {@link #startOurs(Side, Underlay)}, with JVM options for our JVM: the agent's (NETSTACK) or
   * {@code wg-java up}'s (KERNEL).
   */
  AgentProcess startOurs(Side side, Underlay underlay, List<String> jvmOptions)
      throws IOException, InterruptedException {
    if (side == Side.NETSTACK) {
      Path conf = nobodysConfig(underlay);
      String log = "ours-netstack-" + underlay.name().toLowerCase();
      Process p = lab.startAsNobody(nsOurs, log, agentCommand(jvmOptions, conf));
      return register(AgentProcess.await(log, p, logOf(log), START));
    }
    String iface = lab.iface("w" + (underlay == Underlay.CLEAN ? "c" : "i"));
    Path conf = Files.writeString(lab.dir.resolve(iface + ".conf"), ourConfig(underlay, false));
    String upLog = "up-" + iface;
    ourIface = iface;
    List<String> up = new ArrayList<>(List.of(java.toString()));
    up.addAll(jvmOptions);
    up.addAll(List.of("-jar", pub.resolve("wg-java.jar").toString(), "up", conf.toString()));
    lab.start(nsOurs, List.of(), upLog, up.toArray(String[]::new));
    assertThat(Lab.await(START, () -> logOf(upLog).get().contains("is up")))
        .as("wg-java up: " + logOf(upLog).get())
        .isTrue();
    lab.resolvConf(nsOurs, PEER4);
    String log = "ours-kernel-" + underlay.name().toLowerCase();
    Process p =
        lab.startAsNobody(
            nsOurs, log, java.toString(), "-cp", classPath(), LabAgent.class.getName(), "kernel");
    return register(AgentProcess.await(log, p, logOf(log), START));
  }

  /** Our side's wg-quick file (with DNS), readable only by nobody. */
  Path nobodysConfig(Underlay underlay) throws IOException {
    Path conf = pub.resolve("ours-" + underlay.name().toLowerCase() + ".conf");
    Files.writeString(conf, ourConfig(underlay, true));
    Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-------"));
    lab.run("chown", "65534:65534", conf.toString()).ok("chown the config to nobody");
    return conf;
  }

  /**
   * {@code wg-java ARGS...} from the shaded jar, as nobody in our namespace (no TUN), logging to
   * {@code <log>.log}; returns once it printed its "Ctrl-C to stop" line (all listeners up).
   */
  Process startWgJavaAsNobody(String log, String... args) throws IOException, InterruptedException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "setpriv",
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
                "--inh-caps=-all",
                java.toString(),
                "-jar",
                pub.resolve("wg-java.jar").toString()));
    cmd.addAll(List.of(args));
    Process p = lab.start(nsOurs, List.of(), log, cmd.toArray(String[]::new));
    assertThat(Lab.await(START, () -> logOf(log).get().contains("Ctrl-C") || !p.isAlive()))
        .as("wg-java " + args[0] + " starts: " + logOf(log).get())
        .isTrue();
    assertThat(p.isAlive()).as("wg-java " + args[0] + " runs: " + logOf(log).get()).isTrue();
    return p;
  }

  /** A kernel-socket agent in our namespace as nobody (no TUN there: it reaches only loopback). */
  AgentProcess startLocalAgent() throws IOException {
    Process p =
        lab.startAsNobody(
            nsOurs,
            "local-agent",
            java.toString(),
            "-cp",
            classPath(),
            LabAgent.class.getName(),
            "kernel");
    return register(AgentProcess.await("local-agent", p, logOf("local-agent"), START));
  }

  /** {@link PeerFileServer} on the peer's tunnel address, serving the lab directory. */
  void startPeerFileServer(int port) throws IOException {
    Process p =
        lab.startPiped(
            nsPeer,
            "file-server",
            java.toString(),
            "-cp",
            classPath(),
            PeerFileServer.class.getName(),
            PEER4,
            Integer.toString(port),
            lab.dir.toString());
    register(AgentProcess.await("file-server", p, logOf("file-server"), START));
  }

  /** A kernel-socket agent on the peer side (root), Linux's TCP/UDP for the UDP tests. */
  AgentProcess startPeerAgent() {
    try {
      Process p =
          lab.startPiped(
              nsPeer,
              "peer-agent",
              java.toString(),
              "-cp",
              classPath(),
              LabAgent.class.getName(),
              "kernel");
      return register(AgentProcess.await("peer-agent", p, logOf("peer-agent"), START));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private AgentProcess register(AgentProcess a) {
    closeFirst.add(a);
    return a;
  }

  /** Runs {@code cmd} in the peer namespace. */
  Lab.Result peer(Duration timeout, String... cmd) {
    return lab.exec(nsPeer, timeout, cmd);
  }

  /** Runs a shell command line in the peer namespace. */
  Lab.Result peerShell(Duration timeout, String script) {
    return lab.exec(nsPeer, timeout, "sh", "-c", script);
  }

  /** Runs a peer shell command on a thread of its own (a server that a test then connects to). */
  CompletableFuture<Lab.Result> peerShellAsync(Duration timeout, String script) {
    return CompletableFuture.supplyAsync(() -> peerShell(timeout, script), background);
  }

  /**
   * Waits until something listens on {@code port} ({@code ssFlags}: -tln or -uln) in {@code ns}.
   */
  boolean listening(String ns, String ssFlags, int port) {
    Lab.Result r = lab.exec(ns, "ss", "-H", ssFlags, "sport", "=", ":" + port);
    return r.exit() == 0 && !r.out().isBlank();
  }

  void awaitPeerListening(int port) throws InterruptedException {
    assertThat(Lab.await(START, () -> listening(nsPeer, "-tln", port)))
        .as("peer listens on " + port)
        .isTrue();
  }

  /**
   * A file of {@code bytes} random bytes in the peer's (root-only) lab directory; returns its
   * SHA-256.
   */
  String peerFile(String name, long bytes) {
    Path f = lab.dir.resolve(name);
    return peerShell(START, "head -c " + bytes + " /dev/urandom > " + f + " && sha256sum < " + f)
        .ok("make " + name)
        .out()
        .split("\\s+")[0];
  }

  Path path(String name) {
    return lab.dir.resolve(name);
  }

  /** The counter of the nft drop rule: how many datagrams the impaired path dropped. */
  String dropCounter() {
    return lab.exec(nsRelay, "nft", "list", "table", "inet", lab.id + "loss").out();
  }

  private static final Pattern IPERF_RECEIVED =
      Pattern.compile("\"sum_received\":\\s*\\{[^}]*\"bytes\":\\s*(\\d+)");

  /** Starts an iperf3 server on the peer's tunnel address (port 5201) and waits for it. */
  void startPeerIperf3Server() throws IOException, InterruptedException {
    lab.start(nsPeer, List.of(), "iperf3-server", "iperf3", "-s", "-B", PEER4);
    awaitPeerListening(5201);
  }

  /**
   * One iperf3 TCP run from our side to the peer's server ({@code reverse}: the peer sends), for
   * {@code seconds}; the bytes received.
   */
  long iperf3(boolean reverse, int seconds) {
    List<String> cmd = new ArrayList<>(List.of("iperf3", "-c", PEER4, "-t", "" + seconds, "-J"));
    if (reverse) {
      cmd.add("-R");
    }
    String json =
        lab.exec(nsOurs, Duration.ofSeconds(seconds + 60L), cmd.toArray(String[]::new))
            .ok("iperf3 " + cmd)
            .out();
    Matcher m = IPERF_RECEIVED.matcher(json);
    assertThat(m.find()).as("iperf3 result: %s", json).isTrue();
    return Long.parseLong(m.group(1));
  }

  /**
   * {@code bytes} of random data each way through the tunnel with nc (ours to the peer on 5301, the
   * peer to ours on 5303), their SHA-256 compared on arrival.
   */
  void bulkBothWaysArriveIntact(long bytes) throws InterruptedException {
    Duration timeout = Duration.ofSeconds(90);
    String out = peerFile("bulk-up", bytes); // a file in the lab dir, with its SHA-256
    CompletableFuture<Lab.Result> sink =
        peerShellAsync(timeout, "nc -l -d " + PEER4 + " 5301 | sha256sum");
    awaitPeerListening(5301);
    lab.exec(nsOurs, timeout, "sh", "-c", "nc -N " + PEER4 + " 5301 < " + path("bulk-up"))
        .ok("nc ours -> peer");
    assertThat(sink.join().ok("nc sink").out()).as("what the peer got").contains(out);

    String in = peerFile("bulk-down", bytes);
    CompletableFuture<Lab.Result> source =
        peerShellAsync(timeout, "nc -l -N " + PEER4 + " 5303 < " + path("bulk-down"));
    awaitPeerListening(5303);
    String got =
        lab.exec(nsOurs, timeout, "sh", "-c", "nc -d " + PEER4 + " 5303 | sha256sum")
            .ok("nc peer -> ours")
            .out();
    source.join().ok("nc source");
    assertThat(got).as("what we got").contains(in);
  }

  Supplier<String> logOf(String name) {
    return () -> {
      try {
        return lab.log(name);
      } catch (IOException e) {
        return "(unreadable: " + e + ")";
      }
    };
  }

  @Override
  public void close() throws IOException {
    for (AutoCloseable c : closeFirst) {
      try {
        c.close();
      } catch (Exception e) {
        // the lab's close below kills what is left
      }
    }
    background.shutdownNow();
    try {
      background.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    lab.close();
  }
}
