package io.wireguardjava.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.wireguardjava.PrivateKey;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code wg-java proxy} and {@code wg-java forward}: arguments, errors, start and stop. */
@Timeout(60)
class ProxyForwardCommandTest {
  private static final Pattern LISTENING = Pattern.compile("listening on (\\S+)");

  @TempDir Path dir;

  Path config() throws IOException {
    Path p = dir.resolve("hpx0.conf");
    Files.writeString(
        p,
        "[Interface]\nPrivateKey = "
            + PrivateKey.generate().toBase64()
            + "\nAddress = 10.78.0.1/32\nDNS = 10.78.0.2\n\n[Peer]\nPublicKey = "
            + PrivateKey.generate().publicKey().toBase64()
            + "\nAllowedIPs = 10.78.0.0/24\nEndpoint = 127.0.0.1:9\n");
    return p;
  }

  record Run(int exitCode, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = WgJava.commandLine(new ByteArrayInputStream(new byte[0]));
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  /** Exit 2 and exactly one line on stderr that contains {@code naming}. */
  static void assertBadArgument(Run r, String naming) {
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
    assertThat(r.err()).endsWith("\n").contains(naming);
    assertThat(r.err().strip().lines()).hasSize(1);
    assertThat(r.out()).isEmpty();
  }

  @Test
  void proxyArgumentErrorsAreOneLineAndExit2() throws IOException {
    String conf = config().toString();
    assertBadArgument(run("proxy", conf), "at least one of --socks5");
    assertBadArgument(run("proxy", conf, "--socks5", "1080x"), "'1080x' in '1080x' is not a port");
    assertBadArgument(
        run("proxy", conf, "--socks5", "example.com:1080"),
        "'example.com' in 'example.com:1080' is not an IP address");
    assertBadArgument(run("proxy", conf, "--http", "::1:8080"), "needs brackets");
    assertBadArgument(run("proxy", conf, "--http", "127.0.0.1:70000"), "not a port");
    assertBadArgument(
        run("proxy", conf, "--socks5", "0", "--socks5-user", "u"),
        "--socks5-user and --socks5-password-file go together");
    assertBadArgument(
        run("proxy", conf, "--http", "0", "--socks5-user", "u", "--socks5-password-file", conf),
        "--socks5-user needs --socks5");
    assertBadArgument(
        run(
            "proxy",
            conf,
            "--socks5",
            "0",
            "--socks5-user",
            "u",
            "--socks5-password-file",
            dir.resolve("missing").toString()),
        "--socks5-password-file " + dir.resolve("missing") + ": cannot read it");
    Path empty = Files.writeString(dir.resolve("empty"), "\n");
    assertBadArgument(
        run(
            "proxy",
            conf,
            "--socks5",
            "0",
            "--socks5-user",
            "u",
            "--socks5-password-file",
            empty.toString()),
        "password must be 1 to 255 bytes");
    assertBadArgument(run("proxy", conf, "--bogus"), "--bogus");
    assertBadArgument(run("proxy"), "CONF");
  }

  @Test
  void forwardArgumentErrorsAreOneLineAndExit2() throws IOException {
    String conf = config().toString();
    assertBadArgument(run("forward", conf), "at least one -L or -R");
    assertBadArgument(
        run("forward", conf, "-L", "8080:db"),
        "bad forward \"8080:db\": expected [udp:][BIND:]PORT:HOST:HOSTPORT");
    assertBadArgument(
        run("forward", conf, "-L", "80:h:80", "-R", "0:h:80"), "TUNNELPORT 0 is out of range");
    assertBadArgument(
        run("forward", conf, "-L", "80:h:80", "--udp-timeout", "0"),
        "--udp-timeout must be at least 1");
  }

  @Test
  void aBadConfigIsStripsOneLineError() throws IOException {
    Path bad = Files.writeString(dir.resolve("bad.conf"), "[Interface]\nPrivateKey = nope\n");
    Run strip = run("strip", bad.toString());
    Run proxy = run("proxy", bad.toString(), "--socks5", "0");
    Run forward = run("forward", bad.toString(), "-L", "0:h:80");
    assertThat(strip.exitCode()).isEqualTo(1);
    assertThat(proxy).isEqualTo(new Run(1, "", strip.err()));
    assertThat(forward).isEqualTo(new Run(1, "", strip.err()));
    Run missing = run("proxy", dir.resolve("nope.conf").toString(), "--http", "0");
    assertThat(missing.err())
        .isEqualTo("wg-java: `" + dir.resolve("nope.conf") + "' does not exist\n");
  }

  /** A running command, its output so far, and a way to stop it as SIGTERM would. */
  static final class Running {
    final StringWriter out = new StringWriter();
    final CommandLine cl = WgJava.commandLine(new ByteArrayInputStream(new byte[0]));
    final CompletableFuture<Integer> exit = new CompletableFuture<>();

    Running(String... args) {
      cl.setOut(new PrintWriter(out));
      cl.setErr(new PrintWriter(out));
      Thread t = new Thread(() -> exit.complete(cl.execute(args)), "hpx-cli");
      t.setDaemon(true);
      t.start();
    }

    /** The addresses of the first {@code n} "listening on" lines, once printed. */
    List<InetSocketAddress> listening(int n) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < deadline) {
        List<InetSocketAddress> found = new ArrayList<>();
        Matcher m = LISTENING.matcher(out.toString());
        while (m.find()) {
          String a = m.group(1);
          int colon = a.lastIndexOf(':');
          found.add(
              new InetSocketAddress(
                  a.substring(0, colon).replace("[", "").replace("]", ""),
                  Integer.parseInt(a.substring(colon + 1))));
        }
        if (found.size() >= n && out.toString().contains("Ctrl-C to stop")) {
          return found;
        }
        assertThat(exit).as(out.toString()).isNotDone();
        Thread.sleep(20);
      }
      throw new AssertionError("no listening lines: " + out);
    }

    int stop(String command) throws Exception {
      Object c = cl.getSubcommands().get(command).getCommand();
      Foreground f =
          c instanceof ProxyCommand
              ? ((ProxyCommand) c).foreground
              : ((ForwardCommand) c).foreground;
      f.stop();
      return exit.get(20, TimeUnit.SECONDS);
    }
  }

  @Test
  void proxyPrintsItsListenersAndStopsCleanly() throws Exception {
    Path pw = Files.writeString(dir.resolve("pw"), "s3cret\n");
    Running r =
        new Running(
            "proxy",
            config().toString(),
            "--socks5",
            "127.0.0.1:0",
            "--http",
            "127.0.0.1:0",
            "--socks5-user",
            "alice",
            "--socks5-password-file",
            pw.toString());
    List<InetSocketAddress> at = r.listening(2);
    assertThat(r.out.toString())
        .contains("socks5 proxy listening on 127.0.0.1:")
        .contains("(username/password required)")
        .contains("http proxy listening on 127.0.0.1:");
    try (Socket s = new Socket(at.get(0).getAddress(), at.get(0).getPort())) {
      s.setSoTimeout(5000);
      s.getOutputStream().write(new byte[] {5, 1, 2});
      assertThat(s.getInputStream().readNBytes(2)).containsExactly(5, 2);
      s.getOutputStream()
          .write(new byte[] {1, 5, 'a', 'l', 'i', 'c', 'e', 6, 's', '3', 'c', 'r', 'e', 't'});
      assertThat(s.getInputStream().readNBytes(2)).containsExactly(1, 0);
    }
    try (Socket s = new Socket(at.get(1).getAddress(), at.get(1).getPort())) {
      s.setSoTimeout(5000);
      s.getOutputStream().write("nonsense\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
          .startsWith("HTTP/1.1 400 Bad Request\r\n");
    }
    assertThat(r.stop("proxy")).isZero();
    assertThat(r.out.toString()).endsWith("stopped\n").doesNotContain("s3cret");
    assertThat(r.out.toString().lines()).allMatch(l -> l.matches("\\d\\d:\\d\\d:\\d\\d .*"));
  }

  @Test
  void forwardPrintsEachForwardAndStopsCleanly() throws Exception {
    int udpPort;
    try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      udpPort = probe.getLocalPort();
    }
    Running r =
        new Running(
            "forward",
            config().toString(),
            "-L",
            "0:10.78.0.2:80",
            "-L",
            "udp:127.0.0.1:" + udpPort + ":10.78.0.2:53",
            "-R",
            "8080:127.0.0.1:80");
    List<InetSocketAddress> at = r.listening(3);
    assertThat(at.get(0).getPort()).isPositive();
    assertThat(at.get(1).getPort()).isEqualTo(udpPort);
    assertThat(at.get(2).getPort()).isEqualTo(8080);
    assertThat(r.out.toString())
        .contains("-L 127.0.0.1:0:10.78.0.2:80 listening on 127.0.0.1:")
        .contains("-R 8080:127.0.0.1:80 listening on ")
        .contains("in the tunnel [10.78.0.1/32]");
    assertThat(r.stop("forward")).isZero();
    assertThat(r.out.toString()).endsWith("stopped\n");
  }

  @Test
  void throughARealPeerEachHandshakeIsOneLine() throws Exception {
    try (PeerNetwork peer = new PeerNetwork()) {
      Path conf = Files.writeString(dir.resolve("hpx1.conf"), peer.clientConfig());
      Running r = new Running("forward", conf.toString(), "-L", "0:" + PeerNetwork.ADDRESS + ":7");
      InetSocketAddress at = r.listening(1).get(0);
      try (Socket s = new Socket(at.getAddress(), at.getPort())) {
        s.setSoTimeout(20_000);
        s.getOutputStream().write("through the peer".getBytes(StandardCharsets.US_ASCII));
        assertThat(new String(s.getInputStream().readNBytes(16), StandardCharsets.US_ASCII))
            .isEqualTo("through the peer");
      }
      Pattern handshake =
          Pattern.compile(
              "\\d\\d:\\d\\d:\\d\\d handshake completed with peer "
                  + Pattern.quote(peer.publicKey())
                  + " in \\d+ ms\n");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!handshake.matcher(r.out.toString()).find() && System.nanoTime() < deadline) {
        Thread.sleep(20); // the listener may print just after the first data
      }
      assertThat(r.out.toString()).containsPattern(handshake);
      assertThat(r.stop("forward")).isZero();
    }
  }
}
