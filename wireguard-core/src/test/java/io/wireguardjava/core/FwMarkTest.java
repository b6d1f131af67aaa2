package io.wireguardjava.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wireguardjava.Config;
import io.wireguardjava.Interface;
import io.wireguardjava.PrivateKey;
import io.wireguardjava.Tunnel;
import io.wireguardjava.TunnelOptions;
import io.wireguardjava.uapi.Errno;
import io.wireguardjava.uapi.UapiClient;
import io.wireguardjava.uapi.UapiException;
import io.wireguardjava.uapi.UapiServer;
import org.junit.jupiter.api.Test;

/**
 * A FwMark the engine cannot apply (no SO_MARK on a Java socket yet) is refused with a clear error,
 * never stored unapplied: at open, through {@link Tunnel#setFwMark}, and over UAPI.
 */
class FwMarkTest {

  @Test
  void aConfigWithAFwMarkIsRefusedAtOpenNamingTheSetting() {
    Config c =
        Config.builder()
            .iface(Interface.builder().privateKey(PrivateKey.generate()).fwMark(0x1234).build())
            .build();
    assertThatThrownBy(() -> Tunnel.open(c, TunnelOptions.inProcessDevice()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("FwMark = 4660")
        .hasMessageContaining("SO_MARK");
  }

  @Test
  void setFwMarkRefusesAMarkAndAcceptsZero() throws Exception {
    Config c =
        Config.builder()
            .iface(Interface.builder().privateKey(PrivateKey.generate()).build())
            .build();
    try (Tunnel t = Tunnel.open(c, TunnelOptions.inProcessDevice())) {
      assertThatThrownBy(() -> t.setFwMark(51820))
          .isInstanceOf(UnsupportedOperationException.class)
          .hasMessageContaining("FwMark = 51820");
      assertThat(t.config().iface().fwMark()).as("not stored").isEmpty();
      t.setFwMark(0);
      assertThat(t.config().iface().fwMark()).isEmpty();

      // `wg set <if> fwmark 3` gets wireguard-go's errno for a mark the socket cannot take
      java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("hua-fwmark");
      try (UapiServer server = UapiServer.start(dir, t)) {
        assertThat(server.isSocketPresent()).isTrue();
        assertThatThrownBy(() -> new UapiClient(dir).set(t.name(), "fwmark=3\n"))
            .isInstanceOfSatisfying(
                UapiException.class, e -> assertThat(e.errno()).isEqualTo(Errno.PORT_IN_USE));
      }
      assertThat(t.config().iface().fwMark()).isEmpty();
    }
  }
}
