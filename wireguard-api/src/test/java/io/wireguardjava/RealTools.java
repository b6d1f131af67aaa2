package io.wireguardjava;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs the real wireguard-tools. Under {@code CI=true} a missing tool fails the test; elsewhere it
 * skips it.
 */
final class RealTools {
  private RealTools() {}

  static boolean inCi() {
    return "true".equals(System.getenv("CI"));
  }

  /** Requires {@code tool} on the PATH: fails under CI, skips elsewhere. */
  static void require(String tool) {
    if (find(tool) == null) {
      if (inCi()) {
        fail(tool + " is not installed, and CI=true requires this test to run");
      }
      Assumptions.abort(tool + " is not installed");
    }
  }

  static String find(String tool) {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    for (String dir : (path + ":/usr/bin:/usr/sbin").split(":")) {
      File f = new File(dir, tool);
      if (f.canExecute()) {
        return f.getPath();
      }
    }
    return null;
  }

  /** The result of one command. */
  static final class Result {
    final int exitCode;
    final String stdout;
    final String stderr;

    Result(int exitCode, String stdout, String stderr) {
      this.exitCode = exitCode;
      this.stdout = stdout;
      this.stderr = stderr;
    }
  }

  /** Runs {@code command} with {@code stdin}, waiting at most 60 seconds. */
  static Result run(List<String> command, String stdin) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).start();
    try (OutputStream in = p.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    byte[][] out = new byte[2][];
    Thread errReader = new Thread(() -> out[1] = readAll(p.getErrorStream()));
    errReader.start();
    out[0] = readAll(p.getInputStream());
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("timed out: " + command);
    }
    errReader.join();
    return new Result(
        p.exitValue(),
        new String(out[0], StandardCharsets.UTF_8),
        new String(out[1], StandardCharsets.UTF_8));
  }

  private static byte[] readAll(InputStream s) {
    try {
      return s.readAllBytes();
    } catch (IOException e) {
      return new byte[0];
    }
  }
}
