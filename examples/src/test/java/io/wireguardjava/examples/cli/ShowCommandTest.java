package io.wireguardjava.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.wireguardjava.Config;
import io.wireguardjava.Endpoint;
import io.wireguardjava.InetNetwork;
import io.wireguardjava.Interface;
import io.wireguardjava.Key;
import io.wireguardjava.Peer;
import io.wireguardjava.PeerStats;
import io.wireguardjava.PresharedKey;
import io.wireguardjava.PrivateKey;
import io.wireguardjava.Tunnel;
import io.wireguardjava.TunnelStats;
import io.wireguardjava.uapi.UapiServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ShowCommandTest {

  @Test
  void humanUnitsAsWg() {
    assertThat(ShowCommand.bytes(0)).isEqualTo("0 B");
    assertThat(ShowCommand.bytes(1023)).isEqualTo("1023 B");
    assertThat(ShowCommand.bytes(1024)).isEqualTo("1.00 KiB");
    assertThat(ShowCommand.bytes(123_456)).isEqualTo("120.56 KiB");
    assertThat(ShowCommand.bytes(7_890_123)).isEqualTo("7.52 MiB");
    assertThat(ShowCommand.bytes(5L << 40)).isEqualTo("5.00 TiB");
    assertThat(ShowCommand.bytes(5000L << 40)).isEqualTo("5000.00 TiB");
    assertThat(ShowCommand.prettyTime(25)).isEqualTo("25 seconds");
    assertThat(ShowCommand.prettyTime(3661)).isEqualTo("1 hour, 1 minute, 1 second");
    assertThat(ShowCommand.prettyTime(366L * 86400)).isEqualTo("1 year, 1 day");
    assertThat(ShowCommand.ago(100, 100)).isEqualTo("Now");
    assertThat(ShowCommand.ago(100, 162)).isEqualTo("1 minute, 2 seconds ago");
  }

  /** A tunnel with a fixed state, as far as the UAPI reads it; every change is refused. */
  static Tunnel fixed(String name, Config config, Map<Key, PeerStats> stats) {
    return (Tunnel)
        java.lang.reflect.Proxy.newProxyInstance(
            Tunnel.class.getClassLoader(),
            new Class<?>[] {Tunnel.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "name" -> name;
                  case "listenPort" -> config.iface().listenPort().orElse(0);
                  case "config" -> config;
                  case "isClosed" -> false;
                  case "stats" ->
                      new TunnelStats(
                          config.iface().listenPort().orElse(0),
                          config.peers().stream()
                              .map(
                                  p ->
                                      stats.getOrDefault(
                                          p.publicKey(),
                                          new PeerStats(
                                              p.publicKey(),
                                              Optional.empty(),
                                              Optional.empty(),
                                              0,
                                              0,
                                              0)))
                              .toList(),
                          Map.of());
                  default -> throw new UnsupportedOperationException(method.getName());
                });
  }

  static String run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  static boolean haveWg() {
    try {
      return new ProcessBuilder("wg", "--version").start().waitFor() == 0
          && "root".equals(System.getProperty("user.name"));
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  String show(String... args) {
    java.io.StringWriter text = new java.io.StringWriter();
    picocli.CommandLine cl = new picocli.CommandLine(new ShowCommand());
    cl.setOut(new java.io.PrintWriter(text, true));
    assertThat(cl.execute(args)).isZero();
    return text.toString();
  }

  /** Our output, byte for byte the same as wg's, for the same socket. */
  @Test
  @SuppressWarnings("try") // the server only has to run while wg reads it
  void sameTextAsTheRealWg() throws Exception {
    boolean ok = haveWg();
    if ("true".equals(System.getenv("CI"))) {
      assertThat(ok).as("wg and root are required under CI=true").isTrue();
    }
    assumeTrue(ok, "needs root and wg");
    PrivateKey own = PrivateKey.generate();
    Key a = PrivateKey.generate().publicKey();
    Key b = PrivateKey.generate().publicKey();
    Key c = PrivateKey.generate().publicKey();
    long now = System.currentTimeMillis() * 1_000_000L;
    Config config =
        Config.builder()
            .iface(Interface.builder().privateKey(own).listenPort(51888).fwMark(7).build())
            .addPeer(Peer.builder().publicKey(a).build())
            .addPeer(
                Peer.builder()
                    .publicKey(b)
                    .presharedKey(PresharedKey.generate())
                    .endpoint(Endpoint.parse("[2001:db8::5]:51820"))
                    .persistentKeepalive(25)
                    .addAllowedIp(InetNetwork.parse("10.0.0.0/8"))
                    .addAllowedIp(InetNetwork.parse("fd00::/8"))
                    .build())
            .addPeer(
                Peer.builder()
                    .publicKey(c)
                    .endpoint(Endpoint.parse("192.0.2.1:1"))
                    .persistentKeepalive(3700)
                    .addAllowedIp(InetNetwork.parse("192.168.0.0/16"))
                    .build())
            .build();
    Map<Key, PeerStats> stats =
        Map.of(
            b,
            new PeerStats(
                b,
                Optional.empty(),
                Optional.of(java.time.Instant.ofEpochSecond(0, now - 3_000_000_000_000L)),
                1 << 20,
                5,
                25),
            c,
            new PeerStats(
                c,
                Optional.empty(),
                Optional.of(java.time.Instant.ofEpochSecond(0, now - 90_000_000_000L)),
                77,
                0,
                3700));
    String name = "hua" + ProcessHandle.current().pid() % 100000;
    try (UapiServer server =
        UapiServer.start(UapiServer.DEFAULT_DIRECTORY, fixed(name, config, stats))) {
      assertThat(show(name, "dump")).isEqualTo(run("wg", "show", name, "dump"));
      String ours = show(name);
      String theirs = run("wg", "show", name);
      if (!ours.equals(theirs)) { // a second may have ticked between the two
        ours = show(name);
      }
      assertThat(ours).isEqualTo(theirs);
      assertThat(show("interfaces")).contains(name);
    }
  }
}
