package io.wireguardjava.examples.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.wireguardjava.PrivateKey;
import io.wireguardjava.examples.cli.WgJava;
import io.wireguardjava.examples.lab.Lab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code wg-java up} end to end, as a user runs it: {@code WgJava up} in a child JVM (on the test
 * class path, so it always runs the classes just built) inside a network namespace, brought up from
 * {@code ./<name>.conf} whose only peer is wireguard-go in another namespace (veth between them)
 * and whose AllowedIPs is {@code 0.0.0.0/0, ::/0}: a full tunnel, with wg-quick's policy rules.
 * With the Linux UDP transport those are wg-quick's own ({@code not fwmark 0xca6c}, the socket
 * marked with {@code SO_MARK}); with the portable JDK transport, which cannot mark, the fallback on
 * the source port. Pings through the tunnel reach the peer's tunnel address, its endpoint address
 * and a host address behind it, so the tunnel's own UDP packets did not loop into the tunnel. The
 * handshake is logged and the real {@code wg show} reports it through the UAPI socket that
 * Tunnel.open serves; SIGTERM then removes the link, its address, routes, rules and socket. Needs
 * root and the tools (fails under CI=true when they are missing).
 */
class WgJavaUpIT {

  @BeforeAll
  static void tools() {
    Lab.requireTools("ip", "wg", "wireguard-go", "ping");
  }

  @Test
  void upWithTheLinuxTransportMarksItsSocketAndUsesWgQuicksOwnRules() throws Exception {
    upPingsAWireguardGoPeerShowsInWgAndUndoesEverythingOnSigterm("linux");
  }

  @Test
  void upWithTheJdkTransportFallsBackToTheSourcePortRule() throws Exception {
    upPingsAWireguardGoPeerShowsInWgAndUndoesEverythingOnSigterm("jdk");
  }

  private static void upPingsAWireguardGoPeerShowsInWgAndUndoesEverythingOnSigterm(String transport)
      throws Exception {
    boolean marked = transport.equals("linux");
    try (Lab lab = new Lab()) {
      String nsGo = lab.namespace("ug");
      String nsJava = lab.namespace("uj");
      lab.veth(nsGo, nsJava, 78);
      String javaIf = lab.iface("wuj");
      PrivateKey goKey = PrivateKey.generate();
      PrivateKey javaKey = PrivateKey.generate();

      // The reference peer: wireguard-go, configured with wg.
      lab.wireguardGo(nsGo, "wug", goKey, javaKey.publicKey(), "10.78.0.2/32", "10.78.0.1/24");
      lab.exec(nsGo, "ip", "addr", "add", "10.178.0.1/32", "dev", "lo").ok("a host behind");

      // Ours: `wg-java up ./<name>.conf` in its own JVM, in the file's directory. No ListenPort
      // and a /0: marked, the socket's packets skip table 51820 (wg-quick's first table, where the
      // default route goes) by their mark; unmarked, up picks a free port for the rule instead.
      Files.writeString(
          lab.dir.resolve(javaIf + ".conf"),
          String.join(
              "\n",
              "[Interface]",
              "PrivateKey = " + javaKey.toBase64(),
              "Address = 10.78.0.2/24",
              "",
              "[Peer]",
              "PublicKey = " + goKey.publicKey().toBase64(),
              "Endpoint = 192.168.78.1:51820",
              "AllowedIPs = 0.0.0.0/0, ::/0",
              ""));
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      // `ip netns exec` and `env` exec the next program: the process we hold is the JVM itself.
      Process up =
          lab.start(
              nsJava,
              List.of("--chdir=" + lab.dir),
              "up",
              java,
              "-Dio.wireguardjava.udp.transport=" + transport,
              "-cp",
              System.getProperty("java.class.path"),
              WgJava.class.getName(),
              "up",
              "./" + javaIf + ".conf");
      try {
        assertThat(Lab.await(Duration.ofSeconds(20), () -> logOf(lab).contains("is up")))
            .as("up: " + logOf(lab))
            .isTrue();
        assertThat(up.isAlive()).as("up stays in the foreground").isTrue();
        String port =
            lab.exec(nsJava, "wg", "show", javaIf, "listen-port").ok("listen-port").out().trim();
        String selector =
            marked ? "not from all fwmark 0xca6c" : "not from all ipproto udp sport " + port;
        for (String family : List.of("-4", "-6")) {
          assertThat(lab.exec(nsJava, "ip", family, "rule").out())
              .contains(selector + " lookup 51820")
              .contains("from all lookup main suppress_prefixlength 0");
          assertThat(lab.exec(nsJava, "ip", family, "route", "show", "table", "51820").out())
              .contains("default dev " + javaIf);
        }
        String sockets = lab.exec(nsJava, "ss", "-u", "-a", "-n", "-e").ok("ss").out();
        if (marked) {
          assertThat(sockets).as("the socket carries the mark").contains("fwmark:0xca6c");
        } else {
          assertThat(sockets).doesNotContain("fwmark");
        }

        lab.exec(nsJava, "ping", "-c", "3", "-i", "0.2", "-W", "5", "10.78.0.1")
            .ok("ping through the tunnel");
        lab.exec(nsJava, "ping", "-c", "2", "-i", "0.2", "-W", "5", "192.168.78.1")
            .ok("ping the endpoint's address (through the tunnel too)");
        lab.exec(nsJava, "ping", "-c", "2", "-i", "0.2", "-W", "5", "10.178.0.1")
            .ok("ping a host behind the peer");
        String handshakeLine = "handshake completed with peer " + goKey.publicKey().toBase64();
        assertThat(Lab.await(Duration.ofSeconds(30), () -> logOf(lab).contains(handshakeLine)))
            .as("one log line per handshake: " + logOf(lab))
            .isTrue();
        assertThat(logOf(lab).lines().filter(l -> l.contains(handshakeLine)).count())
            .as("exactly one handshake so far: " + logOf(lab))
            .isEqualTo(1);

        String show = lab.exec(nsJava, "wg", "show", javaIf).ok("wg show").out();
        assertThat(show)
            .contains(
                "interface: " + javaIf,
                "listening port: " + port,
                "peer: " + goKey.publicKey().toBase64(),
                "endpoint: 192.168.78.1:51820",
                "allowed ips: 0.0.0.0/0, ::/0",
                "latest handshake:",
                "transfer:");
        if (marked) {
          assertThat(show).contains("fwmark: 0xca6c");
        }
        String handshakes =
            lab.exec(nsJava, "wg", "show", javaIf, "latest-handshakes").ok("handshakes").out();
        assertThat(handshakes)
            .startsWith(goKey.publicKey().toBase64() + "\t")
            .doesNotEndWith("\t0\n");

        up.destroy(); // SIGTERM to the JVM
        assertThat(up.waitFor(15, TimeUnit.SECONDS))
            .as("up exits on SIGTERM: " + logOf(lab))
            .isTrue();
        assertThat(up.exitValue()).as("a clean exit on SIGTERM: " + logOf(lab)).isIn(0, 143);
      } finally {
        up.destroyForcibly();
      }
      assertThat(lab.exec(nsJava, "ip", "link", "show", javaIf).exit()).as("link gone").isNotZero();
      assertThat(lab.exec(nsJava, "ip", "addr").ok("ip addr").out()).doesNotContain("10.78.0.2");
      assertThat(lab.exec(nsJava, "ip", "route", "show", "table", "all").ok("routes").out())
          .doesNotContain(javaIf)
          .doesNotContain("10.78.0.");
      for (String family : List.of("-4", "-6")) {
        assertThat(lab.exec(nsJava, "ip", family, "rule").ok("ip rule").out())
            .doesNotContain("sport")
            .doesNotContain("fwmark")
            .doesNotContain("suppress_prefixlength");
      }
      assertThat(Lab.socket(javaIf)).as("UAPI socket removed").doesNotExist();
    }
  }

  private static String logOf(Lab lab) {
    try {
      return lab.log("up");
    } catch (java.io.IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }
}
