package io.wireguardjava.core;

import io.wireguardjava.crypto.Keypair;
import org.jspecify.annotations.Nullable;

/**
 * What one of our session indices stands for: a peer's handshake in progress and, once the
 * handshake completes, the keypair it made (the kernel's index hashtable entry). Transport messages
 * are routed by it to their keypair, responses and cookie replies to their peer.
 */
final class IndexEntry {
  final PeerState peer;
  volatile @Nullable Keypair keypair;

  /** The index, set right after the table hands it out. */
  int index;

  IndexEntry(PeerState peer) {
    this.peer = peer;
  }
}
