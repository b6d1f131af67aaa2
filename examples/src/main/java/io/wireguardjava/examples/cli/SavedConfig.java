package io.wireguardjava.examples.cli;

import io.wireguardjava.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * wg-quick's {@code SaveConfig = true}: on {@code down}, the running configuration (private key,
 * listen port, peers with their current endpoints, as {@code wg showconf}) together with the file's
 * own wg-quick settings (Address, DNS, MTU, Table, hooks, SaveConfig) is written back to the file.
 * As wg-quick: mode 0600, through a temporary file renamed over the old one, so a crash leaves
 * either the old file or the new one.
 */
final class SavedConfig {
  private SavedConfig() {}

  /** Writes {@code running} to {@code file}, replacing it atomically. */
  static void write(Path file, Config running) throws IOException {
    String text = running.toWgQuickString();
    Path dir = file.toAbsolutePath().getParent();
    Path tmp =
        Files.createTempFile(
            dir,
            "." + file.getFileName(),
            ".tmp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      Files.writeString(tmp, text);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
