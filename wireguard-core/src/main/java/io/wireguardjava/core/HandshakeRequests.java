package io.wireguardjava.core;

/**
 * How a peer asks for a handshake initiation from any thread: the handshake thread ({@link
 * HandshakeWorker}) sends it later; repeated requests collapse into one.
 */
interface HandshakeRequests {
  /** Asks for an initiation to {@code peer}; never blocks. */
  void request(PeerState peer);
}
