package io.wireguardjava.core;

import io.wireguardjava.Config;
import io.wireguardjava.Endpoint;
import io.wireguardjava.InetNetwork;
import io.wireguardjava.Interface;
import io.wireguardjava.KeyPair;
import io.wireguardjava.Peer;
import io.wireguardjava.TunnelOptions;
import io.wireguardjava.TunnelPackets;
import io.wireguardjava.crypto.TimeSource;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;

/**
 * Real packets through the real data path, on two throwaway tunnels: an in-process pair whose UDP
 * sockets are bound to {@code 127.0.0.1} and talk only to each other. The JIT then compiles what a
 * quiet tunnel's first packets run: the send and receive loops, routing, {@code PeerState}'s
 * batches, sealing and opening, the per-batch bookkeeping, and the UDP transport the real tunnel
 * uses (on Linux {@code sendmmsg}/{@code recvmmsg}/{@code poll} through JNR-FFI, whose call stubs
 * are compiled Java too), with the same classes and so the same profiles. {@link
 * io.wireguardjava.crypto.DataPathWarmUp} alone compiles only the crypto.
 *
 * <p>Leaves no trace in any other tunnel: the pair has its own keys, engines, sockets, counters and
 * index tables, and is closed (keys wiped, threads joined, sockets closed) before {@link #run}
 * returns. Nothing leaves the host: both endpoints are the loopback address. Without a usable
 * loopback interface (a network namespace whose {@code lo} is down) the handshake never completes
 * and {@link #run} gives up after {@link #HANDSHAKE_WAIT}.
 */
final class LoopbackWarmUp {
  /** How long the pair may take to make its handshake and carry the first packet. */
  static final Duration HANDSHAKE_WAIT = Duration.ofSeconds(2);

  /** How long one later packet may take before the warm-up gives up (a loaded host). */
  private static final Duration PACKET_WAIT = Duration.ofSeconds(1);

  /** Burst lengths cycled through: mostly lone packets (pings, keystrokes), some small batches. */
  private static final int[] BURSTS = {1, 1, 1, 2, 1, 1, 1, 8};

  /** Every {@code IPV6_EVERY}-th packet is IPv6, so both families' branches are compiled. */
  private static final int IPV6_EVERY = 8;

  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  private LoopbackWarmUp() {}

  /**
   * Opens the pair, sends {@code roundTrips} packets from one to the other and each back (bursts of
   * 1 to 8; sizes from 40 to 1,420 bytes; IPv4 and IPv6), and closes the pair.
   *
   * @param roundTrips how many packets go each way
   * @param portableTransport whether to use the JDK's portable UDP transport, as the tunnel being
   *     warmed up does (its transport is what should be compiled)
   * @return the round trips completed: {@code roundTrips}, or fewer when a packet did not arrive in
   *     time (no loopback, a host too loaded)
   * @throws IOException when a tunnel of the pair cannot be opened
   */
  static int run(int roundTrips, boolean portableTransport) throws IOException {
    KeyPair a = KeyPair.generate();
    KeyPair b = KeyPair.generate();
    try (Engine sideB =
            open("warm-up-b", b, a, tunnelAddress(2), tunnelAddress(1), 0, portableTransport);
        Engine sideA =
            open(
                "warm-up-a",
                a,
                b,
                tunnelAddress(1),
                tunnelAddress(2),
                sideB.listenPort(),
                portableTransport)) {
      return exchange(sideA.packets(), sideB.packets(), roundTrips);
    }
  }

  /** 192.0.2.n or 2001:db8::n (documentation prefixes): never routed anywhere, only carried. */
  private static byte[] tunnelAddress(int n) {
    return new byte[] {(byte) 192, 0, 2, (byte) n};
  }

  private static byte[] tunnelAddress6(byte[] v4) {
    byte[] a = new byte[16];
    a[0] = 0x20;
    a[1] = 0x01;
    a[2] = 0x0d;
    a[3] = (byte) 0xb8;
    a[15] = v4[3];
    return a;
  }

  private static Engine open(
      String name,
      KeyPair self,
      KeyPair other,
      byte[] own,
      byte[] theirs,
      int theirPort,
      boolean portable)
      throws IOException {
    Peer.Builder peer =
        Peer.builder()
            .publicKey(other.publicKey())
            .addAllowedIp(InetNetwork.of(theirs, 32))
            .addAllowedIp(InetNetwork.of(tunnelAddress6(theirs), 128));
    if (theirPort != 0) {
      peer.endpoint(Endpoint.of(new java.net.InetSocketAddress(LOOPBACK, theirPort)));
    }
    Config config =
        Config.builder()
            .iface(
                Interface.builder()
                    .privateKey(self.privateKey())
                    .addAddress(InetNetwork.of(own, 32))
                    .addAddress(InetNetwork.of(tunnelAddress6(own), 128))
                    .build())
            .addPeer(peer.build())
            .build();
    TunnelOptions options =
        TunnelOptions.builder()
            .inProcessDevice()
            .interfaceName(name)
            .bindAddress(LOOPBACK)
            .noUapi()
            .portableUdpTransport(portable)
            .build();
    return CoreTunnelProvider.open(config, options, TimeSource.system());
  }

  /** The packets: A sends, B echoes each one back with the addresses swapped, A takes it. */
  private static int exchange(TunnelPackets a, TunnelPackets b, int roundTrips) throws IOException {
    byte[] packet = new byte[a.mtu()];
    byte[] got = new byte[a.mtu()];
    byte[] v4a = tunnelAddress(1);
    byte[] v4b = tunnelAddress(2);
    byte[] v6a = tunnelAddress6(v4a);
    byte[] v6b = tunnelAddress6(v4b);
    int done = 0;
    int sent = 0;
    int burst = 0;
    Duration wait = HANDSHAKE_WAIT;
    while (done < roundTrips) {
      int n = Math.min(BURSTS[burst++ % BURSTS.length], roundTrips - done);
      for (int i = 0; i < n; i++, sent++) {
        boolean v6 = sent % IPV6_EVERY == IPV6_EVERY - 1;
        int len = WarmUpPackets.udp(packet, v6 ? v6a : v4a, v6 ? v6b : v4b, sent, a.mtu());
        a.send(packet, 0, len);
      }
      for (int i = 0; i < n; i++) { // B echoes
        int m = b.receive(got, 0, got.length, wait);
        if (m <= 0) {
          return done;
        }
        WarmUpPackets.swapAddresses(got);
        b.send(got, 0, m);
      }
      for (int i = 0; i < n; i++) {
        if (a.receive(got, 0, got.length, wait) <= 0) {
          return done;
        }
        done++;
      }
      wait = PACKET_WAIT;
    }
    return done;
  }
}
