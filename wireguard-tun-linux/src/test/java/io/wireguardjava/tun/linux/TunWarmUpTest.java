package io.wireguardjava.tun.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.wireguardjava.tun.linux.internal.LibC;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The TUN warm-up: the real device code over a socket pair (splits, merges, both families), and
 * nothing left behind; off when the property says so.
 */
class TunWarmUpTest {
  private static final int OFFLOADS = LibC.TUN_F_CSUM | LibC.TUN_F_TSO4 | LibC.TUN_F_TSO6;

  @BeforeEach
  void onLinux() {
    assumeTrue(
        System.getProperty("os.name").startsWith("Linux") || "true".equals(System.getenv("CI")));
    LibC.get(); // loading the binding opens descriptors of its own, once: not the warm-up's
  }

  @Test
  void offloadingDeviceSplitsAndMergesEverySuperPacketAndClosesEverything() throws Exception {
    long fds = openDescriptors();

    TunWarmUp.Outcome o = TunWarmUp.run(800, true, OFFLOADS, 1420);

    // every eighth round is an IPv4 TSO super-packet, every eighth an IPv6 one
    assertThat(o).isEqualTo(new TunWarmUp.Outcome(800, 200, 200, 0));
    assertThat(openDescriptors()).isEqualTo(fds);
    assertThat(warmUpThreads()).isEmpty();
  }

  @Test
  void plainDeviceCarriesItsPacketsOneByOne() throws Exception {
    long fds = openDescriptors();

    TunWarmUp.Outcome o = TunWarmUp.run(300, false, 0, 1280);

    assertThat(o).isEqualTo(new TunWarmUp.Outcome(300, 0, 0, 0));
    assertThat(openDescriptors()).isEqualTo(fds);
    assertThat(warmUpThreads()).isEmpty();
  }

  @Test
  void framesAreWhatTheDeviceAccepts() {
    GsoSplit split = new GsoSplit();
    byte[][] frames = TunWarmUp.frames(true, 1420);
    int[] expected = {1, 1, 1, 8, 8}; // ping, UDP, ACK, two super-packets of 8 segments
    for (int i = 0; i < frames.length; i++) {
      assertThat(split.begin(frames[i], 0, frames[i].length))
          .as("frame %d", i)
          .isEqualTo(expected[i]);
      byte[] p = new byte[1420];
      for (int k = 0; k < expected[i]; k++) {
        assertThat(split.length(k)).isLessThanOrEqualTo(1420);
        int n = split.write(k, p, 0);
        if (i != 0) { // the split completed the transport checksum (ICMP's was complete)
          boolean v6 = (p[0] >> 4) == 6;
          int ipLen = v6 ? 40 : 20;
          int proto = v6 ? p[6] : p[9];
          assertThat(Checksum.transportValid(p, 0, n, ipLen, v6, proto)).isTrue();
        }
      }
    }
  }

  @Test
  void offWhenThePropertySaysSo() {
    String before = System.getProperty(TunWarmUp.PROPERTY);
    System.setProperty(TunWarmUp.PROPERTY, "false");
    try {
      assertThat(TunWarmUp.startOnce(true, OFFLOADS, 1420)).isFalse();
      assertThat(warmUpThreads()).isEmpty();
    } finally {
      restore(before);
    }
  }

  @Test
  void startsOnceInTheBackgroundAndEnds() throws Exception {
    String before = System.getProperty(TunWarmUp.PROPERTY);
    System.setProperty(TunWarmUp.PROPERTY, "true");
    try {
      long fds = openDescriptors();
      assertThat(TunWarmUp.startOnce(true, OFFLOADS, 1420)).isTrue();
      assertThat(TunWarmUp.startOnce(true, OFFLOADS, 1420)).isFalse(); // once per JVM
      long deadline = System.nanoTime() + 2 * TunWarmUp.DEADLINE_NANOS;
      while (!warmUpThreads().isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(warmUpThreads()).isEmpty();
      assertThat(openDescriptors()).isEqualTo(fds);
    } finally {
      restore(before);
    }
  }

  private static void restore(String before) {
    if (before == null) {
      System.clearProperty(TunWarmUp.PROPERTY);
    } else {
      System.setProperty(TunWarmUp.PROPERTY, before);
    }
  }

  /** A live thread of the warm-up (either of its two), if any. */
  private static Optional<String> warmUpThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("wg-java-tun-warm-up"))
        .map(Thread::getName)
        .findFirst();
  }

  private static long openDescriptors() throws IOException {
    try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
      return s.count();
    }
  }
}
