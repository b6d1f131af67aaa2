package io.wireguardjava.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.wireguardjava.Key;
import io.wireguardjava.PresharedKey;
import io.wireguardjava.PrivateKey;
import io.wireguardjava.core.uapi.DeviceSettings;
import io.wireguardjava.core.uapi.PeerRuntime;
import io.wireguardjava.core.uapi.PeerSettings;
import io.wireguardjava.core.uapi.Prefix;
import io.wireguardjava.core.uapi.UapiBackend;
import io.wireguardjava.core.uapi.UapiServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
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

  /** A device with a fixed state. */
  record Fixed(DeviceSettings settings, Map<Key, PeerRuntime> runtimes) implements UapiBackend {
    @Override
    public void update(UnaryOperator<DeviceSettings> change) {
      throw new UnsupportedOperationException();
    }

    @Override
    public int boundListenPort() {
      return settings.listenPort();
    }

    @Override
    public PeerRuntime runtime(Key peer) {
      return runtimes.getOrDefault(peer, PeerRuntime.NONE);
    }
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
    DeviceSettings settings =
        new DeviceSettings(
            Optional.of(own),
            51888,
            7,
            List.of(
                new PeerSettings(a, Optional.empty(), Optional.empty(), 0, List.of()),
                new PeerSettings(
                    b,
                    Optional.of(PresharedKey.generate()),
                    Optional.of(new InetSocketAddress("2001:db8::5", 51820)),
                    25,
                    List.of(Prefix.parse("10.0.0.0/8"), Prefix.parse("fd00::/8"))),
                new PeerSettings(
                    c,
                    Optional.empty(),
                    Optional.of(new InetSocketAddress("192.0.2.1", 1)),
                    3700,
                    List.of(Prefix.parse("192.168.0.0/16")))));
    Map<Key, PeerRuntime> runtimes =
        Map.of(
            b, new PeerRuntime(Optional.empty(), now - 3_000_000_000_000L, 1 << 20, 5),
            c, new PeerRuntime(Optional.empty(), now - 90_000_000_000L, 77, 0));
    String name = "wgs" + ProcessHandle.current().pid() % 100000;
    try (UapiServer server = UapiServer.start(name, new Fixed(settings, runtimes))) {
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
