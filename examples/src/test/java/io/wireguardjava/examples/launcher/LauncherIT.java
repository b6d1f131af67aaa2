package io.wireguardjava.examples.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.wireguardjava.PresharedKey;
import io.wireguardjava.PrivateKey;
import io.wireguardjava.examples.lab.Lab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The launcher as wg-quick uses it, against the real tools: wg-quick up/down with
 * WG_QUICK_USERSPACE_IMPLEMENTATION=examples/bin/wireguard-java, ping through the tunnel to a
 * wireguard-go peer in another namespace, wg show/set at runtime, and the daemon's lifecycle. Runs
 * after `package` (the script needs the shaded jar); needs root and the tools (fails under CI=true
 * when they are missing).
 */
class LauncherIT {

  @BeforeAll
  static void tools() {
    Lab.requireTools("ip", "wg", "wg-quick", "wireguard-go", "ping");
  }

  @Test
  void wgQuickUpPingSetAndDownWithAWireguardGoPeer() throws Exception {
    try (Lab lab = new Lab()) {
      String nsGo = lab.namespace("g");
      String nsJava = lab.namespace("j");
      lab.veth(nsGo, nsJava, 77);
      String javaIf = lab.iface("wgj");
      PrivateKey goKey = PrivateKey.generate();
      PrivateKey javaKey = PrivateKey.generate();

      // The reference peer: wireguard-go, configured with wg.
      String goIf =
          lab.wireguardGo(nsGo, "wgg", goKey, javaKey.publicKey(), "10.77.0.2/32", "10.77.0.1/24");

      // Ours, brought up by wg-quick through the launcher.
      Path conf =
          Files.writeString(
              lab.dir.resolve(javaIf + ".conf"),
              String.join(
                  "\n",
                  "[Interface]",
                  "PrivateKey = " + javaKey.toBase64(),
                  "Address = 10.77.0.2/24",
                  "",
                  "[Peer]",
                  "PublicKey = " + goKey.publicKey().toBase64(),
                  "Endpoint = 192.168.77.1:51820",
                  "AllowedIPs = 10.77.0.1/32",
                  ""));
      List<String> env =
          List.of(
              "WG_QUICK_USERSPACE_IMPLEMENTATION=" + Lab.launcher(),
              "WG_JAVA_LOG=" + lab.dir.resolve("launcher.log"));
      Lab.Result up = lab.exec(nsJava, env, "wg-quick", "up", conf.toString());
      assertThat(up.exit()).as("wg-quick up: " + up.out() + lab.log("launcher")).isZero();
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(Lab.socket(javaIf))))
          .isEqualTo("rw-------");

      lab.exec(nsJava, "ping", "-c", "3", "-i", "0.2", "-W", "5", "10.77.0.1")
          .ok("ping through the tunnel");
      String show = lab.exec(nsJava, "wg", "show", javaIf).ok("wg show").out();
      assertThat(show)
          .contains(
              "peer: " + goKey.publicKey().toBase64(),
              "endpoint: 192.168.77.1:51820",
              "allowed ips: 10.77.0.1/32",
              "latest handshake:",
              "transfer:");
      String[] dump = lab.exec(nsJava, "wg", "show", javaIf, "dump").ok("dump").out().split("\n");
      long rx1 = Long.parseLong(dump[1].split("\t")[5]);
      lab.exec(nsJava, "ping", "-c", "2", "-i", "0.2", "-W", "5", "10.77.0.1").ok("ping again");
      long rx2 =
          Long.parseLong(
              lab.exec(nsJava, "wg", "show", javaIf, "dump").out().split("\n")[1].split("\t")[5]);
      assertThat(rx2).as("transfer counters grow").isGreaterThan(rx1);
      assertThat(lab.exec(nsJava, "wg", "showconf", javaIf).ok("showconf").out())
          .contains(
              "PrivateKey = " + javaKey.toBase64(), "PublicKey = " + goKey.publicKey().toBase64());

      // A new preshared key on both sides: traffic continues after the next handshake.
      Path psk =
          Files.writeString(lab.dir.resolve("psk"), PresharedKey.generate().toBase64() + "\n");
      lab.exec(
              nsGo,
              "wg",
              "set",
              goIf,
              "peer",
              javaKey.publicKey().toBase64(),
              "preshared-key",
              psk.toString())
          .ok("psk go");
      lab.exec(
              nsJava,
              "wg",
              "set",
              javaIf,
              "peer",
              goKey.publicKey().toBase64(),
              "preshared-key",
              psk.toString())
          .ok("psk ours");
      assertThat(lab.exec(nsJava, "wg", "show", javaIf).out()).contains("preshared key: (hidden)");

      // Remove the peer: no more traffic. Add it back with wg set: traffic again.
      lab.exec(nsJava, "wg", "set", javaIf, "peer", goKey.publicKey().toBase64(), "remove")
          .ok("remove");
      assertThat(lab.exec(nsJava, "wg", "show", javaIf).out()).doesNotContain("peer:");
      assertThat(lab.exec(nsJava, "ping", "-c", "1", "-W", "1", "10.77.0.1").exit()).isNotZero();
      lab.exec(
              nsJava,
              "wg",
              "set",
              javaIf,
              "peer",
              goKey.publicKey().toBase64(),
              "preshared-key",
              psk.toString(),
              "endpoint",
              "192.168.77.1:51820",
              "allowed-ips",
              "10.77.0.1/32")
          .ok("add back");
      lab.exec(nsJava, "ping", "-c", "2", "-i", "0.2", "-W", "5", "10.77.0.1")
          .ok("ping after re-adding the peer");

      // Replace the allowed IPs with one that does not cover the peer: traffic stops.
      lab.exec(
              nsJava,
              "wg",
              "set",
              javaIf,
              "peer",
              goKey.publicKey().toBase64(),
              "allowed-ips",
              "10.99.0.0/24")
          .ok("allowed-ips");
      assertThat(lab.exec(nsJava, "ping", "-c", "1", "-W", "1", "10.77.0.1").exit()).isNotZero();

      // wg syncconf with the original file: only the difference applied, traffic back.
      lab.exec(nsJava, "bash", "-c", "wg syncconf " + javaIf + " <(wg-quick strip " + conf + ")")
          .ok("syncconf");
      lab.exec(nsJava, "ping", "-c", "2", "-i", "0.2", "-W", "5", "10.77.0.1")
          .ok("ping after syncconf");

      // syncconf with an unchanged file changes nothing: the session (handshake time) stays.
      String handshake =
          lab.exec(nsJava, "wg", "show", javaIf, "latest-handshakes").ok("handshakes").out();
      assertThat(handshake).doesNotEndWith("\t0\n");
      lab.exec(nsJava, "bash", "-c", "wg syncconf " + javaIf + " <(wg-quick strip " + conf + ")")
          .ok("syncconf");
      assertThat(lab.exec(nsJava, "wg", "show", javaIf, "latest-handshakes").out())
          .isEqualTo(handshake);
      lab.exec(nsJava, "ping", "-c", "1", "-W", "5", "10.77.0.1").ok("ping after a no-op syncconf");
      assertThat(lab.exec(nsJava, "wg", "show", javaIf, "latest-handshakes").out())
          .isEqualTo(handshake);

      Lab.Result down = lab.exec(nsJava, env, "wg-quick", "down", conf.toString());
      assertThat(down.exit()).as("wg-quick down: " + down.out()).isZero();
      assertThat(Lab.await(Duration.ofSeconds(30), () -> !Files.exists(Lab.socket(javaIf))))
          .as("the daemon removes its socket when its interface is deleted: " + lab.log("launcher"))
          .isTrue();
      assertThat(lab.exec(nsJava, "ip", "link", "show", javaIf).exit()).isNotZero();
    }
  }

  @Test
  void detachesReturnsOnceReadyAndStopsWhenItsSocketIsRemoved() throws Exception {
    try (Lab lab = new Lab()) {
      String ns = lab.namespace("s");
      String name = lab.iface("wgs");
      List<String> env = List.of("WG_JAVA_LOG=" + lab.dir.resolve("launcher.log"));
      Lab.Result r = lab.exec(ns, env, Lab.launcher().toString(), name);
      assertThat(r.exit()).as(r.out() + lab.log("launcher")).isZero();
      // Ready means: the interface exists and the socket answers, with no key and no peers.
      lab.exec(ns, "ip", "link", "show", name).ok("the interface exists on return");
      assertThat(lab.exec(ns, "wg", "show", name, "dump").ok("wg show dump").out())
          .isEqualTo("(none)\t(none)\t" + listenPort(lab, ns, name) + "\toff\n");
      // A bad set through the real tunnel: an errno, and nothing of it applied.
      String peer = PrivateKey.generate().publicKey().toHex();
      new io.wireguardjava.uapi.UapiClient(Path.of("/var/run/wireguard"))
          .set(
              name,
              "private_key="
                  + PrivateKey.generate().toHex()
                  + "\npublic_key="
                  + peer
                  + "\nallowed_ip=10.1.0.0/16\n");
      String before = lab.exec(ns, "wg", "showconf", name).ok("showconf").out();
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () ->
                  new io.wireguardjava.uapi.UapiClient(Path.of("/var/run/wireguard"))
                      .set(
                          name,
                          "replace_peers=true\nlisten_port=1\npublic_key="
                              + peer
                              + "\nallowed_ip=10.2.0.0/33\n"))
          .isInstanceOfSatisfying(
              io.wireguardjava.uapi.UapiException.class, e -> assertThat(e.errno()).isEqualTo(-22));
      assertThat(lab.exec(ns, "wg", "showconf", name).out()).isEqualTo(before);

      Files.delete(Lab.socket(name));
      assertThat(
              Lab.await(
                  Duration.ofSeconds(30),
                  () -> lab.exec(ns, "ip", "link", "show", name).exit() != 0))
          .as("interface gone after its socket was removed: " + lab.log("launcher"))
          .isTrue();
    }
  }

  private static String listenPort(Lab lab, String ns, String name) {
    return lab.exec(ns, "wg", "show", name, "listen-port").out().trim();
  }

  @Test
  void foregroundStopsOnSigtermAndBadArgumentsFail() throws Exception {
    try (Lab lab = new Lab()) {
      assertThat(lab.run(Lab.launcher().toString()).exit()).isEqualTo(1);
      assertThat(lab.run(Lab.launcher().toString(), "-x", "wg0").out())
          .contains("Usage: wireguard-java");
      String ns = lab.namespace("f");
      String name = lab.iface("wgf");
      Process p = lab.start(ns, List.of(), "fg", Lab.launcher().toString(), "-f", name);
      assertThat(Lab.await(Duration.ofSeconds(30), () -> Files.exists(Lab.socket(name))))
          .as(lab.log("fg"))
          .isTrue();
      assertThat(p.isAlive()).as("-f stays in the foreground").isTrue();
      // SIGTERM to the JVM: `ip netns exec`, env and the script each exec the next, so the
      // process we started is the JVM itself (or, if some step forked, its descendant).
      p.descendants()
          .filter(h -> h.info().command().orElse("").endsWith("java"))
          .forEach(ProcessHandle::destroy);
      p.destroy();
      assertThat(Lab.await(Duration.ofSeconds(30), () -> !Files.exists(Lab.socket(name))))
          .as(lab.log("fg"))
          .isTrue();
      assertThat(
              Lab.await(
                  Duration.ofSeconds(30),
                  () -> lab.exec(ns, "ip", "link", "show", name).exit() != 0))
          .as("the interface goes with the daemon")
          .isTrue();
      assertThat(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as("a clean exit on SIGTERM").isIn(0, 143);
    }
  }

  /**
   * Issue 13: SIGTERM while a big {@code set} was being applied needed SIGKILL after 34 s (the
   * close waited for the apply). Now the close abandons the apply and the daemon exits at once.
   */
  @Test
  void sigtermDuringABigApplyExitsPromptly() throws Exception {
    try (Lab lab = new Lab()) {
      String ns = lab.namespace("t");
      String name = lab.iface("wgt");
      Process p = lab.start(ns, List.of(), "big", Lab.launcher().toString(), "-f", name);
      assertThat(Lab.await(Duration.ofSeconds(30), () -> Files.exists(Lab.socket(name))))
          .as(lab.log("big"))
          .isTrue();
      StringBuilder body = new StringBuilder("private_key=" + PrivateKey.generate().toHex() + "\n");
      java.util.Random rnd = new java.util.Random(1);
      for (int i = 0; i < 200_000; i++) {
        byte[] k = new byte[32];
        rnd.nextBytes(k);
        body.append("public_key=").append(io.wireguardjava.Key.fromBytes(k).toHex());
        body.append("\nallowed_ip=10.")
            .append(i >>> 16)
            .append('.')
            .append((i >>> 8) & 255)
            .append('.')
            .append(i & 255)
            .append("/32\n");
      }
      Thread client =
          new Thread(
              () -> {
                try {
                  new io.wireguardjava.uapi.UapiClient(Path.of("/var/run/wireguard"))
                      .set(name, body.toString());
                } catch (Exception e) {
                  // the daemon goes away mid-apply: expected
                }
              });
      client.setDaemon(true);
      client.start();
      Thread.sleep(3000); // the request is read and being applied
      long t0 = System.nanoTime();
      p.descendants()
          .filter(h -> h.info().command().orElse("").endsWith("java"))
          .forEach(ProcessHandle::destroy);
      p.destroy();
      assertThat(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).as(lab.log("big")).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - t0))
          .as("SIGTERM to exit during an apply")
          .isLessThan(Duration.ofSeconds(8));
      assertThat(Lab.socket(name)).doesNotExist();
    }
  }

  @Test
  void wgJavaShowAndDownAgainstTheLauncher() throws Exception {
    try (Lab lab = new Lab()) {
      // In the test's own namespace, so that `down` (run in process) sees the interface.
      String name = lab.iface("wgd");
      Lab.Result r =
          lab.run(
              List.of("WG_JAVA_LOG=" + lab.dir.resolve("launcher.log")),
              Lab.launcher().toString(),
              name);
      assertThat(r.exit()).as(r.out() + lab.log("launcher")).isZero();
      try {
        PrivateKey key = PrivateKey.generate();
        Path keyFile = Files.writeString(lab.dir.resolve("key"), key.toBase64() + "\n");
        lab.run(
                "wg",
                "set",
                name,
                "private-key",
                keyFile.toString(),
                "peer",
                PrivateKey.generate().publicKey().toBase64(),
                "allowed-ips",
                "10.55.0.0/16")
            .ok("wg set");
        java.io.StringWriter out = new java.io.StringWriter();
        picocli.CommandLine show =
            new picocli.CommandLine(new io.wireguardjava.examples.cli.ShowCommand());
        show.setOut(new java.io.PrintWriter(out, true));
        assertThat(show.execute(name)).isZero();
        assertThat(out.toString()).isEqualTo(lab.run("wg", "show", name).ok("wg show").out());

        java.io.StringWriter err = new java.io.StringWriter();
        picocli.CommandLine down =
            new picocli.CommandLine(new io.wireguardjava.examples.cli.DownCommand());
        down.setErr(new java.io.PrintWriter(err, true));
        assertThat(down.execute(name)).as(err.toString() + lab.log("launcher")).isZero();
        assertThat(Lab.socket(name)).doesNotExist();
        assertThat(Path.of("/sys/class/net", name)).doesNotExist();
        assertThat(down.execute(name)).as("nothing left to stop").isEqualTo(1);
      } finally {
        lab.run("ip", "link", "delete", "dev", name); // if a step above failed
      }
    }
  }
}
