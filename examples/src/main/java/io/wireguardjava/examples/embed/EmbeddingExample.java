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
import java.io.IOException;
import java.time.Duration;

/**
 * The embedding pattern: a tunnel opened from a {@link Config} built in code, with an in-process
 * device, so the application itself sends and receives the IP packets (no root, no TUN).
 *
 * <p>{@link #exchange} is the part to copy. {@link #main} runs it against a second tunnel in the
 * same process, standing in for a server.
 */
public final class EmbeddingExample {
  private EmbeddingExample() {}

  /** Opens a tunnel to {@code server}, sends {@code packet}, returns the first packet back. */
  public static byte[] exchange(PrivateKey myKey, Key serverKey, Endpoint server, byte[] packet)
      throws IOException {
    Config config =
        Config.builder()
            .iface(
                Interface.builder()
                    .privateKey(myKey)
                    .addAddress(InetNetwork.parse("10.8.0.2/32"))
                    .build())
            .addPeer(
                Peer.builder()
                    .publicKey(serverKey)
                    .addAllowedIp(InetNetwork.parse("10.8.0.0/24")) // what we reach through it
                    .endpoint(server)
                    .persistentKeepalive(25) // keeps a NAT mapping open
                    .build())
            .build();
    try (Tunnel tunnel = Tunnel.open(config, TunnelOptions.inProcessDevice())) {
      tunnel.packets().send(packet, 0, packet.length); // an IPv4/IPv6 packet to 10.8.0.x
      byte[] buf = new byte[tunnel.packets().mtu()];
      int n = tunnel.packets().receive(buf, 0, buf.length, Duration.ofSeconds(10));
      if (n <= 0) {
        throw new IOException("no answer within 10 s");
      }
      return java.util.Arrays.copyOf(buf, n);
    }
  }

  /** Runs {@link #exchange} against a local echo server tunnel. */
  public static void main(String[] args) throws Exception {
    try (EchoServer server = new EchoServer()) {
      byte[] ping =
          io.wireguardjava.examples.demo.Icmp.echo(
              io.wireguardjava.examples.demo.Icmp.ECHO_REQUEST,
              (java.net.Inet4Address) java.net.InetAddress.getByName("10.8.0.2"),
              (java.net.Inet4Address) java.net.InetAddress.getByName("10.8.0.1"),
              1,
              1,
              "hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      PrivateKey myKey = PrivateKey.generate();
      server.allow(myKey.publicKey());
      byte[] reply = exchange(myKey, server.publicKey(), server.endpoint(), ping);
      System.out.println(
          "sent "
              + ping.length
              + " bytes through the tunnel, got "
              + reply.length
              + " back: ICMP type "
              + io.wireguardjava.examples.demo.Icmp.type(reply, reply.length)
              + " (echo reply)");
    }
  }
}
