package io.wireguardjava.examples.launcher;

import io.wireguardjava.Config;
import io.wireguardjava.Interface;
import io.wireguardjava.Tunnel;
import io.wireguardjava.TunnelOptions;
import io.wireguardjava.uapi.UapiServer;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * {@code wireguard-java [-f|--foreground] <interface>}: the same command line and behaviour as
 * {@code wireguard-go}, for {@code WG_QUICK_USERSPACE_IMPLEMENTATION}.
 *
 * <ol>
 *   <li>Creates the TUN interface and its UAPI socket {@code /var/run/wireguard/<interface>.sock},
 *       with no key and no peers: everything arrives through the socket ({@code wg setconf}).
 *   <li>Without {@code -f} (and without {@code WG_PROCESS_FOREGROUND=1}), starts itself again as a
 *       detached child (its own session, no terminal) and returns once the child reports the
 *       interface and the socket ready; the child's errors are printed and make it exit 1.
 *   <li>Runs until the interface is deleted ({@code ip link delete}, as {@code wg-quick down}
 *       does), its socket file is removed (newer {@code wg-quick}), or it gets SIGINT/SIGTERM; then
 *       removes the socket, closes the tunnel and exits 0.
 * </ol>
 *
 * <p>Environment: {@code WG_JAVA_LOG=<file>} keeps the detached daemon's log (default: none);
 * {@code WG_JAVA_SOCKET_DIR} overrides the socket directory (for tests; {@code wg} only looks in
 * {@code /var/run/wireguard}).
 */
public final class Launcher {

  static final String CHILD_ENV = "WG_JAVA_LAUNCHER_CHILD";
  static final String READY = "ready";
  static final java.time.Duration READY_TIMEOUT = java.time.Duration.ofSeconds(90);

  private final PrintStream out;
  private final PrintStream err;

  Launcher(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    int code = new Launcher(System.out, System.err).run(args);
    System.exit(code);
  }

  int run(String[] args) {
    boolean foreground = "1".equals(System.getenv("WG_PROCESS_FOREGROUND"));
    @Nullable String name = null;
    for (String a : args) {
      switch (a) {
        case "-f":
        case "--foreground":
          foreground = true;
          break;
        case "--version":
          out.println("wireguard-java launcher (wireguard-go compatible command line)");
          return 0;
        case "-h":
        case "--help":
          usage(out);
          return 0;
        default:
          if (a.startsWith("-") || name != null) {
            usage(err);
            return 1;
          }
          name = a;
      }
    }
    if (name == null) {
      usage(err);
      return 1;
    }
    return foreground ? serve(name, System.getenv(CHILD_ENV) != null) : daemonize(name);
  }

  private static void usage(PrintStream s) {
    s.println("Usage: wireguard-java [-f/--foreground] INTERFACE-NAME");
  }

  static Path socketDirectory() {
    String dir = System.getenv("WG_JAVA_SOCKET_DIR");
    return dir == null || dir.isEmpty() ? UapiServer.DEFAULT_DIRECTORY : Path.of(dir);
  }

  /** Starts this program again in the foreground, detached; returns when it is ready or failed. */
  int daemonize(String name) {
    List<String> cmd = new ArrayList<>();
    if (new File("/usr/bin/setsid").canExecute()) {
      cmd.add("/usr/bin/setsid"); // own session: no terminal, no SIGHUP when the caller's ends
    }
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Launcher.class.getName());
    cmd.add("--foreground");
    cmd.add(name);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put(CHILD_ENV, "1");
    pb.environment().remove("WG_PROCESS_FOREGROUND");
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    String log = System.getenv("WG_JAVA_LOG");
    pb.redirectError(
        log == null || log.isEmpty()
            ? ProcessBuilder.Redirect.DISCARD
            : ProcessBuilder.Redirect.appendTo(new File(log)));
    Process child;
    try {
      child = pb.start();
    } catch (IOException e) {
      err.println("wireguard-java: cannot start the daemon: " + e.getMessage());
      return 1;
    }
    // The child writes its errors, then "ready", on stdout, and closes it. A child that is not
    // ready in time is stopped, which ends the stream.
    Thread watchdog =
        new Thread(
            () -> {
              try {
                Thread.sleep(READY_TIMEOUT.toMillis());
                err.println(
                    "wireguard-java: the daemon was not ready within "
                        + READY_TIMEOUT.toSeconds()
                        + " s");
                child.destroy();
              } catch (InterruptedException e) {
                // ready (or failed) in time
              }
            },
            "wireguard-java-ready-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.equals(READY)) {
          watchdog.interrupt();
          return 0;
        }
        err.println(line);
      }
    } catch (IOException e) {
      err.println("wireguard-java: lost the daemon: " + e.getMessage());
    }
    watchdog.interrupt();
    try {
      if (child.waitFor(10, TimeUnit.SECONDS)) {
        return child.exitValue() == 0 ? 1 : child.exitValue();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    child.destroy();
    return 1;
  }

  /** Runs the interface in this process until it is deleted or its socket removed. */
  int serve(String name, boolean child) {
    // The hook is in place before anything is created, so a SIGTERM at any moment is handled:
    // either the hook closes what exists, or the main thread sees the flag and closes it.
    Object lock = new Object();
    boolean[] shuttingDown = {false};
    Running[] current = {null};
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              Running r;
              synchronized (lock) {
                shuttingDown[0] = true;
                r = current[0];
              }
              if (r != null) {
                r.close();
              }
              try {
                stopped.await(10, TimeUnit.SECONDS); // let the main thread finish cleaning up
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "wireguard-java-shutdown");
    try {
      Runtime.getRuntime().addShutdownHook(hook);
    } catch (IllegalStateException e) {
      return 1; // already shutting down
    }
    try {
      Running running;
      try {
        running = Running.start(name, socketDirectory());
      } catch (IOException | RuntimeException e) {
        (child ? out : err).println("wireguard-java: " + name + ": " + e.getMessage());
        return 1;
      }
      synchronized (lock) {
        if (shuttingDown[0]) {
          running.close();
          return 0;
        }
        current[0] = running;
      }
      if (child) {
        out.println(READY);
        out.flush();
        out.close(); // the parent sees EOF and returns; later output must not go there
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
      } else {
        err.println("wireguard-java: " + name + " is up; UAPI socket " + running.socket);
      }
      try {
        String why = running.awaitEnd();
        System.err.println("wireguard-java: " + name + ": " + why + "; shutting down");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        running.close();
      }
      return 0;
    } finally {
      stopped.countDown();
    }
  }

  /** The tunnel, its UAPI socket, and what ends them. */
  static final class Running implements AutoCloseable {
    final String name;
    final Tunnel tunnel;
    final Path socket;
    private final @Nullable Object socketKey;
    private final java.util.concurrent.atomic.AtomicBoolean closing =
        new java.util.concurrent.atomic.AtomicBoolean();
    private volatile boolean closed;

    private Running(String name, Tunnel tunnel, Path socket) {
      this.name = name;
      this.tunnel = tunnel;
      this.socket = socket;
      this.socketKey = fileKey(socket);
    }

    static Running start(String name, Path socketDirectory) throws IOException {
      Config empty = Config.builder().iface(Interface.builder().build()).build();
      // The engine serves the UAPI socket <directory>/<name>.sock itself (uapiDirectory), and
      // removes it when the tunnel closes.
      Tunnel tunnel =
          Tunnel.open(
              empty, TunnelOptions.builder().osDevice(name).uapiDirectory(socketDirectory).build());
      return new Running(name, tunnel, socketDirectory.resolve(name + ".sock"));
    }

    private static @Nullable Object fileKey(Path p) {
      try {
        return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
            .fileKey();
      } catch (IOException e) {
        return null;
      }
    }

    /** Whether our socket file is still there (not removed, not replaced). */
    boolean socketPresent() {
      Object now = fileKey(socket);
      return now != null && (socketKey == null || socketKey.equals(now));
    }

    /** Polls until the interface or the socket is gone, or the tunnel closed; says which. */
    String awaitEnd() throws InterruptedException {
      Path link = Path.of("/sys/class/net", name);
      while (true) {
        if (closed || tunnel.isClosed()) {
          return "tunnel closed";
        }
        if (!Files.exists(link)) {
          return "interface deleted";
        }
        if (!socketPresent()) {
          return "UAPI socket removed";
        }
        Thread.sleep(200);
      }
    }

    /**
     * Closes the tunnel once; no lock, so the SIGTERM hook never waits behind the main thread (the
     * tunnel's close is prompt even during a big apply, which it abandons).
     */
    @Override
    public void close() {
      if (!closing.compareAndSet(false, true)) {
        return;
      }
      closed = true;
      tunnel.close();
    }
  }
}
