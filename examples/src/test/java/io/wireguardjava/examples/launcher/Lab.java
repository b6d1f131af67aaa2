package io.wireguardjava.examples.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Assumptions;

/**
 * Network namespaces, background daemons and bounded commands for the launcher tests. Names are
 * unique per lab ({@code lj<hex>...}); {@link #close()} stops what the lab started (by its own
 * process handles) and deletes its namespaces and socket files.
 */
final class Lab implements AutoCloseable {
  static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** -Dnetns.prefix=... keeps labs of engineers working side by side apart (default "lj"). */
  final String id = System.getProperty("netns.prefix", "lj")
      + Integer.toHexString(0x1000 + RANDOM.nextInt(0xefff));
  final Path dir;
  private final List<String> namespaces = new ArrayList<>();
  private final List<Process> processes = new ArrayList<>();
  private final List<String> interfaces = new ArrayList<>();

  record Result(int exit, String out) {
    Result ok(String what) {
      assertThat(exit).as(what + " -> " + out).isZero();
      return this;
    }
  }

  Lab() throws IOException {
    dir = Files.createTempDirectory("wg-java-lab-");
  }

  /** Skips, or fails under CI=true, unless root and every tool is present. */
  static void requireTools(String... tools) {
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
  static Path repo() {
    String root = System.getenv("WG_JAVA_REPO_ROOT");
    Path p = root != null ? Path.of(root) : Path.of("..").toAbsolutePath().normalize();
    return p;
  }

  /** examples/bin/wireguard-java, which needs examples/target/wg-java.jar (built by package). */
  static Path launcher() {
    Path script = repo().resolve("examples/bin/wireguard-java");
    assertThat(repo().resolve("examples/target/wg-java.jar")).as("run after `package`").exists();
    return script;
  }

  /** A unique interface or namespace name, at most 15 bytes. */
  String name(String suffix) {
    String n = id + suffix;
    assertThat(n.length()).isLessThanOrEqualTo(15);
    return n;
  }

  /** An interface name whose socket file close() removes if it is left behind. */
  String iface(String suffix) {
    String n = name(suffix);
    interfaces.add(n);
    return n;
  }

  String namespace(String suffix) {
    String ns = name(suffix);
    run("ip", "netns", "add", ns).ok("netns add");
    namespaces.add(ns);
    exec(ns, "ip", "link", "set", "lo", "up").ok("lo up");
    return ns;
  }

  /** A veth pair between two namespaces, {@code 192.168.<n>.1/24} and {@code .2/24}. */
  void veth(String nsA, String nsB, int n) {
    String a = name("va");
    String b = name("vb");
    run("ip", "link", "add", a, "netns", nsA, "type", "veth", "peer", "name", b, "netns", nsB).ok("veth");
    exec(nsA, "ip", "addr", "add", "192.168." + n + ".1/24", "dev", a).ok("addr a");
    exec(nsB, "ip", "addr", "add", "192.168." + n + ".2/24", "dev", b).ok("addr b");
    exec(nsA, "ip", "link", "set", a, "up").ok("up a");
    exec(nsB, "ip", "link", "set", b, "up").ok("up b");
  }

  Result run(String... cmd) {
    return run(List.of(), cmd);
  }

  Result exec(String ns, String... cmd) {
    return exec(ns, List.of(), cmd);
  }

  /** Runs {@code env ENV... cmd} inside {@code ns}. */
  Result exec(String ns, List<String> env, String... cmd) {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns, "env"));
    full.addAll(env);
    full.addAll(List.of(cmd));
    return run(List.of(), full.toArray(String[]::new));
  }

  Result run(List<String> env, String... cmd) {
    List<String> full = new ArrayList<>();
    if (!env.isEmpty()) {
      full.add("env");
      full.addAll(env);
    }
    full.addAll(List.of(cmd));
    try {
      Path out = Files.createTempFile(dir, "out", ".txt");
      Process p = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(out.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
      if (!p.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        throw new AssertionError("timed out: " + String.join(" ", full) + "\n" + Files.readString(out));
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
  Process start(String ns, List<String> env, String log, String... cmd) throws IOException {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns, "env"));
    full.addAll(env);
    full.addAll(List.of(cmd));
    Process p = new ProcessBuilder(full).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(log + ".log").toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    processes.add(p);
    return p;
  }

  String log(String log) throws IOException {
    Path p = dir.resolve(log + ".log");
    return Files.exists(p) ? Files.readString(p) : "";
  }

  /** Waits (polling every 50 ms) until {@code condition} holds; false after {@code timeout}. */
  static boolean await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(50);
    }
    return condition.getAsBoolean();
  }

  static Path socket(String iface) {
    return Path.of("/var/run/wireguard", iface + ".sock");
  }

  @Override
  public void close() throws IOException {
    for (Process p : processes) {
      p.descendants().forEach(ProcessHandle::destroy);
      p.destroy();
    }
    for (String ns : namespaces) {
      run("ip", "netns", "delete", ns);
    }
    for (String i : interfaces) {
      Files.deleteIfExists(socket(i)); // only if its daemon did not remove it (a failed test)
    }
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}
