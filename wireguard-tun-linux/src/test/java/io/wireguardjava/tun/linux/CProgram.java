package io.wireguardjava.tun.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Compiles and runs a C program that prints {@code name=value} lines (sizes, offsets, constants as
 * the system headers define them), for the layout tests. Without a C compiler the test is skipped,
 * except under {@code CI=true}, where it fails.
 */
final class CProgram {
  private CProgram() {}

  static Map<String, Long> compileAndRun(Path dir, String source)
      throws IOException, InterruptedException {
    Path cc = Path.of("/usr/bin/cc");
    assumeTrue(Files.isExecutable(cc) || "true".equals(System.getenv("CI")), "no C compiler here");
    Path file = dir.resolve("layout.c");
    Files.writeString(file, source, StandardCharsets.US_ASCII);
    Path binary = dir.resolve("layout");
    run(List.of(cc.toString(), "-o", binary.toString(), file.toString()));
    Map<String, Long> values = new HashMap<>();
    for (String line : run(List.of(binary.toString())).split("\n")) {
      String[] kv = line.split("=");
      values.put(kv[0], Long.parseLong(kv[1]));
    }
    return values;
  }

  private static String run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("%s: %s", command, out).isZero();
    return out;
  }
}
