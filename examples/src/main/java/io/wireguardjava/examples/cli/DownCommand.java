package io.wireguardjava.examples.cli;

import io.wireguardjava.uapi.UapiServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code wg-java down <interface>}: stops a tunnel started by {@code wg-java up} or by the {@code
 * wireguard-java} launcher the way {@code wg-quick down} does, by deleting its interface; the
 * daemon notices, removes its socket and exits. When there is no interface (a tunnel without a
 * TUN), removing the socket file stops it the same way. Waits until the socket is gone.
 */
@Command(
    name = "down",
    mixinStandardHelpOptions = true,
    description = {
      "Stops a running tunnel: deletes its interface, as wg-quick down does.",
      "Then waits for its daemon to remove its UAPI socket."
    })
public final class DownCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "<interface>", description = "The interface to stop.")
  String name = "";

  @Option(
      names = "--socket-dir",
      paramLabel = "<dir>",
      description = "Where the UAPI sockets are (default: ${DEFAULT-VALUE}).")
  Path socketDirectory = UapiServer.DEFAULT_DIRECTORY;

  @Option(
      names = "--timeout",
      paramLabel = "<seconds>",
      description = "How long to wait for the daemon to exit (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds = 10;

  @Spec CommandSpec spec;

  /** Where Linux lists network interfaces. */
  Path sysClassNet = Path.of("/sys/class/net");

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
      err.println("wg-java down: invalid interface name: " + name);
      return 1;
    }
    Path socket = socketDirectory.resolve(name + ".sock");
    boolean hasLink = Files.exists(sysClassNet.resolve(name));
    if (!hasLink && !Files.exists(socket)) {
      err.println("wg-java down: `" + name + "' is not a running tunnel (no interface, no socket)");
      return 1;
    }
    if (hasLink) {
      String failure = deleteLink(name);
      if (failure != null) {
        err.println("wg-java down: cannot delete interface " + name + ": " + failure);
        return 1;
      }
    } else {
      Files.deleteIfExists(socket); // the daemon watches its socket file too
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
    while (Files.exists(socket) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    if (Files.exists(socket)) {
      err.println("wg-java down: " + name + " is down but its daemon did not remove " + socket);
      return 1;
    }
    return 0;
  }

  /** Deletes a network interface as {@code wg-quick down} does; null on success, else why not. */
  static @Nullable String deleteLink(String name) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder("ip", "link", "delete", "dev", name).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (!p.waitFor(10, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return "`ip link delete' did not finish";
    }
    return p.exitValue() == 0 ? null : out.isEmpty() ? "ip exited with " + p.exitValue() : out;
  }
}
