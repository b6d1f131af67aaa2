package io.wireguardjava.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.wireguardjava.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SaveConfig writes the running config back as wg-quick does: whole, 0600, atomically. */
class SavedConfigTest {
  @TempDir Path dir;

  @Test
  void theRunningConfigReplacesTheFileReadableByItsOwnerOnly() throws Exception {
    Path file = Files.writeString(dir.resolve("wg0.conf"), "old\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    Config running =
        Config.parse(
            "[Interface]\nPrivateKey = "
                + io.wireguardjava.PrivateKey.generate().toBase64()
                + "\nListenPort = 51820\n"
                + "Address = 10.0.0.1/24\nPostUp = echo up\nSaveConfig = true\n\n[Peer]\nPublicKey = "
                + io.wireguardjava.PrivateKey.generate().publicKey().toBase64()
                + "\nAllowedIPs = 10.0.0.2/32\nEndpoint = 192.0.2.7:51820\n");
    SavedConfig.write(file, running);
    assertThat(Config.parse(Files.readString(file))).isEqualTo(running);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(file); // no temporary file left
    }
  }
}
