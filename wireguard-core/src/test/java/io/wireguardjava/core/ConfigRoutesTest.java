package io.wireguardjava.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.wireguardjava.Config;
import io.wireguardjava.InetNetwork;
import io.wireguardjava.Key;
import io.wireguardjava.Peer;
import io.wireguardjava.Tunnel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code config()} reports each peer's routes from what the changes left on the peer, with no
 * lookup; this checks it against a deliberately naive model of the routing table (a map from masked
 * prefix to owner, later inserts winning) over random changes: peers taking prefixes from each
 * other, duplicates, host bits, removals, replacements.
 */
class ConfigRoutesTest {
  private static final List<String> UNIVERSE =
      List.of(
          "10.0.0.1/32",
          "10.0.0.2/32",
          "10.0.0.3/32",
          "10.0.0.0/29",
          "10.0.0.5/29",
          "10.0.1.0/24",
          "10.0.1.9/24",
          "fd00::1/128",
          "fd00::/64",
          "fd00::7/64",
          "0.0.0.0/0");

  /** The naive table: masked prefix -> owner, and each peer's configured list. */
  private final Map<InetNetwork, Key> owner = new HashMap<>();

  private final Map<Key, List<InetNetwork>> configured = new LinkedHashMap<>();

  @Test
  void routesMatchANaiveTableOverRandomChanges() throws Exception {
    Random rnd = new Random(13);
    List<Key> keys = ScaleApplyTest.keys(6, 99);
    try (Tunnel tunnel = ScaleApplyTest.open()) {
      for (int step = 0; step < 400; step++) {
        int op = rnd.nextInt(10);
        Key k = keys.get(rnd.nextInt(keys.size()));
        if (op < 5) { // update (or add) one peer
          Peer p = peer(k, rnd);
          tunnel.updatePeer(p);
          upsert(p);
        } else if (op < 7) {
          boolean removed = tunnel.removePeer(k);
          assertThat(removed).isEqualTo(configured.containsKey(k));
          drop(k);
        } else { // replace all peers with a random list (keys in random order, some repeated)
          List<Peer> next = new ArrayList<>();
          Set<Key> seen = new LinkedHashSet<>();
          for (int i = rnd.nextInt(5); i > 0; i--) {
            Key key = keys.get(rnd.nextInt(keys.size()));
            if (seen.add(key)) {
              next.add(peer(key, rnd));
            }
          }
          tunnel.replacePeers(next);
          for (Key old : List.copyOf(configured.keySet())) {
            if (!seen.contains(old)) {
              drop(old);
            }
          }
          next.forEach(this::upsert);
        }
        check(tunnel.config(), step);
      }
    }
  }

  private static Peer peer(Key k, Random rnd) {
    Peer.Builder b = Peer.builder().publicKey(k);
    for (int i = rnd.nextInt(6); i > 0; i--) {
      b.addAllowedIp(InetNetwork.parse(UNIVERSE.get(rnd.nextInt(UNIVERSE.size()))));
    }
    return b.build();
  }

  private void upsert(Peer p) {
    List<InetNetwork> before = configured.getOrDefault(p.publicKey(), List.of());
    for (InetNetwork n : before) {
      if (!p.allowedIps().contains(n)) {
        owner.remove(n.masked(), p.publicKey());
      }
    }
    for (InetNetwork n : p.allowedIps()) {
      owner.put(n.masked(), p.publicKey());
    }
    configured.put(p.publicKey(), p.allowedIps());
  }

  private void drop(Key k) {
    List<InetNetwork> before = configured.remove(k);
    if (before != null) {
      before.forEach(n -> owner.remove(n.masked(), k));
    }
  }

  private void check(Config config, int step) {
    assertThat(config.peers())
        .extracting(Peer::publicKey)
        .containsExactlyInAnyOrderElementsOf(configured.keySet());
    for (Peer p : config.peers()) {
      Set<InetNetwork> expected = new LinkedHashSet<>();
      for (InetNetwork n : configured.get(p.publicKey())) {
        if (p.publicKey().equals(owner.get(n.masked()))) {
          expected.add(n.masked());
        }
      }
      assertThat(p.allowedIps())
          .as("step %d, peer %s", step, p.publicKey())
          .containsExactlyElementsOf(expected);
    }
  }
}
