package io.wireguardjava.netstack.internal.stack;

import io.wireguardjava.TunnelPackets;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-memory link between two stacks with a fault injector: each packet sent is lost, duplicated,
 * delayed and (through random delay) reordered with the configured odds. Each end is a {@link
 * TunnelPackets}, so the real {@link StackThread} drives each stack.
 */
final class FaultyLink {
  /** Fault settings; percentages of packets. */
  record Faults(double lossPercent, double duplicatePercent, Duration delay, Duration jitter) {
    static final Faults NONE = new Faults(0, 0, Duration.ZERO, Duration.ZERO);
  }

  private static final class Packet implements Delayed {
    final byte[] bytes;
    final long due;
    final long order;

    Packet(byte[] bytes, long due, long order) {
      this.bytes = bytes;
      this.due = due;
      this.order = order;
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(due - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed o) {
      Packet p = (Packet) o;
      int c = Long.compare(due, p.due);
      return c != 0 ? c : Long.compare(order, p.order);
    }
  }

  /** One side of the link. */
  final class End implements TunnelPackets {
    private final DelayQueue<Packet> inbound = new DelayQueue<>();
    private final SplittableRandom random;
    private End peer;
    final AtomicLong sent = new AtomicLong();
    final AtomicLong lost = new AtomicLong();

    End(long seed) {
      random = new SplittableRandom(seed);
    }

    @Override
    public int mtu() {
      return mtu;
    }

    @Override
    public void send(byte[] packet, int offset, int length) throws IOException {
      if (closed) {
        throw new ClosedChannelException();
      }
      if (length <= 0 || length > mtu) {
        throw new IllegalArgumentException("length " + length);
      }
      sent.incrementAndGet();
      Faults f = faults;
      if (random.nextDouble() * 100 < f.lossPercent()) {
        lost.incrementAndGet();
        return;
      }
      byte[] copy = Arrays.copyOfRange(packet, offset, offset + length);
      int copies = random.nextDouble() * 100 < f.duplicatePercent() ? 2 : 1;
      for (int i = 0; i < copies; i++) {
        long jitter = f.jitter().isZero() ? 0 : random.nextLong(f.jitter().toNanos());
        peer.inbound.add(
            new Packet(
                copy, System.nanoTime() + f.delay().toNanos() + jitter, order.incrementAndGet()));
      }
    }

    @Override
    public int receive(byte[] buf, int offset, int length) throws IOException {
      return receive(buf, offset, length, Duration.ofDays(1));
    }

    @Override
    public int receive(byte[] buf, int offset, int length, Duration timeout) throws IOException {
      if (closed) {
        return -1;
      }
      try {
        Packet p = inbound.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (p == null) {
          return closed ? -1 : 0;
        }
        System.arraycopy(p.bytes, 0, buf, offset, p.bytes.length);
        return p.bytes.length;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException();
      }
    }
  }

  private final int mtu;
  private final AtomicLong order = new AtomicLong();
  volatile Faults faults = Faults.NONE;
  volatile boolean closed;
  final End a;
  final End b;

  FaultyLink(int mtu, long seed) {
    this.mtu = mtu;
    a = new End(seed);
    b = new End(seed * 31 + 7);
    a.peer = b;
    b.peer = a;
  }

  void close() {
    closed = true;
  }
}
