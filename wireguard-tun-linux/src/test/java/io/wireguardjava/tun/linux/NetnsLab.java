package io.wireguardjava.tun.linux;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.wireguardjava.tun.linux.internal.LibC;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;

/**
 * A test harness of network namespaces joined by veth pairs, with helpers to run commands inside
 * them ({@code ip netns exec}), to start wireguard-go, and to run Java code inside a namespace (a
 * fresh thread that {@code setns(2)}s into it first: sockets and TUNs it creates belong to the
 * namespace and keep working from any thread). Names are unique per lab ({@code wj<hex>}), so labs
 * never collide with each other or with the host; {@link #close()} kills what the lab started and
 * deletes its namespaces, which deletes their interfaces.
 *
 * <p>Every command is bounded in time. Under {@code CI=true}, {@link #requireTools} fails instead
 * of skipping when root or a tool is missing.
 */
final class NetnsLab implements AutoCloseable {

  static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String id;
  private final List<String> namespaces = new ArrayList<>();
  private final List<Process> processes = new ArrayList<>();
  private final List<String> wgSockets = new ArrayList<>();
  private final Path logDir;

  /**
   * Background commands get their own threads: CompletableFuture's default pool may have a single
   * worker on 2 CPUs (JDK 25), and nested waits on it deadlock.
   */
  private final ExecutorService background =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "netns-lab-background");
            t.setDaemon(true);
            return t;
          });

  /** The output of a finished command. */
  record Result(int exitCode, String stdout, String stderr) {
    Result check(String what) {
      if (exitCode != 0) {
        throw new AssertionError(what + " exited " + exitCode + ": " + stderr + stdout);
      }
      return this;
    }
  }

  NetnsLab() {
    // -Dnetns.prefix=... keeps labs of engineers working side by side apart (default "wj")
    this.id =
        System.getProperty("netns.prefix", "wj")
            + Integer.toHexString(0x1000 + RANDOM.nextInt(0xefff));
    try {
      this.logDir = Files.createDirectories(Path.of("target", "netns-logs", id));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Skips (or, under CI=true, fails) unless we are root on Linux with every tool present. */
  static void requireTools(String... tools) {
    boolean ci = "true".equals(System.getenv("CI"));
    List<String> missing = new ArrayList<>();
    if (!System.getProperty("os.name", "").startsWith("Linux")) {
      missing.add("Linux");
    } else if (!"root".equals(System.getProperty("user.name"))) {
      missing.add("root");
    }
    List<String> all = new ArrayList<>(List.of("ip"));
    all.addAll(List.of(tools));
    for (String t : all) {
      boolean found = false;
      for (String dir : List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/bin")) {
        found |= Files.isExecutable(Path.of(dir, t));
      }
      if (!found) {
        missing.add(t);
      }
    }
    if (!missing.isEmpty()) {
      String msg = "netns tests need " + missing + " (run .ci/install-deps as root)";
      if (ci) {
        throw new AssertionError(msg + "; CI=true, so this is a failure");
      }
      Assumptions.assumeTrue(false, msg);
    }
  }

  String id() {
    return id;
  }

  /** A unique name: the lab id plus {@code suffix}; short enough for an interface (15 bytes). */
  String name(String suffix) {
    String n = id + suffix;
    assertTrue(n.length() <= 15, "name too long: " + n);
    return n;
  }

  /** Creates namespace {@code <id><suffix>} with loopback up. */
  String namespace(String suffix) {
    String ns = name(suffix);
    run("ip", "netns", "add", ns).check("ip netns add " + ns);
    namespaces.add(ns);
    exec(ns, "ip", "link", "set", "lo", "up").check("lo up");
    return ns;
  }

  /**
   * Joins two namespaces by a veth pair named {@code <id>a}/{@code <id>b} (or with the given
   * suffix) and gives each end its addresses (CIDR strings, IPv6 without DAD).
   */
  void veth(String nsA, List<String> addrsA, String nsB, List<String> addrsB) {
    String a = name("va");
    String b = name("vb");
    run("ip", "link", "add", a, "netns", nsA, "type", "veth", "peer", "name", b, "netns", nsB)
        .check("ip link add veth");
    configure(nsA, a, addrsA);
    configure(nsB, b, addrsB);
  }

  private void configure(String ns, String dev, List<String> addrs) {
    for (String addr : addrs) {
      List<String> cmd = new ArrayList<>(List.of("ip", "addr", "add", addr, "dev", dev));
      if (addr.contains(":")) {
        cmd.add("nodad");
      }
      exec(ns, cmd.toArray(String[]::new)).check(String.join(" ", cmd));
    }
    exec(ns, "ip", "link", "set", dev, "up").check("link up " + dev);
  }

  /** Runs {@code task} on a thread of its own. */
  <T> CompletableFuture<T> async(Supplier<T> task) {
    return CompletableFuture.supplyAsync(task, background);
  }

  /** Runs a command in the root namespace, waiting at most {@link #COMMAND_TIMEOUT}. */
  Result run(String... command) {
    return run(COMMAND_TIMEOUT, null, command);
  }

  /** Runs a command inside namespace {@code ns}. */
  Result exec(String ns, String... command) {
    return exec(ns, COMMAND_TIMEOUT, command);
  }

  Result exec(String ns, Duration timeout, String... command) {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
    cmd.addAll(List.of(command));
    return run(timeout, null, cmd.toArray(String[]::new));
  }

  /** Runs a command with {@code stdin} (may be null) and a time limit. */
  Result run(Duration timeout, String stdin, String... command) {
    try {
      Path out = Files.createTempFile(logDir.toAbsolutePath(), "out", ".txt");
      Path err = Files.createTempFile(logDir.toAbsolutePath(), "err", ".txt");
      ProcessBuilder pb =
          new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
      if (stdin == null) {
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      }
      Process p = pb.start();
      if (stdin != null) {
        try (var in = p.getOutputStream()) {
          in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
      }
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        throw new AssertionError("timed out after " + timeout + ": " + String.join(" ", command));
      }
      String o = Files.readString(out);
      String e = Files.readString(err);
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
      return new Result(p.exitValue(), o, e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Starts a background command in {@code ns}; output goes to a log file; killed on close(). */
  Process start(String ns, String logName, List<String> env, String... command) {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns, "env"));
    cmd.addAll(env);
    cmd.addAll(List.of(command));
    try {
      Path log = logDir.resolve(logName + ".log").toAbsolutePath();
      Process p =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      synchronized (processes) {
        processes.add(p);
      }
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Starts wireguard-go on interface {@code ifname} in {@code ns}, waits for its UAPI socket, gives
   * the interface its addresses and brings it up. Configure it with {@link #wgSetconf}.
   */
  void wireguardGo(String ns, String ifname, int mtu, List<String> addresses) {
    Path sock = Path.of("/var/run/wireguard", ifname + ".sock");
    wgSockets.add(ifname);
    start(
        ns,
        "wireguard-go-" + ifname,
        List.of("WG_PROCESS_FOREGROUND=1", "LOG_LEVEL=debug"),
        "wireguard-go",
        "-f",
        ifname);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!Files.exists(sock)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("wireguard-go did not create " + sock);
      }
      sleepMillis(20);
    }
    for (String addr : addresses) {
      exec(ns, "ip", "addr", "add", addr, "dev", ifname).check("addr add " + addr);
    }
    exec(ns, "ip", "link", "set", ifname, "mtu", Integer.toString(mtu), "up").check("link up");
  }

  /** {@code wg setconf ifname <config>} (wg talks to the socket from any namespace). */
  void wgSetconf(String ifname, String setconf) {
    try {
      Path f = Files.createTempFile(logDir.toAbsolutePath(), ifname, ".conf");
      Files.writeString(f, setconf);
      run("wg", "setconf", ifname, f.toString()).check("wg setconf " + ifname);
      Files.delete(f);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code wg set ifname <args>}. */
  void wgSet(String ifname, String... args) {
    List<String> cmd = new ArrayList<>(List.of("wg", "set", ifname));
    cmd.addAll(List.of(args));
    run(cmd.toArray(String[]::new)).check(String.join(" ", cmd));
  }

  /**
   * Runs {@code body} on a new thread that first enters namespace {@code ns} with setns(2): the TUN
   * devices, netlink and UDP sockets it creates live in {@code ns}.
   */
  static <T> T inNamespace(String ns, Callable<T> body) throws Exception {
    FutureTask<T> task =
        new FutureTask<>(
            () -> {
              LibC libc = LibC.get();
              int fd = libc.open("/var/run/netns/" + ns, LibC.O_CLOEXEC);
              if (fd < 0) {
                throw new IOException(LibC.describe("open netns " + ns, LibC.errno()));
              }
              try {
                if (libc.setns(fd, LibC.CLONE_NEWNET) < 0) {
                  throw new IOException(LibC.describe("setns " + ns, LibC.errno()));
                }
              } finally {
                libc.close(fd);
              }
              return body.call();
            });
    Thread t = new Thread(task, "in-netns-" + ns);
    t.start();
    try {
      return task.get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception ex) {
        throw ex;
      }
      throw e;
    } catch (TimeoutException e) {
      t.interrupt();
      throw new AssertionError("timed out in namespace " + ns);
    }
  }

  static void sleepMillis(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Kills every process the lab started and deletes its namespaces. Never throws. */
  @Override
  public void close() {
    background.shutdownNow();
    synchronized (processes) {
      for (Process p : processes) {
        p.descendants().forEach(ProcessHandle::destroy);
        p.destroy();
      }
      for (Process p : processes) {
        try {
          if (!p.waitFor(3, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(3, TimeUnit.SECONDS);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
    for (String ns : namespaces) {
      try {
        run(Duration.ofSeconds(10), null, "ip", "netns", "del", ns);
      } catch (RuntimeException | AssertionError e) {
        System.err.println("cleanup of netns " + ns + ": " + e);
      }
    }
    for (String ifname : wgSockets) {
      try {
        Files.deleteIfExists(Path.of("/var/run/wireguard", ifname + ".sock"));
      } catch (IOException e) {
        // best effort
      }
    }
  }
}
