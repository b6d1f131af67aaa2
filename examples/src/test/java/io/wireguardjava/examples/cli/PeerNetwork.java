package io.wireguardjava.examples.cli;

import io.wireguardjava.Config;
import io.wireguardjava.InetNetwork;
import io.wireguardjava.Interface;
import io.wireguardjava.Peer;
import io.wireguardjava.PrivateKey;
import io.wireguardjava.Tunnel;
import io.wireguardjava.TunnelOptions;
import io.wireguardjava.netstack.TunnelNetwork;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * The peer the CLI tests' configs point at: an in-process tunnel on loopback with address 10.79.0.2
 * and a TCP echo server on port 7 of its userspace stack. The config for the other side ({@link
 * #clientConfig()}) has 10.79.0.1 and this peer's endpoint.
 */
final class PeerNetwork implements AutoCloseable {
  static final String ADDRESS = "10.79.0.2";
  private final PrivateKey clientKey = PrivateKey.generate();
  private final PrivateKey key = PrivateKey.generate();
  private final Tunnel tunnel;
  private final TunnelNetwork network;
  private final ServerSocket echo;

  PeerNetwork() throws IOException {
    Interface iface =
        Interface.builder()
            .privateKey(key)
            .addAddress(InetNetwork.of(InetAddress.getByName(ADDRESS), 32))
            .build();
    Peer client =
        Peer.builder()
            .publicKey(clientKey.publicKey())
            .addAllowedIp(InetNetwork.of(InetAddress.getByName("10.79.0.1"), 32))
            .build();
    tunnel =
        Tunnel.open(
            Config.builder().iface(iface).addPeer(client).build(),
            TunnelOptions.builder()
                .inProcessDevice()
                .interfaceName("hpxpeer")
                .bindAddress(InetAddress.getLoopbackAddress())
                .build());
    network = TunnelNetwork.attach(tunnel, iface);
    echo = network.listen(7);
    Thread t = new Thread(this::serve, "hpx-peer-echo");
    t.setDaemon(true);
    t.start();
  }

  /** A wg-quick file for the client side, pointing at this peer. */
  String clientConfig() {
    return "[Interface]\nPrivateKey = "
        + clientKey.toBase64()
        + "\nAddress = 10.79.0.1/32\n\n"
        + "[Peer]\nPublicKey = "
        + key.publicKey().toBase64()
        + "\nAllowedIPs = 10.79.0.0/24\n"
        + "Endpoint = 127.0.0.1:"
        + tunnel.listenPort()
        + "\n";
  }

  String publicKey() {
    return key.publicKey().toBase64();
  }

  private void serve() {
    while (true) {
      try (Socket s = echo.accept()) {
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        byte[] b = new byte[8192];
        int n;
        while ((n = in.read(b)) >= 0) {
          out.write(b, 0, n);
        }
      } catch (IOException e) {
        if (echo.isClosed()) {
          return;
        }
      }
    }
  }

  @Override
  public void close() throws IOException {
    echo.close();
    network.close();
    tunnel.close();
  }
}
