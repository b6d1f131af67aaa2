package io.wireguardjava.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.wireguardjava.Config;
import io.wireguardjava.Endpoint;
import io.wireguardjava.InetNetwork;
import io.wireguardjava.Interface;
import io.wireguardjava.Peer;
import io.wireguardjava.PresharedKey;
import io.wireguardjava.PrivateKey;
import io.wireguardjava.TunnelOptions;
import io.wireguardjava.crypto.TimeSource;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Tunnels on loopback with in-process devices, for tests. Closes them all. */
final class TestNet implements AutoCloseable {
  final List<Engine> engines = new ArrayList<>();
  final TimeSource clock;
  boolean forwarding;

  TestNet() {
    this(TimeSource.system());
  }

  TestNet(TimeSource clock) {
    this.clock = clock;
  }

  /** A node: its key, its tunnel address (10.0.0.n and fd00::n), its engine. */
  static final class Node {
    final PrivateKey key = PrivateKey.generate();
    final int n;
    Engine engine;

    Node(int n) {
      this.n = n;
    }

    String v4() {
      return "10.0.0." + n;
    }

    String v6() {
      return "fd00::" + n;
    }

    InetSocketAddress udp() {
      return new InetSocketAddress(InetAddress.getLoopbackAddress(), engine.listenPort());
    }
  }

  Node node(int n) throws IOException {
    return node(n, Interface.builder());
  }

  /** A node with both addresses (v4 and v6) and the given MTU. */
  Node node(int n, int mtu) throws IOException {
    return node(
        n, Interface.builder().mtu(mtu).addAddress(InetNetwork.parse("fd00::" + n + "/128")));
  }

  private Node node(int n, Interface.Builder iface) throws IOException {
    Node node = new Node(n);
    Config c =
        Config.builder()
            .iface(
                iface.privateKey(node.key).addAddress(InetNetwork.parse(node.v4() + "/32")).build())
            .build();
    TunnelOptions o =
        TunnelOptions.builder()
            .inProcessDevice()
            .interfaceName("t" + n)
            .forwarding(forwarding)
            .bindAddress(InetAddress.getLoopbackAddress())
            .build();
    node.engine = CoreTunnelProvider.open(c, o, clock);
    engines.add(node.engine);
    return node;
  }

  /** The peer entry for {@code to} as {@code from} sees it (allowed IPs: to's addresses). */
  static Peer.Builder peerOf(Node to, String... extraAllowed) {
    Peer.Builder b =
        Peer.builder()
            .publicKey(to.key.publicKey())
            .addAllowedIp(InetNetwork.parse(to.v4() + "/32"))
            .addAllowedIp(InetNetwork.parse(to.v6() + "/128"))
            .endpoint(Endpoint.of(to.udp()));
    for (String a : extraAllowed) {
      b.addAllowedIp(InetNetwork.parse(a));
    }
    return b;
  }

  /** Peers a and b with each other (optionally with a preshared key). */
  static void link(Node a, Node b, PresharedKey psk) {
    Peer.Builder pa = peerOf(b);
    Peer.Builder pb = peerOf(a);
    if (psk != null) {
      pa.presharedKey(psk);
      pb.presharedKey(psk);
    }
    a.engine.addPeer(pa.build());
    b.engine.addPeer(pb.build());
  }

  /** Sends one packet from a to dst and expects it at b, unchanged; returns the packet. */
  static byte[] roundTrip(Node a, Node b, String src, String dst, byte[] payload)
      throws IOException {
    byte[] p = TestPackets.ip(src, dst, payload);
    a.engine.packets().send(p, 0, p.length);
    byte[] buf = new byte[2000];
    int n = b.engine.packets().receive(buf, 0, buf.length, Duration.ofSeconds(30));
    assertThat(n).as("packet arrived").isEqualTo(p.length);
    assertThat(java.util.Arrays.copyOf(buf, n)).isEqualTo(p);
    return p;
  }

  /** Moves the manual clock in steps of at most {@code step}, letting every tunnel catch up. */
  void advance(Duration total, Duration step) throws InterruptedException {
    ManualClock c = (ManualClock) clock;
    for (Duration left = total; !left.isZero() && !left.isNegative(); left = left.minus(step)) {
      Duration d = left.compareTo(step) < 0 ? left : step;
      c.advance(d);
      settle();
    }
  }

  /** Waits until the handshake threads are idle and in-flight datagrams have landed. */
  void settle() throws InterruptedException {
    for (int round = 0; round < 2; round++) {
      for (Engine e : engines) {
        eventually("send thread idle", e::sendIdle);
        e.handshakeThread.awaitIdle();
      }
      Thread.sleep(2); // loopback datagrams in flight
    }
  }

  /** Polls {@code condition}; the 30 s deadline is only a safety net for a loaded machine. */
  static void eventually(String what, java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      Thread.sleep(1);
    }
  }

  @Override
  public void close() {
    for (Engine e : engines) {
      e.close();
    }
  }
}
