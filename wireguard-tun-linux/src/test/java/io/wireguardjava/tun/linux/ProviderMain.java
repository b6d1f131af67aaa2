package io.wireguardjava.tun.linux;

import io.wireguardjava.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A child-JVM entry point for tests: opens the TUN from a wg-quick file with {@link
 * LinuxTunProvider}, prints {@code READY}, and waits to be killed; the provider's shutdown hook
 * must undo everything on SIGTERM.
 */
public final class ProviderMain {
  private ProviderMain() {}

  public static void main(String[] args) throws Exception {
    Config config = Config.parse(Files.readString(Path.of(args[1])));
    new LinuxTunProvider().open(Optional.of(args[0]), config);
    System.out.println("READY");
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
