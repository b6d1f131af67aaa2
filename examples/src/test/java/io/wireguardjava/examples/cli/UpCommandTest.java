package io.wireguardjava.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.wireguardjava.Config;
import io.wireguardjava.PrivateKey;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The parts of {@code up} that need no root; the real thing runs in wireguard-tun-linux's tests.
 */
class UpCommandTest {

  @TempDir Path dir;
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int up(String target) {
    UpCommand cmd =
        new UpCommand(
            new PrintStream(new ByteArrayOutputStream(), true),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new CommandLine(cmd).execute(target);
  }

  @Test
  void aMissingFileIsReported() {
    assertThat(up(dir.resolve("wg9.conf").toString())).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("wg9.conf does not exist");
  }

  @Test
  void aBareNameMeansEtcWireguard() {
    assertThat(up("nosuchwgjava")).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("/etc/wireguard/nosuchwgjava.conf does not exist");
  }

  @Test
  void theFileNameMustBeAnInterfaceName() throws Exception {
    Path f = Files.writeString(dir.resolve("name-far-too-long-for-linux.conf"), "");
    assertThat(up(f.toString())).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("valid interface name");
  }

  @Test
  void aBadConfigIsReportedWithItsLine() throws Exception {
    Path f = Files.writeString(dir.resolve("wg7.conf"), "[Interface]\nPrivateKey = nope\n");
    assertThat(up(f.toString())).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("wg7.conf").contains("line 2");
  }

  @Test
  void aDefaultRouteWithoutListenPortGetsAFreePort() throws Exception {
    String base =
        "[Interface]\nPrivateKey = "
            + PrivateKey.generate().toBase64()
            + "\n%s\n[Peer]\n"
            + "PublicKey = "
            + PrivateKey.generate().publicKey().toBase64()
            + "\nAllowedIPs = %s\n";
    Config full = Config.parse(String.format(base, "", "0.0.0.0/0"));
    assertThat(UpCommand.withPortForDefaultRoute(full).iface().listenPort()).isPresent();
    Config split = Config.parse(String.format(base, "", "10.0.0.0/8"));
    assertThat(UpCommand.withPortForDefaultRoute(split)).isEqualTo(split);
    Config off = Config.parse(String.format(base, "Table = off", "0.0.0.0/0"));
    assertThat(UpCommand.withPortForDefaultRoute(off)).isEqualTo(off);
  }
}
