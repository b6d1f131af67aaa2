package io.wireguardjava.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.wireguardjava.Config;
import io.wireguardjava.Interface;
import io.wireguardjava.PrivateKey;
import io.wireguardjava.Tunnel;
import io.wireguardjava.TunnelOptions;
import io.wireguardjava.uapi.UapiClient;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Tunnel#open} serves the UAPI socket of a tunnel when its options name a directory. */
class TunnelOpenServesUapiTest {

  @Test
  void osDevicesServeTheDefaultDirectoryOthersNone() {
    assertThat(TunnelOptions.osDevice("wg0").uapiDirectory())
        .contains(TunnelOptions.DEFAULT_UAPI_DIRECTORY);
    assertThat(TunnelOptions.inProcessDevice().uapiDirectory()).isEmpty();
    assertThat(TunnelOptions.builder().osDevice("wg0").noUapi().build().uapiDirectory()).isEmpty();
    assertThat(
            TunnelOptions.builder()
                .inProcessDevice()
                .uapiDirectory(Path.of("/tmp/x"))
                .build()
                .uapiDirectory())
        .contains(Path.of("/tmp/x"));
  }

  @Test
  void openWithADirectoryServesAndCloseRemovesTheSocket(@TempDir Path dir) throws Exception {
    Config config =
        Config.builder()
            .iface(Interface.builder().privateKey(PrivateKey.generate()).build())
            .build();
    Path socket;
    try (Tunnel tunnel =
        Tunnel.open(
            config,
            TunnelOptions.builder()
                .inProcessDevice()
                .interfaceName("wguapi0")
                .bindAddress(InetAddress.getLoopbackAddress())
                .uapiDirectory(dir)
                .build())) {
      UapiClient client = new UapiClient(dir);
      socket = client.socketPath("wguapi0");
      assertThat(Files.exists(socket)).isTrue();
      assertThat(client.get("wguapi0").listenPort()).isEqualTo(tunnel.listenPort());
    }
    assertThat(Files.exists(socket)).isFalse();
  }
}
