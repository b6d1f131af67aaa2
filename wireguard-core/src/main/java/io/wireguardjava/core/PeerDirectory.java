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
}
