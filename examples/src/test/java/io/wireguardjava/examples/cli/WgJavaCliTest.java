package io.wireguardjava.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.wireguardjava.Config;
import io.wireguardjava.KeyPair;
import io.wireguardjava.PresharedKey;
import io.wireguardjava.PrivateKey;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Runs wg-java in process and compares it with the real {@code wg}. */
class WgJavaCliTest {
  private static final String KEY_LINE = "[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=\n";
  private static final String PRIV = "dwdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LCo=";
  private static final String PUB = "hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmo=";

  /** What one run printed. */
  record Run(int exitCode, String out, String err) {}

  static Run run(byte[] stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = WgJava.commandLine(new ByteArrayInputStream(stdin));
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  static Run run(String stdin, String... args) {
    return run(stdin.getBytes(StandardCharsets.UTF_8), args);
  }

  @Test
  void genkeyPrintsAClampedBase64KeyAndANewline() {
    Run r = run("", "genkey");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).matches(KEY_LINE);
    assertThat(r.err()).isEmpty();
    byte[] k = PrivateKey.fromBase64(r.out().strip()).getBytes();
    assertThat(k[0] & 7).isZero();
    assertThat(k[31] & 0xc0).isEqualTo(0x40);
    assertThat(run("", "genkey").out()).isNotEqualTo(r.out());
  }

  @Test
  void genpskPrintsABase64KeyAndANewline() {
    Run r = run("", "genpsk");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).matches(KEY_LINE);
    PresharedKey.fromBase64(r.out().strip());
  }

  @Test
  void pubkeyReadsStdinLikeWg() {
    assertThat(run(PRIV + "\n", "pubkey")).isEqualTo(new Run(0, PUB + "\n", ""));
    assertThat(run(PRIV, "pubkey")).isEqualTo(new Run(0, PUB + "\n", ""));
    assertThat(run(PRIV + " \t\r\n\n\u000b\f", "pubkey").out()).isEqualTo(PUB + "\n");
    byte[] withNuls = (PRIV + "\0\0\n").getBytes(StandardCharsets.US_ASCII);
    assertThat(run(withNuls, "pubkey").out()).isEqualTo(PUB + "\n");
    String bad = "wg-java: Key is not the correct length or format\n";
    String trailing = "wg-java: Trailing characters found after key\n";
    assertThat(run("", "pubkey")).isEqualTo(new Run(1, "", bad));
    assertThat(run("abc\n", "pubkey")).isEqualTo(new Run(1, "", bad));
    assertThat(run(PRIV.replace('C', '!'), "pubkey")).isEqualTo(new Run(1, "", bad));
    assertThat(run(" " + PRIV, "pubkey")).isEqualTo(new Run(1, "", trailing));
    assertThat(run(PRIV + "\n" + PRIV + "\n", "pubkey")).isEqualTo(new Run(1, "", trailing));
  }

  @Test
  void usageErrorsExitWithOne() {
    assertThat(run("", "pubkey", "extra").exitCode()).isEqualTo(1);
    assertThat(run("", "nosuchcommand").exitCode()).isEqualTo(1);
    assertThat(run("").exitCode()).isEqualTo(1);
    assertThat(run("", "strip").exitCode()).isEqualTo(1);
    Run help = run("", "--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).contains("genkey", "pubkey", "genpsk", "strip");
    assertThat(run("", "genkey", "--help").out()).startsWith("Usage: wg-java genkey");
  }

  @Test
  void stripPrintsTheSetconfText(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("wg0.conf");
    Files.writeString(
        file,
        "# test\n[Interface]\nPrivateKey = "
            + PRIV
            + "\nAddress = 10.0.0.1/24\nDNS = 1.1.1.1\nListenPort = 51820\nPostUp = echo up\n"
            + "\n[Peer]\nPublicKey = "
            + PUB
            + "\nAllowedIPs = 10.0.0.2/32\n");
    Run r = run("", "strip", file.toString());
    assertThat(r)
        .isEqualTo(
            new Run(
                0,
                "[Interface]\nPrivateKey = "
                    + PRIV
                    + "\nListenPort = 51820\n\n[Peer]\nPublicKey = "
                    + PUB
                    + "\nAllowedIPs = 10.0.0.2/32\n",
                ""));
  }

  @Test
  void stripOnBadInputPrintsOneLineAndExitsWithOne(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("wg0.conf");
    Files.writeString(
        file,
        String.join(
            "\n",
            "[Interface]",
            "PrivateKey = " + PRIV,
            "[Peer]",
            "PublicKey = " + PUB,
            "",
            "[Peer]",
            "PublicKey = " + KeyPair.generate().publicKey(),
            "AllowedIPs = 10.0.0.300/32",
            ""));
    Run r = run("", "strip", file.toString());
    assertThat(r)
        .isEqualTo(
            new Run(1, "", "line 8, [Peer] 2, AllowedIPs: '10.0.0.300/32' is not an IP network\n"));
    Run missing = run("", "strip", dir.resolve("nope.conf").toString());
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.err()).endsWith("does not exist\n").doesNotContain("Exception");
    assertThat(missing.err().lines()).hasSize(1);
    Files.write(file, new byte[] {(byte) 0xff, (byte) 0xfe, 0});
    Run binary = run("", "strip", file.toString());
    assertThat(binary.exitCode()).isEqualTo(1);
    assertThat(binary.err().lines()).hasSize(1);
  }

  // ------------------------------------------------------------------ against the real wg

  private static void requireWg() {
    for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/bin").split(":")) {
      if (new File(dir, "wg").canExecute()) {
        return;
      }
    }
    if ("true".equals(System.getenv("CI"))) {
      fail("wg is not installed, and CI=true requires this test to run");
    }
    Assumptions.abort("wg is not installed");
  }

  private static Run runWg(byte[] stdin, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("wg"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).start();
    try (OutputStream in = p.getOutputStream()) {
      in.write(stdin);
    } catch (IOException e) {
      // wg may exit before reading all of stdin
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("wg timed out");
    }
    return new Run(p.exitValue(), out, err);
  }

  @Test
  void pubkeyBehavesAsWgPubkeyOnTheSameInput() throws Exception {
    requireWg();
    List<byte[]> inputs =
        List.of(
            (PRIV + "\n").getBytes(StandardCharsets.US_ASCII),
            PRIV.getBytes(StandardCharsets.US_ASCII),
            (PRIV + "\r\n \t\n").getBytes(StandardCharsets.US_ASCII),
            (PRIV + "\0\n").getBytes(StandardCharsets.US_ASCII),
            (" " + PRIV + "\n").getBytes(StandardCharsets.US_ASCII),
            (PRIV + "x\n").getBytes(StandardCharsets.US_ASCII),
            (PRIV.substring(0, 43) + "A\n").getBytes(StandardCharsets.US_ASCII),
            "short\n".getBytes(StandardCharsets.US_ASCII),
            new byte[0]);
    for (byte[] input : inputs) {
      Run ours = run(input, "pubkey");
      Run wg = runWg(input, "pubkey");
      String label = new String(input, StandardCharsets.US_ASCII);
      assertThat(ours.exitCode()).as(label).isEqualTo(wg.exitCode());
      assertThat(ours.out()).as(label).isEqualTo(wg.out());
      assertThat(ours.err().replace("wg-java:", "wg:")).as(label).isEqualTo(wg.err());
    }
  }

  @Test
  void keysRoundTripThroughWg() throws Exception {
    requireWg();
    Run genkey = run("", "genkey");
    Run wgPub = runWg(genkey.out().getBytes(StandardCharsets.US_ASCII), "pubkey");
    assertThat(wgPub.exitCode()).isZero();
    assertThat(run(genkey.out(), "pubkey").out()).isEqualTo(wgPub.out());
    Run wgKey = runWg(new byte[0], "genkey");
    assertThat(run(wgKey.out(), "pubkey").out())
        .isEqualTo(runWg(wgKey.out().getBytes(StandardCharsets.US_ASCII), "pubkey").out());
    Run wgPsk = runWg(new byte[0], "genpsk");
    assertThat(wgPsk.out()).matches(KEY_LINE);
    assertThat(run("", "genpsk").out()).matches(KEY_LINE);
  }

  @Test
  void stripMeansWhatWgQuickStripPrints(@TempDir Path dir) throws Exception {
    requireWg();
    Assumptions.assumeTrue(
        "true".equals(System.getenv("CI")) || "root".equals(System.getProperty("user.name")),
        "wg-quick strip re-runs itself with sudo unless root");
    Path file = dir.resolve("wgjcli0.conf");
    Files.writeString(
        file,
        "[Interface]\nPrivateKey = "
            + PRIV
            + "\nAddress = 10.0.0.1/24\n"
            + "MTU = 1420\nFwMark = 51820\nSaveConfig = true\n[Peer]\nPublicKey = "
            + PUB
            + "\nAllowedIPs = 0.0.0.0/0\nEndpoint = example.org:51820 # comment\n");
    Process p = new ProcessBuilder("wg-quick", "strip", file.toString()).start();
    String real = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).isZero();
    Run ours = run("", "strip", file.toString());
    assertThat(Config.parseSetconf(ours.out())).isEqualTo(Config.parseSetconf(real));
  }
}
