package io.wireguardjava.examples.bounce;

import io.wireguardjava.Config;
import io.wireguardjava.Endpoint;
import io.wireguardjava.InetNetwork;
import io.wireguardjava.Interface;
import io.wireguardjava.Peer;
import io.wireguardjava.PrivateKey;
import io.wireguardjava.Tunnel;
import io.wireguardjava.TunnelOptions;
import io.wireguardjava.examples.demo.Icmp;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A bounce server: a WireGuard peer on a public address that relays packets between peers which
 * cannot reach each other directly (both behind NAT). The relay decrypts a packet from one peer
 * and, because forwarding is on, encrypts it again for the peer whose allowed IPs hold the
 * destination, all inside the engine: no root, no TUN, no IP forwarding in the OS.
 *
 * <pre>
 *   java -cp wg-java.jar io.wireguardjava.examples.bounce.BounceServer relay.conf
 * </pre>
 *
 * runs a relay from a wg-quick file (its peers without endpoints: they are learnt from the peers'
 * own packets, which is why the NATed peers set PersistentKeepalive). Without arguments, it shows
 * the whole arrangement in one process: the relay and two "NATed" peers, A and C, that only know
 * the relay; A pings C through it.
 */
public final class BounceServer {
  private BounceServer() {}

  /** Opens the relay: the config's peers, forwarding on. */
  public static Tunnel openRelay(Config config) throws IOException {
    return Tunnel.open(config, TunnelOptions.builder().inProcessDevice().forwarding(true).build());
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 1) {
      Config config = Config.parse(Files.readString(Path.of(args[0]), StandardCharsets.UTF_8));
      try (Tunnel relay = openRelay(config)) {
        System.out.println("relaying on udp port " + relay.listenPort() + "; Ctrl-C stops");
        Thread.currentThread().join();
      }
      return;
    }
    demo();
  }

  /** The relay and two NATed peers in one process; A pings C through the relay. */
  static void demo() throws Exception {
    PrivateKey relayKey = PrivateKey.generate();
    PrivateKey aKey = PrivateKey.generate();
    PrivateKey cKey = PrivateKey.generate();
    InetAddress lo = InetAddress.getLoopbackAddress();
    // The relay knows both peers' keys and addresses, not where they are.
    Config relayConfig =
        Config.builder()
            .iface(
                Interface.builder()
                    .privateKey(relayKey)
                    .addAddress(InetNetwork.parse("10.9.0.1/24"))
                    .build())
            .addPeer(
                Peer.builder()
                    .publicKey(aKey.publicKey())
                    .addAllowedIp(InetNetwork.parse("10.9.0.2/32"))
                    .build())
            .addPeer(
                Peer.builder()
                    .publicKey(cKey.publicKey())
                    .addAllowedIp(InetNetwork.parse("10.9.0.3/32"))
                    .build())
            .build();
    try (Tunnel relay =
            Tunnel.open(
                relayConfig,
                TunnelOptions.builder()
                    .inProcessDevice()
                    .forwarding(true)
                    .bindAddress(lo)
                    .interfaceName("relay")
                    .build());
        Tunnel a = openNatted(aKey, "10.9.0.2", relayKey, relay, lo);
        Tunnel c = openNatted(cKey, "10.9.0.3", relayKey, relay, lo)) {
      // The relay learns where A and C are from their first handshakes (PersistentKeepalive starts
      // them at once); a packet for a peer it has not heard from yet has nowhere to go.
      awaitEndpoint(relay, aKey);
      awaitEndpoint(relay, cKey);
      byte[] ping =
          Icmp.echo(
              Icmp.ECHO_REQUEST,
              (Inet4Address) InetAddress.getByName("10.9.0.2"),
              (Inet4Address) InetAddress.getByName("10.9.0.3"),
              7,
              1,
              new byte[32]);
      a.packets().send(ping, 0, ping.length);
      byte[] buf = new byte[c.packets().mtu()];
      int n = c.packets().receive(buf, 0, buf.length, Duration.ofSeconds(10));
      if (n <= 0 || Icmp.type(buf, n) != Icmp.ECHO_REQUEST) {
        throw new IllegalStateException("C did not get A's ping through the relay");
      }
      Icmp.toReply(buf, n); // C answers; the reply goes back through the relay too
      c.packets().send(buf, 0, n);
      n = a.packets().receive(buf, 0, buf.length, Duration.ofSeconds(10));
      if (n <= 0 || Icmp.type(buf, n) != Icmp.ECHO_REPLY) {
        throw new IllegalStateException("A got no reply through the relay");
      }
      System.out.println(
          "A (10.9.0.2) pinged C (10.9.0.3) through the relay on udp port "
              + relay.listenPort()
              + "; the relay learnt A at "
              + relay.peerStats(aKey.publicKey()).orElseThrow().endpoint().orElseThrow()
              + " and C at "
              + relay.peerStats(cKey.publicKey()).orElseThrow().endpoint().orElseThrow());
    }
  }

  private static void awaitEndpoint(Tunnel relay, PrivateKey peer) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (relay.peerStats(peer.publicKey()).orElseThrow().endpoint().isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the relay did not hear from " + peer.publicKey().toBase64() + " in 10 s");
      }
      Thread.sleep(20);
    }
  }

  /** A peer behind NAT: it knows only the relay, which carries all of 10.9.0.0/24 for it. */
  private static Tunnel openNatted(
      PrivateKey key, String address, PrivateKey relayKey, Tunnel relay, InetAddress lo)
      throws IOException {
    Config config =
        Config.builder()
            .iface(
                Interface.builder()
                    .privateKey(key)
                    .addAddress(InetNetwork.parse(address + "/24"))
                    .build())
            .addPeer(
                Peer.builder()
                    .publicKey(relayKey.publicKey())
                    .addAllowedIp(InetNetwork.parse("10.9.0.0/24"))
                    .endpoint(Endpoint.of(new InetSocketAddress(lo, relay.listenPort())))
                    .persistentKeepalive(25) // tells the relay where we are, keeps the NAT open
                    .build())
            .build();
    return Tunnel.open(
        config,
        TunnelOptions.builder()
            .inProcessDevice()
            .bindAddress(lo)
            .interfaceName("peer-" + address)
            .build());
  }
}
