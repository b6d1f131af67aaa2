package io.wireguardjava.examples.demo;

import io.wireguardjava.Config;
import io.wireguardjava.DropReason;
import io.wireguardjava.Endpoint;
import io.wireguardjava.InetNetwork;
import io.wireguardjava.Interface;
import io.wireguardjava.Key;
import io.wireguardjava.Peer;
import io.wireguardjava.PeerStats;
import io.wireguardjava.PrivateKey;
import io.wireguardjava.Tunnel;
import io.wireguardjava.TunnelListener;
import io.wireguardjava.TunnelOptions;
import io.wireguardjava.TunnelPackets;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The demo behind {@code wg-java demo}: two WireGuard tunnels ("alice" and "bob") in this
 * process, each with its own key and UDP port on 127.0.0.1 and an in-process packet device, so no
 * root and no network set-up are needed. Alice and Bob complete a handshake, ping each other both
 * ways with ICMP echo packets through the encrypted tunnel, and the demo prints what happened.
 */
public final class Demo {
  private final PrintWriter out;
  private final int count;

  /** A demo printing to {@code out} that sends {@code count} pings each way. */
  public Demo(PrintWriter out, int count) {
    this.out = out;
    this.count = count;
  }

  /** One side: its tunnel and a tiny "network stack" thread that answers pings. */
  private static final class Node implements AutoCloseable {
    final String name;
    final PrivateKey key = PrivateKey.generate();
    final Inet4Address address;
    final Tunnel tunnel;
    final BlockingQueue<Integer> replies = new ArrayBlockingQueue<>(1024);
    final Thread stack;

    Node(String name, String address) throws IOException {
      this.name = name;
      this.address = (Inet4Address) InetAddress.getByName(address);
      Config config =
          Config.builder()
              .iface(
                  Interface.builder()
                      .privateKey(key)
                      .addAddress(InetNetwork.parse(address + "/24"))
                      .build())
              .build();
      this.tunnel =
          Tunnel.open(
              config,
              TunnelOptions.builder()
                  .inProcessDevice()
                  .interfaceName(name)
                  .bindAddress(InetAddress.getLoopbackAddress())
                  .build());
      this.stack = new Thread(this::answer, name + "-stack");
      stack.setDaemon(true);
      stack.start();
    }

    InetSocketAddress udp() {
      return new InetSocketAddress(InetAddress.getLoopbackAddress(), tunnel.listenPort());
    }

    /** Reads packets from the tunnel: answers echo requests, hands echo replies to the pinger. */
    private void answer() {
      TunnelPackets packets = tunnel.packets();
      byte[] buf = new byte[packets.mtu()];
      try {
        int n;
        while ((n = packets.receive(buf, 0, buf.length)) > 0) {
          int type = Icmp.type(buf, n);
          if (type == Icmp.ECHO_REQUEST) {
            Icmp.toReply(buf, n);
            packets.send(buf, 0, n);
          } else if (type == Icmp.ECHO_REPLY) {
            replies.offer(Icmp.sequence(buf));
          }
        }
      } catch (IOException e) {
        // tunnel closed
      }
    }

    @Override
    public void close() {
      tunnel.close();
    }
  }

  /** Runs the demo; returns the exit status (0: every ping answered). */
  public int run() throws IOException, InterruptedException {
    out.println("wireguard-java demo: two WireGuard tunnels in one JVM, talking UDP over 127.0.0.1");
    out.println("(no root needed: each tunnel's IP packets are read and written by this program)");
    out.println();
    try (Node alice = new Node("alice", "10.0.0.1");
        Node bob = new Node("bob", "10.0.0.2")) {
      for (Node n : new Node[] {alice, bob}) {
        out.printf("  %-5s  tunnel address %-9s  udp port %-5d  public key %s%n",
            n.name, n.address.getHostAddress(), n.tunnel.listenPort(), n.key.publicKey());
      }
      out.println();
      AtomicLong handshakeNanos = new AtomicLong(-1);
      alice.tunnel.addListener(
          new TunnelListener() {
            @Override
            public void onHandshakeCompleted(Key peer, Duration took) {
              handshakeNanos.compareAndSet(-1, took.toNanos());
            }
          });
      // Each side knows the other's public key, its tunnel address and where to send UDP.
      alice.tunnel.addPeer(peer(bob));
      bob.tunnel.addPeer(peer(alice));

      long start = System.nanoTime();
      boolean ok = ping(alice, bob, 1, "first ping (starts the handshake)");
      out.printf("  handshake   alice -> bob: Noise IKpsk2, done in %s (a cold JVM: class loading"
              + " and JIT included)%n",
          handshakeNanos.get() < 0 ? "?" : ms(handshakeNanos.get()));
      out.printf("  first ping  answered %s after it was sent (handshake included)%n",
          ms(System.nanoTime() - start));
      ok &= pings(alice, bob);
      ok &= pings(bob, alice);
      out.println();
      for (Node n : new Node[] {alice, bob}) {
        Node other = n == alice ? bob : alice;
        PeerStats s = n.tunnel.peerStats(other.key.publicKey()).orElseThrow();
        out.printf("  %-5s  sent %,7d bytes, received %,7d bytes of encrypted UDP; drops: %d%n",
            n.name, s.txBytes(), s.rxBytes(), n.tunnel.stats().droppedTotal());
      }
      long drops = alice.tunnel.stats().droppedTotal() + bob.tunnel.stats().droppedTotal();
      out.println();
      if (ok && drops == 0) {
        out.println("OK: handshake done, every ping answered through the encrypted tunnel.");
        return 0;
      }
      out.println("FAILED: some pings were not answered (drops: "
          + dropSummary(alice) + "; " + dropSummary(bob) + ")");
      return 1;
    } finally {
      out.flush();
    }
  }

  private boolean pings(Node from, Node to) throws IOException, InterruptedException {
    long[] rtts = new long[count];
    int answered = 0;
    for (int seq = 1; seq <= count; seq++) {
      long t0 = System.nanoTime();
      if (ping(from, to, seq, null)) {
        rtts[answered++] = System.nanoTime() - t0;
      }
    }
    long[] r = Arrays.copyOf(rtts, answered);
    Arrays.sort(r);
    out.printf(Locale.ROOT, "  ping        %-5s -> %-5s: %d/%d answered, round trip min/median/max"
            + " %s / %s / %s%n",
        from.name, to.name, answered, count,
        answered == 0 ? "-" : ms(r[0]), answered == 0 ? "-" : ms(r[r.length / 2]),
        answered == 0 ? "-" : ms(r[r.length - 1]));
    return answered == count;
  }

  private boolean ping(Node from, Node to, int seq, @Nullable String label)
      throws IOException, InterruptedException {
    byte[] payload = new byte[56];
    Arrays.fill(payload, (byte) seq);
    byte[] p = Icmp.echo(Icmp.ECHO_REQUEST, from.address, to.address, 0x77, seq, payload);
    from.replies.clear();
    from.tunnel.packets().send(p, 0, p.length);
    Integer got;
    do {
      got = from.replies.poll(5, TimeUnit.SECONDS);
    } while (got != null && got != seq);
    return got != null;
  }

  private static Peer peer(Node n) {
    return Peer.builder()
        .publicKey(n.key.publicKey())
        .addAllowedIp(InetNetwork.parse(n.address.getHostAddress() + "/32"))
        .endpoint(Endpoint.of(n.udp()))
        .build();
  }

  private static String dropSummary(Node n) {
    StringBuilder b = new StringBuilder(n.name);
    n.tunnel.stats().drops().forEach((DropReason r, Long c) -> {
      if (c > 0) {
        b.append(' ').append(r).append('=').append(c);
      }
    });
    return b.toString();
  }

  private static String ms(long nanos) {
    return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
  }

  /** Runs the demo with 100 pings each way. */
  public static void main(String[] args) throws Exception {
    System.exit(new Demo(new PrintWriter(System.out, true), 100).run());
  }
}
