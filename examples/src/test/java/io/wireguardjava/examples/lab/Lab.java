package io.wireguardjava.examples.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.wireguardjava.Key;
import io.wireguardjava.PrivateKey;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Assumptions;

/**
 * Network namespaces, background daemons and bounded commands for the netns tests of the examples
 * module (the launcher tests and the netstack interop tests). Names are unique per lab ({@code
 * <prefix><hex>...}); {@link #close()} stops what the lab started (by its own process handles) and
 * deletes its namespaces, socket files and directories.
 */
public final class Lab implements AutoCloseable {
  /** The longest any one command may run. */
  public static final Duration TIMEOUT = Duration.ofSeconds(60);

  private static final SecureRandom RANDOM = new SecureRandom();

  /** The unique prefix of every name this lab creates. */
  public final String id;

  /** A private (0700) directory for configs and logs, deleted by {@link #close()}. */
  public final Path dir;

  private final List<String> namespaces = new ArrayList<>();
  private final List<Process> processes = new ArrayList<>();
  private final List<String> interfaces = new ArrayList<>();
  private final List<Path> extraDirs = new ArrayList<>();

  /** The exit code and the merged stdout/stderr of a finished command. */
  public record Result(int exit, String out) {
    /** Asserts exit code 0, naming {@code what} and the output otherwise. */
    public Result ok(String what) {
      assertThat(exit).as(what + " -> " + out).isZero();
      return this;
    }
  }

  /**
   * A lab whose names start with {@code lj} (the launcher tests), or with the system property
   * {@code netns.prefix}, which keeps labs of engineers working side by side apart.
   */
  public Lab() throws IOException {
    this(System.getProperty("netns.prefix", "lj"));
  }

  /** A lab whose names start with {@code prefix} plus four hex digits. */
  public Lab(String prefix) throws IOException {
    id = prefix + Integer.toHexString(0x1000 + RANDOM.nextInt(0xefff));
    dir = Files.createTempDirectory("wg-java-lab-");
  }

  /** Skips, or fails under CI=true, unless root and every tool is present. */
  public static void requireTools(String... tools) {
    List<String> missing = new ArrayList<>();
    if (!"root".equals(System.getProperty("user.name"))) {
      missing.add("root");
    }
    for (String t : tools) {
      boolean found = false;
      for (String d : List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/bin")) {
        found |= Files.isExecutable(Path.of(d, t));
      }
      if (!found) {
        missing.add(t);
      }
    }
    if (!missing.isEmpty()) {
      String msg = "launcher tests need " + missing + " (run .ci/install-deps as root)";
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError(msg + "; CI=true, so this is a failure");
      }
      Assumptions.assumeTrue(false, msg);
    }
  }

  /** The repository root (set by the parent pom for surefire). */
  public static Path repo() {
    String root = System.getenv("WG_JAVA_REPO_ROOT");
    Path p = root != null ? Path.of(root) : Path.of("..").toAbsolutePath().normalize();
    return p;
  }

  /** examples/bin/wireguard-java, which needs examples/target/wg-java.jar (built by package). */
  public static Path launcher() {
    Path script = repo().resolve("examples/bin/wireguard-java");
    assertThat(repo().resolve("examples/target/wg-java.jar")).as("run after `package`").exists();
    return script;
  }

  /** A unique interface or namespace name, at most 15 bytes. */
  public String name(String suffix) {
    String n = id + suffix;
    assertThat(n.length()).isLessThanOrEqualTo(15);
    return n;
  }

  /** An interface name whose socket file close() removes if it is left behind. */
  public String iface(String suffix) {
    String n = name(suffix);
    interfaces.add(n);
    return n;
  }

  public String namespace(String suffix) {
    String ns = name(suffix);
    run("ip", "netns", "add", ns).ok("netns add");
    namespaces.add(ns);
    exec(ns, "ip", "link", "set", "lo", "up").ok("lo up");
    return ns;
  }

  /** A veth pair between two namespaces, {@code 192.168.<n>.1/24} and {@code .2/24}. */
  public void veth(String nsA, String nsB, int n) {
    veth(nsA, nsB, n, "v");
  }

  /**
   * As {@link #veth(String, String, int)}, the ends named {@code <id><tag>a}/{@code <id><tag>b}.
   */
  public void veth(String nsA, String nsB, int n, String tag) {
    String a = name(tag + "a");
    String b = name(tag + "b");
    run("ip", "link", "add", a, "netns", nsA, "type", "veth", "peer", "name", b, "netns", nsB)
        .ok("veth");
    exec(nsA, "ip", "addr", "add", "192.168." + n + ".1/24", "dev", a).ok("addr a");
    exec(nsB, "ip", "addr", "add", "192.168." + n + ".2/24", "dev", b).ok("addr b");
    exec(nsA, "ip", "link", "set", a, "up").ok("up a");
    exec(nsB, "ip", "link", "set", b, "up").ok("up b");
  }

  public Result run(String... cmd) {
    return run(List.of(), cmd);
  }

  public Result exec(String ns, String... cmd) {
    return exec(ns, List.of(), cmd);
  }

  /** Runs {@code env ENV... cmd} inside {@code ns}. */
  public Result exec(String ns, List<String> env, String... cmd) {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns, "env"));
    full.addAll(env);
    full.addAll(List.of(cmd));
    return run(List.of(), full.toArray(String[]::new));
  }

  /** Runs {@code env ENV... cmd} in the root namespace, waiting at most {@link #TIMEOUT}. */
  public Result run(List<String> env, String... cmd) {
    return run(TIMEOUT, env, cmd);
  }

  /** Runs {@code cmd} inside {@code ns}, waiting at most {@code timeout}. */
  public Result exec(String ns, Duration timeout, String... cmd) {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
    full.addAll(List.of(cmd));
    return run(timeout, List.of(), full.toArray(String[]::new));
  }

  /** Runs {@code env ENV... cmd}, waiting at most {@code timeout} (then kills it and fails). */
  public Result run(Duration timeout, List<String> env, String... cmd) {
    List<String> full = new ArrayList<>();
    if (!env.isEmpty()) {
      full.add("env");
      full.addAll(env);
    }
    full.addAll(List.of(cmd));
    try {
      Path out = Files.createTempFile(dir, "out", ".txt");
      Process p =
          new ProcessBuilder(full)
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        throw new AssertionError(
            "timed out: " + String.join(" ", full) + "\n" + Files.readString(out));
      }
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Starts {@code cmd} in {@code ns} in the background, output to {@code <dir>/<log>.log}. */
  public Process start(String ns, List<String> env, String log, String... cmd) throws IOException {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns, "env"));
    full.addAll(env);
    full.addAll(List.of(cmd));
    Process p =
        new ProcessBuilder(full)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(log + ".log").toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    processes.add(p);
    return p;
  }

  /**
   * Starts {@code cmd} in {@code ns} as the unprivileged user nobody (uid/gid 65534, no groups, no
   * inheritable capabilities), with its stdin and stdout as pipes for the caller and its stderr
   * appended to {@code <dir>/<log>.log}. Everything it reads must be world-readable.
   */
  public Process startAsNobody(String ns, String log, String... cmd) throws IOException {
    List<String> full =
        new ArrayList<>(
            List.of(
                "ip",
                "netns",
                "exec",
                ns,
                "setpriv",
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
                "--inh-caps=-all"));
    full.addAll(List.of(cmd));
    return startPiped(full, log);
  }

  /** Starts {@code cmd} in {@code ns} (as root), stdin/stdout piped, stderr to the log. */
  public Process startPiped(String ns, String log, String... cmd) throws IOException {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
    full.addAll(List.of(cmd));
    return startPiped(full, log);
  }

  private Process startPiped(List<String> full, String log) throws IOException {
    Process p =
        new ProcessBuilder(full)
            .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve(log + ".log").toFile()))
            .start();
    processes.add(p);
    return p;
  }

  /**
   * A new world-readable (0755) directory under {@code /tmp} for what an unprivileged process must
   * read (jars, classes; the launching user's home and {@link #dir} are 0700); close() deletes it.
   */
  public Path publicDir() throws IOException {
    Path d =
        Files.createTempDirectory(
            Path.of("/tmp"),
            id + "-",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x")); // umask-proof
    extraDirs.add(d);
    return d;
  }

  /**
   * Makes {@code ip netns exec ns} processes use {@code nameserver} ({@code ip netns exec} bind
   * mounts {@code /etc/netns/<ns>/resolv.conf} over {@code /etc/resolv.conf}); close() removes it.
   */
  public void resolvConf(String ns, String nameserver) throws IOException {
    Path d = Files.createDirectories(Path.of("/etc/netns", ns));
    extraDirs.add(d);
    Files.writeString(d.resolve("resolv.conf"), "nameserver " + nameserver + "\n");
  }

  /** The contents of {@code <dir>/<log>.log}, or "" before anything was written. */
  public String log(String log) throws IOException {
    Path p = dir.resolve(log + ".log");
    return Files.exists(p) ? Files.readString(p) : "";
  }

  /** Waits (polling every 50 ms) until {@code condition} holds; false after {@code timeout}. */
  public static boolean await(Duration timeout, BooleanSupplier condition)
      throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(50);
    }
    return condition.getAsBoolean();
  }

  /**
   * Starts wireguard-go (the one on the PATH, in the foreground, logging at debug level to {@code
   * wireguard-go.log}) in {@code ns} as interface {@code iface(suffix)}, configured with the real
   * {@code wg}: listening on 51820 with one peer allowed {@code peerAllowedIp}, the interface up
   * with {@code address}.
   *
   * @return the interface's name
   */
  public String wireguardGo(
      String ns, String suffix, PrivateKey key, Key peer, String peerAllowedIp, String address)
      throws IOException, InterruptedException {
    String goIf = iface(suffix);
    start(
        ns,
        List.of("WG_PROCESS_FOREGROUND=1", "LOG_LEVEL=debug"),
        "wireguard-go",
        "wireguard-go",
        "-f",
        goIf);
    assertThat(await(Duration.ofSeconds(20), () -> Files.exists(socket(goIf))))
        .as("wireguard-go socket: " + log("wireguard-go"))
        .isTrue();
    Path goConf =
        Files.writeString(
            dir.resolve(goIf + ".conf"),
            String.join(
                "\n",
                "[Interface]",
                "PrivateKey = " + key.toBase64(),
                "ListenPort = 51820",
                "",
                "[Peer]",
                "PublicKey = " + peer.toBase64(),
                "AllowedIPs = " + peerAllowedIp,
                ""));
    exec(ns, "wg", "setconf", goIf, goConf.toString()).ok("wg setconf (wireguard-go)");
    exec(ns, "ip", "addr", "add", address, "dev", goIf).ok("wireguard-go's address");
    exec(ns, "ip", "link", "set", goIf, "up").ok("wireguard-go's link up");
    return goIf;
  }

  public static Path socket(String iface) {
    return Path.of("/var/run/wireguard", iface + ".sock");
  }

  @Override
  public void close() throws IOException {
    for (Process p : processes) {
      p.descendants().forEach(ProcessHandle::destroy);
      p.destroy();
    }
    for (Process p : processes) {
      try {
        if (!p.waitFor(5, TimeUnit.SECONDS)) {
          p.descendants().forEach(ProcessHandle::destroyForcibly);
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (String ns : namespaces) {
      run("ip", "netns", "delete", ns);
    }
    for (String i : interfaces) {
      Files.deleteIfExists(socket(i)); // only if its daemon did not remove it (a failed test)
    }
    for (Path d : extraDirs) {
      deleteTree(d);
    }
    deleteTree(dir);
  }

  private static void deleteTree(Path d) throws IOException {
    if (!Files.exists(d)) {
      return;
    }
    try (var files = Files.walk(d)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}
