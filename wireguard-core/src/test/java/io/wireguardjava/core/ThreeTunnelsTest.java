package io.wireguardjava.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.wireguardjava.DropReason;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A hub and two peers: the hub exchanges 10,000 packets with each peer in each direction, all four
 * streams at once; every stream arrives in order and intact (a SHA-256 per stream).
 */
class ThreeTunnelsTest {
  private static final int TOTAL = 10_000;

  /** UDP has no flow control: a window per stream keeps the socket buffers from overflowing. */
  private static final int IN_FLIGHT = 64;

  /** One direction between two nodes: what was sent, what arrived. */
  private static final class Stream {
    final TestNet.Node from;
    final TestNet.Node to;
    final MessageDigest sent;
    final MessageDigest got;
    final AtomicInteger received = new AtomicInteger();

    Stream(TestNet.Node from, TestNet.Node to) throws Exception {
      this.from = from;
      this.to = to;
      this.sent = MessageDigest.getInstance("SHA-256");
      this.got = MessageDigest.getInstance("SHA-256");
    }
  }

  @Test
  void hubExchangesTenThousandPacketsWithTwoPeersAtOnce() throws Exception {
    try (TestNet net = new TestNet()) {
      TestNet.Node hub = net.node(1);
      TestNet.Node p2 = net.node(2);
      TestNet.Node p3 = net.node(3);
      TestNet.link(hub, p2, null);
      TestNet.link(hub, p3, null);
      TestNet.roundTrip(hub, p2, hub.v4(), p2.v4(), "hello 2".getBytes());
      TestNet.roundTrip(hub, p3, hub.v4(), p3.v4(), "hello 3".getBytes());

      List<Stream> streams =
          List.of(
              new Stream(hub, p2), new Stream(hub, p3), new Stream(p2, hub), new Stream(p3, hub));
      AtomicReference<Throwable> failure = new AtomicReference<>();
      List<Thread> threads = new ArrayList<>();
      // readers: one per receiving node; the hub tells its two streams apart by source address
      for (TestNet.Node node : List.of(hub, p2, p3)) {
        List<Stream> mine = streams.stream().filter(s -> s.to == node).toList();
        threads.add(new Thread(() -> read(node, mine, failure), "reader-" + node.n));
      }
      for (Stream s : streams) {
        threads.add(new Thread(() -> write(s, failure), "writer-" + s.from.n + "-" + s.to.n));
      }
      threads.forEach(Thread::start);
      for (Thread t : threads) {
        t.join(60_000); // a safety net only; this takes a few seconds even on a loaded machine
      }
      assertThat(failure.get()).isNull();
      for (Thread t : threads) {
        assertThat(t.isAlive()).as(t.getName() + " finished").isFalse();
      }
      for (Stream s : streams) {
        assertThat(s.received.get()).as("packets %d -> %d", s.from.n, s.to.n).isEqualTo(TOTAL);
        assertThat(s.got.digest()).as("hash %d -> %d", s.from.n, s.to.n).isEqualTo(s.sent.digest());
      }
      for (TestNet.Node n : List.of(hub, p2, p3)) {
        assertThat(n.engine.stats().dropped(DropReason.DECRYPTION_FAILED)).isZero();
        assertThat(n.engine.stats().dropped(DropReason.INTERNAL_ERROR)).isZero();
        assertThat(n.engine.stats().dropped(DropReason.DEVICE_QUEUE_FULL)).isZero();
      }
    }
  }

  private static void write(Stream s, AtomicReference<Throwable> failure) {
    try {
      Random rnd = new Random(s.from.n * 10L + s.to.n);
      for (int i = 0; i < TOTAL; i++) {
        byte[] payload = new byte[4 + rnd.nextInt(1200)];
        rnd.nextBytes(payload);
        ByteBuffer.wrap(payload).putInt(i);
        s.sent.update(payload);
        byte[] p = TestPackets.ip(s.from.v4(), s.to.v4(), payload);
        while (i - s.received.get() >= IN_FLIGHT) {
          if (failure.get() != null) {
            return;
          }
          java.util.concurrent.locks.LockSupport.parkNanos(
              20_000); // leave the cores to the tunnels
        }
        s.from.engine.packets().send(p, 0, p.length);
      }
    } catch (Throwable t) {
      failure.compareAndSet(null, t);
    }
  }

  private static void read(
      TestNet.Node node, List<Stream> streams, AtomicReference<Throwable> failure) {
    byte[] buf = new byte[2000];
    try {
      for (int k = 0; k < TOTAL * streams.size(); k++) {
        int n = node.engine.packets().receive(buf, 0, buf.length, Duration.ofSeconds(20));
        assertThat(n).as("packet %d at node %d", k, node.n).isPositive();
        int source = buf[15] & 0xFF; // 10.0.0.<source>
        Stream s = streams.stream().filter(x -> x.from.n == source).findFirst().orElseThrow();
        byte[] payload = TestPackets.payload(buf, n);
        assertThat(ByteBuffer.wrap(payload).getInt())
            .as("order %d -> %d", s.from.n, s.to.n)
            .isEqualTo(s.received.get());
        s.got.update(payload);
        s.received.incrementAndGet();
      }
    } catch (Throwable t) {
      failure.compareAndSet(null, t);
    }
  }
}
