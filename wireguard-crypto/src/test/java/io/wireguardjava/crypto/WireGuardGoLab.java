package io.wireguardjava.crypto;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real wireguard-go in a network namespace of its own, reachable over a veth pair: {@code host
 * 10.213.N.1/30 <-> 10.213.N.2/30 netns}, tunnel address {@code 10.99.N.1/24} on the wireguard-go
 * interface. Everything it creates is removed by {@link #close()}.
 */
final class WireGuardGoLab implements AutoCloseable {

  final int n;
  final String netns;
  final String hostVeth;
  final String nsVeth;
  final String iface;
  final InetAddress hostAddress;
  final InetAddress wgAddress;
  final int wgPort = 51820;
  private final Path tmp;
  private final List<Process> processes = new ArrayList<>();

  private WireGuardGoLab(int n) throws IOException {
    this.n = n;
    this.netns = "wgcrypto" + n;
    this.hostVeth = "wgcrh" + n;
    this.nsVeth = "wgcrn" + n;
    this.iface = "wgcr" + n;
    this.hostAddress = InetAddress.getByName("10.213." + n + ".1");
    this.wgAddress = InetAddress.getByName("10.213." + n + ".2");
    this.tmp = Files.createTempDirectory("wgcrypto");
  }

  /** Skips (or, with CI=true, fails) when root, ip, wg or wireguard-go are missing. */
  static void assumeAvailable() {
    boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
    String missing = null;
    for (String tool : new String[] {"/usr/bin/wireguard-go", "/usr/bin/wg"}) {
      if (!Files.isExecutable(Path.of(tool))) {
        missing = tool;
      }
    }
    if (!Files.isExecutable(Path.of("/usr/sbin/ip"))
        && !Files.isExecutable(Path.of("/sbin/ip"))
        && !Files.isExecutable(Path.of("/usr/bin/ip"))) {
      missing = "ip";
    }
    if (missing == null && !"root".equals(System.getProperty("user.name"))) {
      missing = "root";
    }
    if (missing != null) {
      if (ci) {
        throw new AssertionError(
            "CI=true but " + missing + " is missing for the wireguard-go" + " interop test");
      }
      Assumptions.abort("needs " + missing);
    }
  }

  static WireGuardGoLab start(byte[] wgPrivateKey) throws IOException, InterruptedException {
    int n = 100 + (int) (ProcessHandle.current().pid() % 150);
    WireGuardGoLab lab = new WireGuardGoLab(n);
    try {
      lab.setUp(wgPrivateKey);
      return lab;
    } catch (IOException | InterruptedException | RuntimeException | Error e) {
      lab.close();
      throw e;
    }
  }

  private void setUp(byte[] wgPrivateKey) throws IOException, InterruptedException {
    // Left-overs of an aborted earlier run with the same number.
    runQuiet("ip", "netns", "del", netns);
    runQuiet("ip", "link", "del", hostVeth);
    run("ip", "netns", "add", netns);
    run("ip", "link", "add", hostVeth, "type", "veth", "peer", "name", nsVeth);
    run("ip", "link", "set", nsVeth, "netns", netns);
    run("ip", "addr", "add", "10.213." + n + ".1/30", "dev", hostVeth);
    run("ip", "link", "set", hostVeth, "up");
    run("ip", "-n", netns, "addr", "add", "10.213." + n + ".2/30", "dev", nsVeth);
    run("ip", "-n", netns, "link", "set", nsVeth, "up");
    run("ip", "-n", netns, "link", "set", "lo", "up");
    Files.deleteIfExists(socket());
    ProcessBuilder pb =
        new ProcessBuilder("ip", "netns", "exec", netns, "wireguard-go", "-f", iface)
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("wireguard-go.log").toFile());
    pb.environment().put("WG_PROCESS_FOREGROUND", "1");
    pb.environment().put("LOG_LEVEL", "debug");
    processes.add(pb.start());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!Files.exists(socket())) {
      if (System.nanoTime() > deadline) {
        throw new IOException("wireguard-go did not create " + socket() + ": " + log());
      }
      Thread.sleep(20);
    }
    Path key = writeKey("wg.key", wgPrivateKey);
    run("wg", "set", iface, "private-key", key.toString(), "listen-port", Integer.toString(wgPort));
    run("ip", "-n", netns, "addr", "add", "10.99." + n + ".1/24", "dev", iface);
    run("ip", "-n", netns, "link", "set", iface, "up");
  }

  /** The address {@code 10.99.N.host} inside the tunnel. */
  byte[] tunnelAddress(int host) {
    return new byte[] {10, 99, (byte) n, (byte) host};
  }

  /** Adds a peer to wireguard-go; {@code endpointPort > 0} makes wireguard-go initiate. */
  void addPeer(
      byte[] publicKey,
      byte @org.jspecify.annotations.Nullable [] psk,
      int tunnelHost,
      int endpointPort)
      throws IOException, InterruptedException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "wg",
                "set",
                iface,
                "peer",
                Base64.getEncoder().encodeToString(publicKey),
                "allowed-ips",
                "10.99." + n + "." + tunnelHost + "/32"));
    if (psk != null) {
      cmd.add("preshared-key");
      cmd.add(writeKey("psk" + tunnelHost, psk).toString());
    }
    if (endpointPort > 0) {
      cmd.addAll(
          List.of(
              "endpoint",
              hostAddress.getHostAddress() + ":" + endpointPort,
              "persistent-keepalive",
              "1"));
    }
    run(cmd.toArray(new String[0]));
  }

  String log() {
    try {
      return Files.readString(tmp.resolve("wireguard-go.log"));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  String show() throws IOException, InterruptedException {
    return run("wg", "show", iface, "dump");
  }

  private Path socket() {
    return Path.of("/var/run/wireguard/" + iface + ".sock");
  }

  private Path writeKey(String name, byte[] key) throws IOException {
    Path p = tmp.resolve(name);
    Files.writeString(p, Base64.getEncoder().encodeToString(key) + "\n");
    return p;
  }

  static String run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    if (!p.waitFor(10, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("timeout: " + String.join(" ", cmd));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IOException(String.join(" ", cmd) + " -> " + p.exitValue() + ": " + out);
    }
    return out;
  }

  private static void runQuiet(String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      p.waitFor(10, TimeUnit.SECONDS);
    } catch (IOException | InterruptedException e) {
      // best effort
    }
  }

  @Override
  public void close() {
    for (Process p : processes) {
      p.descendants().forEach(ProcessHandle::destroy);
      p.destroy();
      try {
        if (!p.waitFor(3, TimeUnit.SECONDS)) {
          p.descendants().forEach(ProcessHandle::destroyForcibly);
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    runQuiet("ip", "netns", "del", netns);
    runQuiet("ip", "link", "del", hostVeth);
    try {
      Files.deleteIfExists(socket());
      try (var files = Files.list(tmp)) {
        for (Path f : (Iterable<Path>) files::iterator) {
          Files.deleteIfExists(f);
        }
      }
      Files.deleteIfExists(tmp);
    } catch (IOException e) {
      // best effort
    }
  }
}
