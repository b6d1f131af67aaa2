package io.wireguardjava.tun.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinuxTunSupportTest {

  @TempDir Path dir;

  @Test
  void notLinux() {
    assertThat(LinuxTunSupport.probe("Mac OS X", dir, dir.resolve("status")))
        .hasValueSatisfying(c -> assertThat(c).contains("needs Linux").contains("Mac OS X"));
  }

  @Test
  void noTunDevice() {
    assertThat(LinuxTunSupport.probe("Linux", dir.resolve("tun"), dir.resolve("status")))
        .hasValueSatisfying(c -> assertThat(c).contains("does not exist").contains("modprobe tun"));
  }

  @Test
  void noCapNetAdmin() throws Exception {
    Path tun = Files.createFile(dir.resolve("tun"));
    Path status =
        Files.writeString(
            dir.resolve("status"),
            "Name:\tjava\nCapInh:\t0000000000000000\nCapEff:\t0000000000000000\n");
    assertThat(LinuxTunSupport.probe("Linux", tun, status))
        .hasValueSatisfying(c -> assertThat(c).contains("CAP_NET_ADMIN"));
  }

  @Test
  void availableWithCapNetAdmin() throws Exception {
    Path tun = Files.createFile(dir.resolve("tun"));
    Path status = Files.writeString(dir.resolve("status"), "CapEff:\t0000000000001000\n");
    assertThat(LinuxTunSupport.probe("Linux", tun, status)).isEmpty();
  }
}
