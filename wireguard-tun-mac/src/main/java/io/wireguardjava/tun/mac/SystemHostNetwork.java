package io.wireguardjava.tun.mac;

import io.wireguardjava.tun.mac.Native.LibC;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@link HostNetwork} on a real Mac: commands through {@link ProcessBuilder} (an argument list, no
 * shell, {@code LC_ALL=C} as wg-quick sets it), MTUs through SIOCGIFMTU/SIOCSIFMTU.
 */
final class SystemHostNetwork implements HostNetwork {

  private static final long TIMEOUT_SECONDS = 30;

  private final LibC libc;

  SystemHostNetwork(LibC libc) {
    this.libc = libc;
  }

  @Override
  public Result run(List<String> command) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("LC_ALL", "C");
    Process process = pb.start();
    process.getOutputStream().close();
    String output;
    try (InputStream in = process.getInputStream()) {
      output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    try {
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException(
            String.join(" ", command) + ": no answer in " + TIMEOUT_SECONDS + "s");
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException(String.join(" ", command) + ": interrupted", e);
    }
    return new Result(process.exitValue(), output);
  }

  @Override
  public int mtu(String ifname) throws IOException {
    return Utun.mtu(libc, ifname);
  }

  @Override
  public void setMtu(String ifname, int mtu) throws IOException {
    Utun.setMtu(libc, ifname, mtu);
  }
}
