package io.wireguardjava.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.wireguardjava.Config;
import io.wireguardjava.Interface;
import io.wireguardjava.Key;
import io.wireguardjava.Peer;
import io.wireguardjava.PrivateKey;
import io.wireguardjava.Tunnel;
import io.wireguardjava.TunnelOptions;
import io.wireguardjava.uapi.UapiClient;
import io.wireguardjava.uapi.UapiServer;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, defect 1, at unit-test size: a {@code wg syncconf} of many peers and a peer with many
 * prefixes go through the UAPI parser, the UAPI socket and the engine in time linear in their size.
 * The old engine rebuilt its trie per prefix and precomputed one X25519 per peer: 16k prefixes took
 * about a minute, 65,536 peers did not finish in 120 s. {@code bench/scale.sh} runs the full sizes
 * (65,536 peers, 1M prefixes) against wireguard-go.
 */
class ScaleApplyTest {
  /**
   * Unit-test sizes; {@code -Dwgjava.scale.peers=65536 -Dwgjava.scale.prefixes=1000000} for the
   * full ones.
   */
  static final int PEERS = Integer.getInteger("wgjava.scale.peers", 8_192);

  static final int PREFIXES = Integer.getInteger("wgjava.scale.prefixes", 100_000);

  static Tunnel open() throws Exception {
    Config config =
        Config.builder()
            .iface(Interface.builder().privateKey(PrivateKey.generate()).build())
            .build();
    return Tunnel.open(
        config,
        TunnelOptions.builder()
            .inProcessDevice()
            .interfaceName("hua-scale")
            .bindAddress(InetAddress.getLoopbackAddress())
            .build());
  }

  /** Random 32-byte public keys: no X25519 needed to make them, none to add them. */
  static List<Key> keys(int n, long seed) {
    Random rnd = new Random(seed);
    List<Key> keys = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      byte[] b = new byte[32];
      rnd.nextBytes(b);
      keys.add(Key.fromBytes(b));
    }
    return keys;
  }

  /** The lines {@code wg syncconf} sends for peers with a /32 and a /128 each. */
  static List<String> syncconf(List<Key> keys) {
    List<String> lines = new ArrayList<>();
    lines.add("replace_peers=true");
    for (int i = 0; i < keys.size(); i++) {
      lines.add("public_key=" + keys.get(i).toHex());
      lines.add("replace_allowed_ips=true");
      lines.add("allowed_ip=10." + (i >>> 16) + "." + ((i >>> 8) & 255) + "." + (i & 255) + "/32");
      lines.add("allowed_ip=fd00::" + Integer.toHexString(i) + "/128");
    }
    return lines;
  }

  @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir;

  /** The body of a set request: the lines, each ending in a newline. */
  static String body(List<String> lines) {
    return String.join("\n", lines) + "\n";
  }

  static long millis(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  @Test
  void manyPeersApplyAndReadBackInLinearTime() throws Exception {
    try (Tunnel tunnel = open();
        UapiServer server = UapiServer.start(dir, tunnel)) {
      UapiClient client = new UapiClient(dir);
      assertThat(server.socketPath()).exists();
      List<Key> keys = keys(PEERS, 1);
      long start = System.nanoTime();
      client.set(tunnel.name(), body(syncconf(keys)));
      long applied = millis(start);
      assertThat(tunnel.config().peers()).hasSize(PEERS);
      Peer last = tunnel.config().peer(keys.get(PEERS - 1)).orElseThrow();
      assertThat(last.allowedIps()).hasSize(2);

      // Half the peers replaced by new ones (same prefixes): the others keep their state.
      List<Key> next = new ArrayList<>(keys.subList(0, PEERS / 2));
      next.addAll(keys(PEERS / 2, 2));
      start = System.nanoTime();
      client.set(tunnel.name(), body(syncconf(next)));
      long replaced = millis(start);
      Config after = tunnel.config();
      assertThat(after.peers()).hasSize(PEERS);
      assertThat(after.peer(keys.get(PEERS - 1))).isEmpty();
      assertThat(after.peer(next.get(PEERS - 1)).orElseThrow().allowedIps())
          .isEqualTo(last.allowedIps());

      start = System.nanoTime();
      List<String> reply = client.exchange(tunnel.name(), "get=1\n\n");
      long shown = millis(start);
      assertThat(reply).filteredOn(l -> l.startsWith("allowed_ip=")).hasSize(2 * PEERS);
      assertThat(applied).as("ms to apply %d peers", PEERS).isLessThan(20_000);
      assertThat(replaced).as("ms to replace half of them").isLessThan(20_000);
      assertThat(shown).as("ms for a get of %d peers", PEERS).isLessThan(5_000);
    }
  }

  @Test
  void onePeerWithManyPrefixes() throws Exception {
    try (Tunnel tunnel = open();
        UapiServer server = UapiServer.start(dir, tunnel)) {
      UapiClient client = new UapiClient(dir);
      assertThat(server.socketPath()).exists();
      Key key = keys(1, 3).get(0);
      List<String> lines = new ArrayList<>();
      lines.add("public_key=" + key.toHex());
      for (int i = 0; i < PREFIXES; i++) {
        lines.add(
            "allowed_ip=10." + (i >>> 16) + "." + ((i >>> 8) & 255) + "." + (i & 255) + "/32");
      }
      long start = System.nanoTime();
      client.set(tunnel.name(), body(lines));
      long applied = millis(start);
      assertThat(tunnel.config().peers().get(0).allowedIps()).hasSize(PREFIXES);

      // Moving one prefix to a second peer is one change, not a rebuild.
      Key other = keys(1, 4).get(0);
      start = System.nanoTime();
      client.set(
          tunnel.name(), body(List.of("public_key=" + other.toHex(), "allowed_ip=10.0.0.7/32")));
      long moved = millis(start);
      Config c = tunnel.config();
      assertThat(c.peer(key).orElseThrow().allowedIps()).hasSize(PREFIXES - 1);
      assertThat(c.peer(other).orElseThrow().allowedIps())
          .extracting(Object::toString)
          .containsExactly("10.0.0.7/32");
      assertThat(applied).as("ms to apply %d prefixes", PREFIXES).isLessThan(20_000);
      assertThat(moved).as("ms to move one prefix").isLessThan(10_000);
    }
  }
}
