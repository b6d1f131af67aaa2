package io.wireguardjava.uapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.wireguardjava.Config;
import io.wireguardjava.Endpoint;
import io.wireguardjava.Key;
import io.wireguardjava.Peer;
import io.wireguardjava.PeerStats;
import io.wireguardjava.PresharedKey;
import io.wireguardjava.PrivateKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code wg} from wireguard-tools against our socket in {@code /var/run/wireguard}, with
 * an in-memory backend: no TUN, no engine. Needs root and {@code wg}; under {@code CI=true} their
 * absence fails the test instead of skipping it.
 */
class WgToolInteropTest {
  @TempDir Path tmp;
  final String name = "hua" + ProcessHandle.current().pid() % 100000;
  final FakeTunnel backend = new FakeTunnel(name);
  UapiServer server;

  static void requireTools() {
    boolean ok = canRun("wg", "--version") && "root".equals(System.getProperty("user.name"));
    if ("true".equals(System.getenv("CI"))) {
      assertThat(ok).as("wg and root are required under CI=true").isTrue();
    }
    assumeTrue(ok, "needs root and wg (wireguard-tools)");
  }

  static boolean canRun(String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  record Result(int exit, String out) {}

  static Result run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), out);
  }

  static String ok(String... cmd) throws Exception {
    Result r = run(cmd);
    assertThat(r.exit()).as(String.join(" ", cmd) + " -> " + r.out()).isZero();
    return r.out();
  }

  @BeforeEach
  void start() throws Exception {
    requireTools();
    server = UapiServer.start(UapiServer.DEFAULT_DIRECTORY, backend);
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void showDumpShowconfOfAConfiguredDevice() throws Exception {
    PrivateKey own = PrivateKey.generate();
    Key peer = PrivateKey.generate().publicKey();
    PresharedKey psk = PresharedKey.generate();
    backend.set(
        Fixtures.config(
            Optional.of(own),
            51999,
            0x42,
            List.of(
                Fixtures.peer(
                    peer,
                    Optional.of(psk),
                    Optional.of(Endpoint.parse("192.0.2.7:51820")),
                    25,
                    List.of(Fixtures.prefix("10.7.0.0/16"), Fixtures.prefix("fd00:7::/64"))))));
    long now = System.currentTimeMillis() * 1_000_000L;
    backend.stats.put(
        peer,
        new PeerStats(
            peer,
            Optional.empty(),
            Optional.of(java.time.Instant.ofEpochSecond(0, now - 5_000_000_000L)),
            123_456,
            7_890_123,
            25));

    String show = ok("wg", "show", name);
    assertThat(show)
        .contains("interface: " + name)
        .contains("public key: " + own.publicKey().toBase64())
        .contains("private key: (hidden)")
        .contains("listening port: 51999")
        .contains("fwmark: 0x42")
        .contains("peer: " + peer.toBase64())
        .contains("preshared key: (hidden)")
        .contains("endpoint: 192.0.2.7:51820")
        .contains("allowed ips: 10.7.0.0/16, fd00:7::/64")
        .containsPattern("latest handshake: [567] seconds ago") // a second may tick meanwhile
        .contains("transfer: 120.56 KiB received, 7.52 MiB sent")
        .contains("persistent keepalive: every 25 seconds");
    assertThat(ok("wg", "show", "interfaces")).contains(name);

    String[] dump = ok("wg", "show", name, "dump").split("\n");
    assertThat(dump[0].split("\t"))
        .containsExactly(own.toBase64(), own.publicKey().toBase64(), "51999", "0x42");
    assertThat(dump[1].split("\t"))
        .containsExactly(
            peer.toBase64(),
            psk.toBase64(),
            "192.0.2.7:51820",
            "10.7.0.0/16,fd00:7::/64",
            Long.toString((now - 5_000_000_000L) / 1_000_000_000L),
            "123456",
            "7890123",
            "25");

    String conf = ok("wg", "showconf", name);
    assertThat(conf)
        .contains("ListenPort = 51999")
        .contains("FwMark = 0x42")
        .contains("PrivateKey = " + own.toBase64())
        .contains("PublicKey = " + peer.toBase64())
        .contains("PresharedKey = " + psk.toBase64())
        .contains("AllowedIPs = 10.7.0.0/16, fd00:7::/64")
        .contains("Endpoint = 192.0.2.7:51820")
        .contains("PersistentKeepalive = 25");
  }

  @Test
  void wgSetAddsChangesAndRemovesPeers() throws Exception {
    PrivateKey own = PrivateKey.generate();
    Path keyFile = Files.writeString(tmp.resolve("key"), own.toBase64() + "\n");
    Key peer = PrivateKey.generate().publicKey();
    PresharedKey psk = PresharedKey.generate();
    Path pskFile = Files.writeString(tmp.resolve("psk"), psk.toBase64() + "\n");

    ok(
        "wg",
        "set",
        name,
        "private-key",
        keyFile.toString(),
        "listen-port",
        "40001",
        "peer",
        peer.toBase64(),
        "allowed-ips",
        "10.1.0.0/24,10.2.0.0/24",
        "endpoint",
        "127.0.0.1:40002");
    Peer p = backend.config().peer(peer).orElseThrow();
    assertThat(backend.config().iface().privateKey()).contains(own);
    assertThat(backend.config().iface().listenPort().orElse(0)).isEqualTo(40001);
    assertThat(p.allowedIps())
        .containsExactly(Fixtures.prefix("10.1.0.0/24"), Fixtures.prefix("10.2.0.0/24"));
    assertThat(p.endpoint()).contains(Endpoint.parse("127.0.0.1:40002"));

    ok("wg", "set", name, "peer", peer.toBase64(), "preshared-key", pskFile.toString());
    assertThat(backend.config().peer(peer).orElseThrow().presharedKey()).contains(psk);

    // wg set ... allowed-ips replaces the list.
    ok("wg", "set", name, "peer", peer.toBase64(), "allowed-ips", "10.3.0.0/24");
    assertThat(backend.config().peer(peer).orElseThrow().allowedIps())
        .containsExactly(Fixtures.prefix("10.3.0.0/24"));

    ok("wg", "set", name, "peer", peer.toBase64(), "remove");
    assertThat(backend.config().peers()).isEmpty();
  }

  @Test
  void wgSetconfAndSyncconf() throws Exception {
    PrivateKey own = PrivateKey.generate();
    Key a = PrivateKey.generate().publicKey();
    Key b = PrivateKey.generate().publicKey();
    Key c = PrivateKey.generate().publicKey();
    Path conf = tmp.resolve("wg.conf");
    Files.writeString(
        conf,
        String.join(
            "\n",
            "[Interface]",
            "PrivateKey = " + own.toBase64(),
            "ListenPort = 40010",
            "",
            "[Peer]",
            "PublicKey = " + a.toBase64(),
            "AllowedIPs = 10.0.1.0/24",
            "",
            "[Peer]",
            "PublicKey = " + b.toBase64(),
            "AllowedIPs = 10.0.2.0/24",
            "Endpoint = 127.0.0.1:1",
            ""));
    ok("wg", "setconf", name, conf.toString());
    assertThat(backend.config().peers()).extracting(Peer::publicKey).containsExactly(a, b);
    int updates = backend.updates;

    // syncconf: drop b, add c, change a's allowed IPs; counters of a must survive (no re-creation).
    Files.writeString(
        conf,
        String.join(
            "\n",
            "[Interface]",
            "PrivateKey = " + own.toBase64(),
            "ListenPort = 40010",
            "",
            "[Peer]",
            "PublicKey = " + a.toBase64(),
            "AllowedIPs = 10.0.1.0/24, 10.0.9.0/24",
            "",
            "[Peer]",
            "PublicKey = " + c.toBase64(),
            "AllowedIPs = 10.0.3.0/24",
            ""));
    ok("wg", "syncconf", name, conf.toString());
    assertThat(backend.updates).isEqualTo(updates + 1);
    assertThat(backend.config().peers())
        .extracting(Peer::publicKey)
        .containsExactlyInAnyOrder(a, c);
    assertThat(backend.config().peer(a).orElseThrow().allowedIps())
        .containsExactly(Fixtures.prefix("10.0.1.0/24"), Fixtures.prefix("10.0.9.0/24"));
    assertThat(ok("wg", "showconf", name)).doesNotContain(b.toBase64()).contains(c.toBase64());
  }

  @Test
  void failedSetIsReportedByWgAndChangesNothing() throws Exception {
    ok("wg", "set", name, "listen-port", "40020");
    Config before = backend.config();
    backend.takenPort = 40021;
    Result r =
        run(
            "wg",
            "set",
            name,
            "listen-port",
            "40021",
            "peer",
            PrivateKey.generate().publicKey().toBase64());
    assertThat(r.exit()).isNotZero();
    assertThat(r.out()).contains("Address already in use");
    assertThat(backend.config()).isEqualTo(before);
  }

  @Test
  void socketIsOwnerOnly() throws Exception {
    String mode = ok("stat", "-c", "%a %F", server.socketPath().toString()).trim();
    assertThat(mode).isEqualTo("600 socket");
    assertThat(ok("stat", "-c", "%a", "/var/run/wireguard").trim()).isEqualTo("755");
    // nobody (another user) cannot connect.
    Result r =
        run("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "wg", "show", name);
    assertThat(r.exit()).isNotZero();
    assertThat(r.out()).containsAnyOf("Permission denied", "Operation not permitted", "No such");
  }
}
