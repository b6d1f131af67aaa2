package io.wireguardjava;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Compares keys and configs with the real {@code wg} and {@code wg-quick}. */
class WgToolInteropTest {
  private static final int COUNT = 50;

  @BeforeAll
  static void requireWg() {
    RealTools.require("wg");
  }

  @Test
  void ourPublicKeysEqualWgPubkeyForKeysFromWgGenkey() throws Exception {
    // One shell for all 50 pairs and no subshells: process start-up dominates the test time.
    RealTools.Result r =
        RealTools.run(
            List.of(
                "bash",
                "-c",
                "set -e; keys=$(for i in {1.."
                    + COUNT
                    + "}; do wg genkey; done);"
                    + " while read -r k; do printf '%s ' \"$k\"; wg pubkey <<< \"$k\"; done <<< \"$keys\""),
            "");
    assertThat(r.exitCode).as(r.stderr).isZero();
    String[] lines = r.stdout.split("\n");
    assertThat(lines).hasSize(COUNT);
    for (String line : lines) {
      String[] pair = line.split(" ");
      PrivateKey k = PrivateKey.fromBase64(pair[0]);
      assertThat(k.toBase64()).isEqualTo(pair[0]);
      assertThat(k.publicKey().toBase64()).isEqualTo(pair[1]);
      byte[] b = k.getBytes(); // wg genkey clamps, as we do
      assertThat(b[0] & 7).isZero();
      assertThat(b[31] & 0xc0).isEqualTo(0x40);
    }
  }

  @Test
  void wgPubkeyAcceptsOurPrivateKeysAndAgrees() throws Exception {
    List<KeyPair> pairs = new ArrayList<>();
    StringBuilder input = new StringBuilder();
    for (int i = 0; i < COUNT; i++) {
      KeyPair pair = KeyPair.generate();
      pairs.add(pair);
      input.append(pair.privateKey().toBase64()).append('\n');
    }
    RealTools.Result r =
        RealTools.run(
            List.of("bash", "-c", "while read -r k; do wg pubkey <<< \"$k\" || exit 1; done"),
            input.toString());
    assertThat(r.exitCode).as(r.stderr).isZero();
    String[] lines = r.stdout.split("\n");
    assertThat(lines).hasSize(COUNT);
    for (int i = 0; i < COUNT; i++) {
      assertThat(lines[i]).isEqualTo(pairs.get(i).publicKey().toBase64());
    }
  }

  @Test
  void wgGenpskIsReadable() throws Exception {
    RealTools.Result r = RealTools.run(List.of("wg", "genpsk"), "");
    assertThat(r.exitCode).isZero();
    assertThat(r.stdout).hasSize(45).endsWith("\n");
    PresharedKey psk = PresharedKey.fromBase64(r.stdout.strip());
    assertThat(psk.toBase64()).isEqualTo(r.stdout.strip());
  }

  /**
   * {@code wg-quick strip} keeps the original lines minus the wg-quick keys; our {@link
   * Config#toSetconfString()} prints the same configuration in normal form.
   */
  @Test
  void setconfStringMeansWhatWgQuickStripPrints(@TempDir Path dir) throws Exception {
    RealTools.require("wg-quick");
    org.junit.jupiter.api.Assumptions.assumeTrue(
        RealTools.inCi() || "root".equals(System.getProperty("user.name")),
        "wg-quick strip re-runs itself with sudo unless root");
    Path file = dir.resolve("wgjtest0.conf");
    Files.writeString(file, ConfigParseTest.FULL);
    RealTools.Result r = RealTools.run(List.of("wg-quick", "strip", file.toString()), "");
    assertThat(r.exitCode).as(r.stderr).isZero();
    Config ours = Config.parse(ConfigParseTest.FULL);
    assertThat(Config.parseSetconf(r.stdout)).isEqualTo(ours.withoutWgQuickSettings());
    assertThat(Config.parseSetconf(ours.toSetconfString()))
        .isEqualTo(Config.parseSetconf(r.stdout));
  }
}
