package io.wireguardjava.core;

import io.wireguardjava.Endpoint;
import io.wireguardjava.InetNetwork;
import io.wireguardjava.Key;
import io.wireguardjava.Peer;
import io.wireguardjava.PrivateKey;
import io.wireguardjava.crypto.RandomSource;
import io.wireguardjava.spi.DatagramAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One side of a handshake built from fakes, no engine and no socket: {@link Handshakes} and its
 * peers over a recording {@link DatagramSender}, a map as the {@link PeerDirectory}, timers on a
 * shared {@link ManualClock} that run only when {@link #runTimers} is called.
 */
final class FakeSide {
  /** A datagram the side would have sent, and the local address it was to leave from. */
  record Sent(byte[] bytes, InetSocketAddress to, Optional<InetAddress> from) {
    int type() {
      return bytes[0];
    }
  }

  final PrivateKey key = PrivateKey.generate();
  final InetSocketAddress address;
  final ManualClock clock;
  final Events events = new Events();
  final Scheduler scheduler;
  final List<Sent> sent = new ArrayList<>();
  final List<PeerState> requested = new ArrayList<>();
  final Handshakes handshakes;
  final DatagramSender sender;
  private final java.util.concurrent.ConcurrentMap<Key, PeerState> peers =
      new ConcurrentHashMap<>();
  private final PeerServices services;

  FakeSide(ManualClock clock, int port) {
    this.clock = clock;
    this.address = new InetSocketAddress("192.0.2.1", port);
    this.scheduler = new Scheduler(clock);
    this.sender =
        new DatagramSender() {
          @Override
          public void send(ByteBuffer datagram, InetSocketAddress to) {
            byte[] b = new byte[datagram.remaining()];
            datagram.get(b);
            sent.add(new Sent(b, to, Optional.empty()));
          }

          @Override
          public void send(byte[] buf, int off, int len, DatagramAddress to) {
            sent.add(
                new Sent(
                    Arrays.copyOfRange(buf, off, off + len),
                    to.toInetSocketAddress(),
                    to.localAddress()));
          }
        };
    PeerDirectory directory = PeerDirectory.of(peers);
    this.handshakes =
        new Handshakes(
            Optional.of(key),
            clock,
            RandomSource.secure(),
            sender,
            events,
            directory,
            e -> {
              throw new java.net.UnknownHostException("no DNS in this test");
            },
            PacketSize.datagramLength(1420));
    this.services =
        new PeerServices(
            clock,
            scheduler,
            new SplittableRandom(7),
            events,
            new BufferPool(PacketSize.stagingLength(1420), 256),
            sender,
            () -> 1420,
            requested::add,
            handshakes);
  }

  /** Configures {@code other} as a peer of this side, as the engine does. */
  PeerState addPeer(FakeSide other) {
    Peer config =
        Peer.builder()
            .publicKey(other.key.publicKey())
            .addAllowedIp(InetNetwork.parse("10.0.0." + (other.address.getPort() % 200) + "/32"))
            .endpoint(Endpoint.of(other.address))
            .build();
    PeerState p = new PeerState(config, services);
    handshakes.prepare(p);
    peers.put(config.publicKey(), p);
    return p;
  }

  /** Removes a peer, as the engine does. */
  void removePeer(PeerState p) {
    peers.remove(p.publicKey);
    handshakes.removePeer(p);
    p.destroy();
  }

  /** The datagrams sent since the last call, and forgets them. */
  List<Sent> drain() {
    List<Sent> l = List.copyOf(sent);
    sent.clear();
    return l;
  }

  /** Runs the timers that are due on the clock. */
  void runTimers() {
    scheduler.runDue();
  }

  static ByteBuffer frame(byte[] b) {
    return ByteBuffer.wrap(b);
  }
}
