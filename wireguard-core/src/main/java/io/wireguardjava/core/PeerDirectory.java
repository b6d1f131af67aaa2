package io.wireguardjava.core;

import io.wireguardjava.Key;
import org.jspecify.annotations.Nullable;

/**
 * The configured peers, as the handshake code sees them: an initiation names its sender by public
 * key, and a new private key changes every peer's handshake. The engine is the real one.
 */
interface PeerDirectory {
  /** The peer with {@code publicKey}, or null when none is configured. */
  @Nullable PeerState peer(Key publicKey);

  /** Every configured peer (a weakly consistent view: safe while peers change). */
  Iterable<PeerState> peers();

  /** The peers of a concurrent map by public key, read live (the engine's, and tests' fakes). */
  static PeerDirectory of(java.util.concurrent.ConcurrentMap<Key, PeerState> peers) {
    return new PeerDirectory() {
      @Override
      public @Nullable PeerState peer(Key publicKey) {
        return peers.get(publicKey);
      }

      @Override
      public Iterable<PeerState> peers() {
        return peers.values();
      }
    };
  }
}
