package io.wireguardjava.examples.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.wireguardjava.Config;
import io.wireguardjava.Key;
import io.wireguardjava.Peer;
import io.wireguardjava.PrivateKey;
import io.wireguardjava.examples.cli.WgJava;
import io.wireguardjava.examples.lab.Lab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code wg-java up} with what wg-quick users put in their files: no PrivateKey and {@code PostUp =
 * wg set %i private-key ...}, {@code SaveConfig = true} written back on down and brought up again,
 * and a full tunnel with a FwMark the engine cannot apply, refused in one line. Against
 * wireguard-go in another namespace, as {@link WgJavaUpIT}. Needs root and the tools (fails under
 * CI=true when they are missing).
 */
class WgJavaUpEdgesIT {

  @BeforeAll
  static void tools() {
    Lab.requireTools("ip", "wg", "wireguard-go", "ping");
  }

  /** wireguard-go in {@code ns} at 10.79.0.1, listening on 51820, with one peer. */
  private static String wireguardGo(Lab lab, String ns, PrivateKey key, Key peer) throws Exception {
    return lab.wireguardGo(ns, "weg", key, peer, "10.79.0.2/32", "10.79.0.1/24");
  }

  private static Process up(Lab lab, String ns, String log, String conf) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return lab.start(
        ns,
        List.of("--chdir=" + lab.dir),
        log,
        java,
        "-cp",
        System.getProperty("java.class.path"),
        WgJava.class.getName(),
        "up",
        conf);
  }

  private static void stop(Lab lab, Process up, String log) throws Exception {
    up.destroy(); // SIGTERM, as Ctrl-C or systemd would
    assertThat(up.waitFor(15, TimeUnit.SECONDS)).as("exits: " + lab.log(log)).isTrue();
  }

  @Test
  void keylessConfigGetsItsKeyFromPostUpAndSaveConfigWritesTheRunningConfigBack() throws Exception {
    try (Lab lab = new Lab()) {
      String nsGo = lab.namespace("eg");
      String nsJava = lab.namespace("ej");
      lab.veth(nsGo, nsJava, 79);
      PrivateKey goKey = PrivateKey.generate();
      PrivateKey javaKey = PrivateKey.generate();
      wireguardGo(lab, nsGo, goKey, javaKey.publicKey());
      String javaIf = lab.iface("wej");
      Path keyFile = lab.dir.resolve("private.key");
      Files.writeString(keyFile, javaKey.toBase64() + "\n");
      Path conf = lab.dir.resolve(javaIf + ".conf");
      Files.writeString(
          conf,
          String.join(
              "\n",
              "[Interface]",
              "Address = 10.79.0.2/24",
              "ListenPort = 51830",
              "PostUp = wg set %i private-key " + keyFile,
              "SaveConfig = true",
              "",
              "[Peer]",
              "PublicKey = " + goKey.publicKey().toBase64(),
              "Endpoint = 192.168.79.1:51820",
              "AllowedIPs = 10.79.0.1/32",
              ""));

      Process up = up(lab, nsJava, "up1", "./" + javaIf + ".conf");
      try {
        assertThat(Lab.await(Duration.ofSeconds(20), () -> log(lab, "up1").contains("is up")))
            .as("up: " + log(lab, "up1"))
            .isTrue();
        assertThat(lab.exec(nsJava, "wg", "show", javaIf, "public-key").ok("public key").out())
            .as("the key PostUp gave")
            .isEqualTo(javaKey.publicKey().toBase64() + "\n");
        lab.exec(nsJava, "ping", "-c", "2", "-i", "0.2", "-W", "5", "10.79.0.1").ok("ping");
        // a change made while running, to be saved
        lab.exec(
                nsJava,
                "wg",
                "set",
                javaIf,
                "peer",
                PrivateKey.generate().publicKey().toBase64(),
                "allowed-ips",
                "10.79.0.9/32")
            .ok("wg set peer");
        stop(lab, up, "up1");
      } finally {
        up.destroyForcibly();
      }
      assertThat(log(lab, "up1")).contains("saved the running configuration");
      Config saved = Config.parse(Files.readString(conf));
      assertThat(saved.iface().privateKey()).as("the key from PostUp is saved").contains(javaKey);
      assertThat(saved.iface().listenPort()).contains(51830);
      assertThat(saved.iface().saveConfig()).isTrue();
      assertThat(saved.iface().postUp()).containsExactly("wg set %i private-key " + keyFile);
      assertThat(saved.peers()).hasSize(2);
      Peer go = saved.peer(goKey.publicKey()).orElseThrow();
      assertThat(go.endpoint().orElseThrow().toString()).isEqualTo("192.168.79.1:51820");
      assertThat(saved.peers().get(1).allowedIps())
          .extracting(Object::toString)
          .containsExactly("10.79.0.9/32");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(conf)))
          .isEqualTo("rw-------");

      // round trip: the saved file brings the same tunnel up again
      Process again = up(lab, nsJava, "up2", "./" + javaIf + ".conf");
      try {
        assertThat(Lab.await(Duration.ofSeconds(20), () -> log(lab, "up2").contains("is up")))
            .as("up again: " + log(lab, "up2"))
            .isTrue();
        lab.exec(nsJava, "ping", "-c", "2", "-i", "0.2", "-W", "5", "10.79.0.1").ok("ping again");
        assertThat(lab.exec(nsJava, "wg", "show", javaIf, "peers").ok("peers").out().lines())
            .hasSize(2);
        stop(lab, again, "up2");
      } finally {
        again.destroyForcibly();
      }
      assertThat(Config.parse(Files.readString(conf)))
          .as("saved again, unchanged")
          .isEqualTo(saved);
    }
  }

  @Test
  void aFwMarkTheJdkTransportCannotApplyIsRefusedInOneLine() throws Exception {
    try (Lab lab = new Lab()) {
      String ns = lab.namespace("ef");
      String javaIf = lab.iface("wef");
      Files.writeString(
          lab.dir.resolve(javaIf + ".conf"),
          String.join(
              "\n",
              "[Interface]",
              "PrivateKey = " + PrivateKey.generate().toBase64(),
              "Address = 10.79.0.2/24",
              "FwMark = 51820",
              "",
              "[Peer]",
              "PublicKey = " + PrivateKey.generate().publicKey().toBase64(),
              "Endpoint = 192.168.79.1:51820",
              "AllowedIPs = 0.0.0.0/0",
              ""));
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Lab.Result r =
          lab.exec(
              ns,
              List.of("--chdir=" + lab.dir),
              java,
              "-Dio.wireguardjava.udp.transport=jdk", // the portable one cannot mark
              "-cp",
              System.getProperty("java.class.path"),
              WgJava.class.getName(),
              "up",
              "./" + javaIf + ".conf");
      assertThat(r.exit()).as(r.out()).isEqualTo(1);
      assertThat(r.out().lines().toList())
          .as("one line")
          .singleElement()
          .asString()
          .startsWith("wg-java up: " + javaIf + ": FwMark = 51820 cannot be applied");
      assertThat(lab.exec(ns, "ip", "link", "show", javaIf).exit()).as("no interface").isNotZero();
      assertThat(lab.exec(ns, "ip", "rule").ok("ip rule").out()).doesNotContain("51820");
      assertThat(Lab.socket(javaIf)).doesNotExist();
    }
  }

  private static String log(Lab lab, String name) {
    try {
      return lab.log(name);
    } catch (java.io.IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }
}
