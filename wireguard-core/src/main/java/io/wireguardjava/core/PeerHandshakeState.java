package io.wireguardjava.core;

import io.wireguardjava.crypto.Handshake;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One peer's handshake state, kept on its {@link PeerState} and touched only under {@link
 * Handshakes}' lock: the Noise handshake (absent while the interface has no private key), the
 * session indices handed out for it, and which of them belongs to the initiation in flight.
 */
final class PeerHandshakeState {
  /** The peer's Noise handshake; null while the interface has no private key. */
  @Nullable Handshake noise;

  /** Our indices that still answer for this peer: its pending initiation and its keypairs. */
  final List<IndexEntry> indices = new ArrayList<>();

  /**
   * The index of the initiation in flight, until its response arrives or a newer one replaces it.
   */
  @Nullable IndexEntry pending;

  /** When the current attempt sequence began, for the "took" figure of a completed handshake. */
  long attemptStartNanos;
}
