package io.wireguardjava.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code wg}; under {@code CI=true} a missing {@code wg} or root fails the test. */
final class WgTool {
  private WgTool() {}

  record Result(int exit, String out) {}

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
}
