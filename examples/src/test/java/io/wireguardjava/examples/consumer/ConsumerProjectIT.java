package io.wireguardjava.examples.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A new user's first hour, automated: the artifacts this build produced are installed (with their
 * poms, the parent and the BOM) into a private local repository under {@code target/}, a
 * stand-alone project ({@code src/it/consumer}: BOM import, the README's dependency lines, a {@code
 * module-info}) is built against it with {@code -Xlint:all -Werror}, and run on the module path
 * with the JDK running this test (CI runs the build on JDK 17 and JDK 25). It opens two tunnels,
 * sends a packet through them and checks the module boundaries.
 *
 * <p>The private repository is seeded from {@code ~/.m2} with hard links (the plugins, offline)
 * without our own artifacts; nothing is ever installed into {@code ~/.m2}.
 */
class ConsumerProjectIT {

  private static final String VERSION = "0.1.0-SNAPSHOT";

  /** The artifacts, in install order, as (directory, packaging). */
  private static final List<String[]> ARTIFACTS =
      List.of(
          new String[] {".", "pom"},
          new String[] {"wireguard-bom", "pom"},
          new String[] {"wireguard-api", "jar"},
          new String[] {"wireguard-crypto", "jar"},
          new String[] {"wireguard-uapi", "jar"},
          new String[] {"wireguard-core", "jar"},
          new String[] {"wireguard-tun-linux", "jar"});

  @Test
  void aConsumerProjectBuildsAgainstTheInstalledArtifactsAndRunsOnTheModulePath() throws Exception {
    Path root = Path.of(System.getenv("WG_JAVA_REPO_ROOT")).toAbsolutePath();
    Path work = root.resolve("examples/target/consumer-it");
    deleteTree(work);
    Path repo = work.resolve("repo");
    Files.createDirectories(work);
    Path m2 = Path.of(System.getProperty("user.home"), ".m2", "repository");
    run(work, 120, "cp", "-al", m2.toString(), repo.toString());
    deleteTree(repo.resolve("io/wireguardjava")); // only what this build installs below

    for (String[] a : ARTIFACTS) {
      Path dir = root.resolve(a[0]);
      List<String> cmd = new ArrayList<>(mvn(repo));
      cmd.add("install:install-file");
      cmd.add("-DpomFile=" + dir.resolve("pom.xml"));
      if (a[1].equals("pom")) {
        cmd.add("-Dfile=" + dir.resolve("pom.xml"));
      } else {
        Path jar = dir.resolve("target/" + dir.getFileName() + "-" + VERSION + ".jar");
        assertThat(jar).as("built by this reactor").exists();
        cmd.add("-Dfile=" + jar);
      }
      run(root, 120, cmd.toArray(String[]::new));
    }

    Path project = work.resolve("project");
    copyTree(root.resolve("examples/src/it/consumer"), project);
    List<String> build = new ArrayList<>(mvn(repo));
    build.addAll(List.of("package", "-Dwireguard.version=" + VERSION));
    run(project, 300, build.toArray(String[]::new));

    String modulePath =
        project.resolve("target/classes")
            + java.io.File.pathSeparator
            + project.resolve("target/modules");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String out =
        run(
            project,
            120,
            java,
            "--enable-native-access=org.jnrproject.jffi",
            "--module-path",
            modulePath,
            "-m",
            "example.consumer/example.consumer.Main",
            String.valueOf(freeUdpPort()),
            String.valueOf(freeUdpPort()));
    assertThat(out)
        .contains("ok: the engine was found as a service in module io.wireguardjava.core")
        .contains("ok: the packet came out of the other tunnel unchanged")
        .contains("consumer ok on Java " + Runtime.version().feature())
        .doesNotContain("WARNING");
  }

  private static List<String> mvn(Path repo) {
    return List.of("mvn", "-B", "-q", "-o", "-Dmaven.repo.local=" + repo);
  }

  /** Runs a command, returns its output (stdout and stderr); fails the test on a non-zero exit. */
  private static String run(Path dir, int timeoutSeconds, String... command) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Path log = Files.createTempFile("consumer-it", ".log");
    try {
      pb.redirectOutput(log.toFile());
      Process p = pb.start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(
            "timed out after "
                + timeoutSeconds
                + " s: "
                + String.join(" ", command)
                + "\n"
                + Files.readString(log, StandardCharsets.UTF_8));
      }
      String out = Files.readString(log, StandardCharsets.UTF_8);
      assertThat(p.exitValue()).as(String.join(" ", command) + "\n" + out).isZero();
      return out;
    } finally {
      Files.deleteIfExists(log);
    }
  }

  private static int freeUdpPort() throws IOException {
    try (DatagramSocket s = new DatagramSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target);
        }
      }
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : (Iterable<Path>) files.sorted(java.util.Comparator.reverseOrder())::iterator) {
        Files.delete(f);
      }
    }
  }
}
