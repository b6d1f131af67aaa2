package io.wireguardjava.examples.lab;

import io.wireguardjava.Config;
import io.wireguardjava.ConfigException;
import io.wireguardjava.netstack.TunnelDatagramSocket;
import io.wireguardjava.netstack.TunnelNetwork;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** {@link Net} over our userspace stack: a {@link TunnelNetwork} opened from a wg-quick file. */
final class TunnelNet implements Net {
  private final TunnelNetwork network;

  private TunnelNet(TunnelNetwork network) {
    this.network = network;
  }

  /** Opens the tunnel and its stack from {@code conf}. */
  static Net open(Path conf) throws IOException, ConfigException {
    return new TunnelNet(
        TunnelNetwork.open(Config.parse(Files.readString(conf, StandardCharsets.UTF_8))));
  }

  /**
   * A literal stays as it is; a name stays unresolved, for TunnelNetwork to ask the tunnel's DNS.
   */
  @Override
  public InetSocketAddress address(String host, int port) throws IOException {
    if (host.contains(":") || host.matches("[0-9.]+")) {
      return new InetSocketAddress(InetAddress.getByName(host), port); // a literal: no lookup
    }
    return InetSocketAddress.createUnresolved(host, port);
  }

  @Override
  public Socket connect(InetSocketAddress to, Duration timeout) throws IOException {
    return network.connect(to, timeout);
  }

  @Override
  public ServerSocket listen(int port) throws IOException {
    return network.listen(port);
  }

  @Override
  public Datagrams openDatagram(int port) throws IOException {
    TunnelDatagramSocket socket = network.openDatagram(port);
    return new Datagrams() {
      @Override
      public void send(ByteBuffer data, InetSocketAddress to) throws IOException {
        socket.send(data, to);
      }

      @Override
      public InetSocketAddress receive(ByteBuffer dst) throws IOException {
        return socket.receive(dst);
      }

      @Override
      public void setSoTimeout(Duration timeout) {
        socket.setSoTimeout(timeout);
      }

      @Override
      public void close() {
        socket.close();
      }
    };
  }

  @Override
  public List<InetAddress> resolve(String host) throws IOException {
    return network.resolve(host);
  }

  @Override
  public Duration ping(InetAddress to, Duration timeout) throws IOException {
    return network.ping(to, timeout);
  }

  /**
   * The stack's counters, one line for the benchmark: {@code stats packetsSent=N ...
   * tcpRetransmitted=M tcpFastRetransmits=F tcpTimeouts=T tcpSpurious=S}, to compare with the
   * datagrams the impaired path dropped.
   */
  String statsLine() {
    var s = network.stats();
    return "stats packetsSent="
        + s.packetsSent()
        + " packetsReceived="
        + s.packetsReceived()
        + " tcpRetransmitted="
        + s.tcpRetransmittedSegments()
        + " tcpFastRetransmits="
        + s.tcpFastRetransmits()
        + " tcpTimeouts="
        + s.tcpRetransmissionTimeouts()
        + " tcpSpurious="
        + s.tcpSpuriousRetransmissions();
  }

  @Override
  public void close() {
    network.close();
  }
}
