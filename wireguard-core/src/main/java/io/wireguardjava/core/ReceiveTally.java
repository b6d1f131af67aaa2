package io.wireguardjava.core;

import io.wireguardjava.crypto.Keypair;
import io.wireguardjava.spi.DatagramAddress;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * What one received batch did per peer, so that the peer's bookkeeping runs once per batch rather
 * than once per datagram (as wireguard-go's per-vector accounting): the latest source address
 * (roaming, sticky source), bytes received, whether any data packet passed, and the keypair last
 * used (the "last minute" rekey check). Owned by the receive thread; preallocated, so a batch
 * allocates nothing. Source addresses are the batch's own holders: {@link #flush} must run before
 * the next receive overwrites them.
 */
final class ReceiveTally {
  private final PeerState[] peers;
  private final Keypair[] keypairs;
  private final DatagramAddress[] sources;
  private final long[] bytes;
  private final boolean[] data;
  private int count;

  /** The entry of the last peer touched: a batch is mostly one peer's run. */
  private int last = -1;

  ReceiveTally(int capacity) {
    peers = new PeerState[capacity];
    keypairs = new Keypair[capacity];
    sources = new DatagramAddress[capacity];
    bytes = new long[capacity];
    data = new boolean[capacity];
  }

  /** A datagram of {@code length} bytes from {@code from}, authenticated with {@code kp}. */
  void authenticated(PeerState peer, Keypair kp, DatagramAddress from, int length) {
    int i = indexOf(peer);
    keypairs[i] = kp;
    sources[i] = from;
    bytes[i] += length;
  }

  /** The packet just counted for {@code peer} was data that passed the cryptokey check. */
  void dataReceived(PeerState peer) {
    data[indexOf(peer)] = true;
  }

  private int indexOf(PeerState peer) {
    if (last >= 0 && peers[last] == peer) {
      return last;
    }
    for (int i = 0; i < count; i++) {
      if (peers[i] == peer) {
        last = i;
        return i;
      }
    }
    if (count == peers.length) { // more peers than datagrams cannot happen; stay safe anyway
      flush();
    }
    peers[count] = peer;
    bytes[count] = 0;
    data[count] = false;
    last = count;
    return count++;
  }

  /** Hands each peer its batch totals, in the order the peers were first seen, and empties. */
  void flush() {
    for (int i = 0; i < count; i++) {
      PeerState p = peers[i];
      Keypair kp = keypairs[i];
      DatagramAddress from = sources[i];
      if (p != null && kp != null && from != null) {
        p.onReceivedBatch(kp, from, bytes[i], data[i]);
      }
    }
    Arrays.fill(peers, 0, count, null);
    Arrays.fill(keypairs, 0, count, null);
    Arrays.fill(sources, 0, count, null);
    count = 0;
    last = -1;
  }

  /** For tests: how many peers the batch so far touched. */
  int peers() {
    return count;
  }

  /** For tests: the peer of entry {@code i}. */
  @Nullable PeerState peer(int i) {
    return peers[i];
  }
}
