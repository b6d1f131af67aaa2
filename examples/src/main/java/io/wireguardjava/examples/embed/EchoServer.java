package io.wireguardjava.examples.embed;

import io.wireguardjava.Config;
import io.wireguardjava.Endpoint;
import io.wireguardjava.InetNetwork;
import io.wireguardjava.Interface;
import io.wireguardjava.Key;
import io.wireguardjava.Peer;
import io.wireguardjava.PrivateKey;
import io.wireguardjava.Tunnel;
import io.wireguardjava.TunnelOptions;
import io.wireguardjava.TunnelPackets;
import io.wireguardjava.examples.demo.Icmp;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The other end for {@link EmbeddingExample}: a tunnel at 10.8.0.1 on 127.0.0.1 that answers ICMP
 * echo requests. WireGuard only talks to configured peers, so clients are let in with {@link
 * #allow}.
 */
final class EchoServer implements AutoCloseable {
  private final PrivateKey key = PrivateKey.generate();
  private final Tunnel tunnel;
  private final Thread responder;

  EchoServer() throws IOException {
    Config config =
        Config.builder()
            .iface(
                Interface.builder()
                    .privateKey(key)
                    .addAddress(InetNetwork.parse("10.8.0.1/24"))
                    .build())
            .build();
    tunnel =
        Tunnel.open(
            config,
            TunnelOptions.builder()
                .inProcessDevice()
                .interfaceName("server")
                .bindAddress(InetAddress.getLoopbackAddress())
                .build());
    responder = new Thread(this::answer, "echo-server");
    responder.setDaemon(true);
    responder.start();
  }

  Key publicKey() {
    return key.publicKey();
  }

  Endpoint endpoint() {
    return Endpoint.of(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), tunnel.listenPort()));
  }

  /** Lets {@code client} in, with the tunnel address {@code 10.8.0.2}. */
  void allow(Key client) {
    tunnel.addPeer(
        Peer.builder().publicKey(client).addAllowedIp(InetNetwork.parse("10.8.0.2/32")).build());
  }

  private void answer() {
    TunnelPackets packets = tunnel.packets();
    byte[] buf = new byte[packets.mtu()];
    try {
      int n;
      while ((n = packets.receive(buf, 0, buf.length)) >= 0) {
        if (n > 0 && Icmp.type(buf, n) == Icmp.ECHO_REQUEST) {
          Icmp.toReply(buf, n);
          packets.send(buf, 0, n);
        }
      }
    } catch (IOException e) {
      // closed
    }
  }

  @Override
  public void close() {
    tunnel.close();
  }
}
