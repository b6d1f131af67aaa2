package io.wireguardjava.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.wireguardjava.Config;
import io.wireguardjava.InetNetwork;
import io.wireguardjava.Interface;
import io.wireguardjava.Peer;
import io.wireguardjava.PrivateKey;
import io.wireguardjava.Tunnel;
import io.wireguardjava.TunnelOptions;
import io.wireguardjava.uapi.UapiClient;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code private_key=0000...} on a keyed, running tunnel removes its key, as wireguard-go does
 * ({@code wg set wg0 private-key /dev/null}): errno 0, and {@code get} has no private_key line.
 */
class PrivateKeyRemovalTest {

  @Test
  void zeroKeyRemovesThePrivateKeyOfARunningTunnel(@TempDir Path dir) throws Exception {
    PrivateKey own = PrivateKey.generate();
    PrivateKey peer = PrivateKey.generate();
    Config config =
        Config.builder()
            .iface(Interface.builder().privateKey(own).build())
            .addPeer(
                Peer.builder()
                    .publicKey(peer.publicKey())
                    .addAllowedIp(InetNetwork.parse("10.9.0.2/32"))
                    .build())
            .build();
    try (Tunnel tunnel =
        Tunnel.open(
            config,
            TunnelOptions.builder()
                .inProcessDevice()
                .interfaceName("wgnokey0")
                .bindAddress(InetAddress.getLoopbackAddress())
                .uapiDirectory(dir)
                .build())) {
      UapiClient client = new UapiClient(dir);
      assertThat(client.exchange("wgnokey0", "get=1\n\n")).contains("private_key=" + own.toHex());

      // exchange throws a UapiException unless the reply is errno=0
      assertThat(client.exchange("wgnokey0", "set=1\nprivate_key=" + "0".repeat(64) + "\n\n"))
          .isEmpty();

      List<String> get = client.exchange("wgnokey0", "get=1\n\n");
      assertThat(get).noneMatch(l -> l.startsWith("private_key="));
      assertThat(get).contains("public_key=" + peer.publicKey().toHex());
      assertThat(tunnel.config().iface().privateKey()).isEmpty();

      // and a key can be set again
      client.set("wgnokey0", "private_key=" + own.toHex() + "\n");
      assertThat(tunnel.config().iface().privateKey()).contains(own);
    }
  }
}
