package io.wireguardjava.netstack;

import io.wireguardjava.Config;
import io.wireguardjava.Endpoint;
import io.wireguardjava.InetNetwork;
import io.wireguardjava.Interface;
import io.wireguardjava.Peer;
import io.wireguardjava.PrivateKey;
import io.wireguardjava.Tunnel;
import io.wireguardjava.TunnelOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Two tunnel networks in one JVM, joined by two in-process tunnels over loopback UDP: "a" is
 * 10.9.0.1 / fd09::1, "b" is 10.9.0.2 / fd09::2. A's DNS server is b's address, with the search
 * domain {@code corp.test}.
 */
final class NetworkPair implements AutoCloseable {
  private static final AtomicInteger NAMES = new AtomicInteger();
  static final InetAddress A4 = literal("10.9.0.1");
  static final InetAddress B4 = literal("10.9.0.2");
  static final InetAddress A6 = literal("fd09::1");
  static final InetAddress B6 = literal("fd09::2");

  final Tunnel ta;
  final Tunnel tb;
  final TunnelNetwork a;
  final TunnelNetwork b;

  NetworkPair() throws IOException {
    this(Interface.builder().addDnsServer(B4).addDnsSearch("corp.test"));
  }

  NetworkPair(Interface.Builder aExtra) throws IOException {
    PrivateKey ka = PrivateKey.generate();
    PrivateKey kb = PrivateKey.generate();
    Interface ia =
        aExtra
            .privateKey(ka)
            .addAddress(InetNetwork.of(A4, 32))
            .addAddress(InetNetwork.of(A6, 128))
            .build();
    Interface ib =
        Interface.builder()
            .privateKey(kb)
            .addAddress(InetNetwork.of(B4, 32))
            .addAddress(InetNetwork.of(B6, 128))
            .build();
    int n = NAMES.incrementAndGet();
    ta = open(ia, "hipa" + n);
    Tunnel openedB;
    try {
      openedB = open(ib, "hipb" + n);
    } catch (IOException | RuntimeException e) {
      ta.close();
      throw e;
    }
    tb = openedB;
    ta.addPeer(peer(kb, B4, B6, tb));
    tb.addPeer(peer(ka, A4, A6, ta));
    a = TunnelNetwork.attach(ta, ia);
    b = TunnelNetwork.attach(tb, ib);
    // The WireGuard handshake first, so that tests with short timeouts measure the stack only.
    try {
      ping(a, B4);
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  private static Tunnel open(Interface iface, String name) throws IOException {
    TunnelOptions o =
        TunnelOptions.builder()
            .inProcessDevice()
            .interfaceName(name)
            .bindAddress(InetAddress.getLoopbackAddress())
            .build();
    return Tunnel.open(Config.builder().iface(iface.withoutWgQuickSettings()).build(), o);
  }

  private static Peer peer(PrivateKey key, InetAddress v4, InetAddress v6, Tunnel at) {
    return Peer.builder()
        .publicKey(key.publicKey())
        .addAllowedIp(InetNetwork.of(v4, 32))
        .addAllowedIp(InetNetwork.of(v6, 128))
        .endpoint(
            Endpoint.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), at.listenPort())))
        .build();
  }

  /**
   * Pings with up to three tries: ICMP has no retransmission, and the loopback UDP that carries the
   * tunnel may lose a packet on a busy host.
   */
  static java.time.Duration ping(TunnelNetwork from, InetAddress to) throws IOException {
    java.net.SocketTimeoutException last = null;
    for (int i = 0; i < 3; i++) {
      try {
        return from.ping(to, java.time.Duration.ofSeconds(10));
      } catch (java.net.SocketTimeoutException e) {
        last = e;
      }
    }
    throw last;
  }

  static InetAddress literal(String s) {
    try {
      return InetAddress.getByName(s);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  List<TunnelNetwork> both() {
    return List.of(a, b);
  }

  @Override
  public void close() {
    a.close();
    b.close();
    ta.close();
    tb.close();
  }
}
