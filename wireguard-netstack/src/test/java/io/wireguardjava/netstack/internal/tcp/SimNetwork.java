package io.wireguardjava.netstack.internal.tcp;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

/**
 * Two {@link TcpLayer}s joined by a simulated link with a fault injector (loss, duplication,
 * reordering by extra delay, a rate limit with a drop-tail queue), driven by a simulated clock:
 * time jumps to the next event, so minutes of traffic run in seconds and nothing sleeps. Packets
 * are [source address][destination address][TCP segment], IPv4.
 */
final class SimNetwork {
  static final InetAddress ADDRESS_A = address(10, 0, 0, 1);
  static final InetAddress ADDRESS_B = address(10, 0, 0, 2);

  /** Link impairments of one direction. */
  static final class Faults {
    double loss;
    double duplicate;
    double reorder;
    long delayNanos = 5_000_000;
    long reorderExtraNanos = 3_000_000;
    long bytesPerSecond = 12_500_000; // 100 Mbit/s
    long queueLimitNanos = 50_000_000;

    /**
     * Up to this much extra delay per packet, uniformly random, order kept (a busy host between the
     * ends: the RTT varies far above its minimum, as through a userspace tunnel).
     */
    long jitterNanos;

    private long lastArrival;

    Faults loss(double v) {
      loss = v;
      return this;
    }

    Faults duplicate(double v) {
      duplicate = v;
      return this;
    }

    Faults reorder(double v) {
      reorder = v;
      return this;
    }

    Faults delayMillis(long ms) {
      delayNanos = ms * 1_000_000;
      return this;
    }

    Faults rate(long bytesPerSec) {
      bytesPerSecond = bytesPerSec;
      return this;
    }
  }

  private static final class Packet {
    final long at;
    final long order;
    final byte[] data;
    final TcpLayer to;

    Packet(long at, long order, byte[] data, TcpLayer to) {
      this.at = at;
      this.order = order;
      this.data = data;
      this.to = to;
    }
  }

  final TcpLayer a;
  final TcpLayer b;
  final Faults faultsAtoB;
  final Faults faultsBtoA;
  private final SplittableRandom random;
  private final PriorityQueue<Packet> inFlight =
      new PriorityQueue<>(
          (x, y) -> x.at != y.at ? Long.compare(x.at, y.at) : Long.compare(x.order, y.order));
  private final ArrayDeque<Packet> due = new ArrayDeque<>();
  private long order;
  private long linkFreeAtoB;
  private long linkFreeBtoA;
  long now = 1_000_000_000L;

  /** When above 0, time advances in steps of this size (batches events; for many connections). */
  long tickNanos;

  long delivered;
  long dropped;

  /** Data segments from A to B the link lost (random loss and tail drop). */
  long droppedDataAtoB;

  /**
   * Data segments that reached B carrying only bytes B had already received from A: spurious
   * retransmissions (with no duplication fault). Counted over the first 2^31 bytes A sends.
   */
  long redundantAtoB;

  private final java.util.BitSet arrivedAtB = new java.util.BitSet();
  private int isnA;
  private boolean isnASeen;

  SimNetwork(TcpSettings settings, Faults ab, Faults ba, long seed) {
    this.random = new SplittableRandom(seed);
    this.faultsAtoB = ab;
    this.faultsBtoA = ba;
    SplittableRandom ra = random.split();
    SplittableRandom rb = random.split();
    TcpLayer[] pair = new TcpLayer[2];
    pair[0] =
        new TcpLayer(
            (flow, seg, off, len) -> send(true, seg, off, len, flow), settings, ra, () -> {});
    pair[1] =
        new TcpLayer(
            (flow, seg, off, len) -> send(false, seg, off, len, flow), settings, rb, () -> {});
    a = pair[0];
    b = pair[1];
  }

  private boolean send(boolean fromA, byte[] seg, int off, int len, TcpFlow flow) {
    Faults f = fromA ? faultsAtoB : faultsBtoA;
    long free = fromA ? linkFreeAtoB : linkFreeBtoA;
    long start = Math.max(now, free);
    boolean data = fromA && len > (seg[off + 12] >> 4 & 0xf) * 4;
    if (fromA && (seg[off + 13] & TcpHeader.SYN) != 0) {
      isnA = TcpHeader.seq(seg, off) + 1;
      isnASeen = true;
    }
    if (start - now > f.queueLimitNanos) {
      dropped++;
      droppedDataAtoB += data ? 1 : 0;
      return true; // tail drop in the bottleneck queue
    }
    long serialization = (len + 28) * 1_000_000_000L / f.bytesPerSecond;
    long departs = start + serialization;
    if (fromA) {
      linkFreeAtoB = departs;
    } else {
      linkFreeBtoA = departs;
    }
    if (random.nextDouble() < f.loss) {
      dropped++;
      droppedDataAtoB += data ? 1 : 0;
      return true;
    }
    byte[] local = flow.localBytes();
    byte[] remote = flow.remoteBytes();
    byte[] p = new byte[8 + len];
    System.arraycopy(local, 0, p, 0, 4);
    System.arraycopy(remote, 0, p, 4, 4);
    System.arraycopy(seg, off, p, 8, len);
    TcpLayer to = fromA ? b : a;
    long at = departs + f.delayNanos;
    if (f.jitterNanos > 0) {
      at = Math.max(f.lastArrival, at + random.nextLong(f.jitterNanos));
      f.lastArrival = at;
    }
    if (random.nextDouble() < f.reorder) {
      at += 1 + random.nextLong(f.reorderExtraNanos);
    }
    inFlight.add(new Packet(at, order++, p, to));
    if (random.nextDouble() < f.duplicate) {
      inFlight.add(new Packet(at + 1 + random.nextLong(1_000_000), order++, p.clone(), to));
    }
    return true;
  }

  /** One step of the applications; returns true if it did anything. */
  interface App {
    boolean step() throws Exception;
  }

  /** Runs until done() or the simulated time limit; returns false on the limit. */
  boolean run(App app, BooleanSupplier done, long maxSimNanos) throws Exception {
    long end = now + maxSimNanos;
    while (!done.getAsBoolean()) {
      boolean progress = app.step();
      a.poll(now);
      b.poll(now);
      while (!inFlight.isEmpty() && inFlight.peek().at <= now) {
        due.add(inFlight.poll());
      }
      boolean deliveredAny = !due.isEmpty();
      Packet p;
      while ((p = due.poll()) != null) {
        delivered++;
        if (p.to == b) {
          noteArrivalAtB(p.data);
        }
        p.to.onSegment(p.data, 0, 4, 4, 8, p.data.length - 8, now);
      }
      if (progress || deliveredAny) {
        continue;
      }
      long next = Long.MAX_VALUE;
      if (!inFlight.isEmpty()) {
        next = inFlight.peek().at;
      }
      long da = a.nextDeadlineNanos();
      long db = b.nextDeadlineNanos();
      if (da == Long.MIN_VALUE || db == Long.MIN_VALUE) {
        continue;
      }
      next = Math.min(next, Math.min(da, db));
      if (next == Long.MAX_VALUE) {
        return done.getAsBoolean();
      }
      if (next > end) {
        now = end;
        return false;
      }
      now = Math.max(now, next);
      if (tickNanos > 0) {
        now = (now + tickNanos - 1) / tickNanos * tickNanos;
      }
    }
    return true;
  }

  private void noteArrivalAtB(byte[] p) {
    int hl = (p[8 + 12] >> 4 & 0xf) * 4;
    int len = p.length - 8 - hl;
    if (len <= 0 || !isnASeen) {
      return;
    }
    long from = (TcpHeader.seq(p, 8) - isnA) & 0xffffffffL;
    if (from + len > Integer.MAX_VALUE) {
      return;
    }
    if (arrivedAtB.nextClearBit((int) from) >= from + len) {
      redundantAtoB++;
    }
    arrivedAtB.set((int) from, (int) from + len);
  }

  /** Advances the clock by d, running timers and deliveries along the way. */
  void advance(long nanos) throws Exception {
    long target = now + nanos;
    run(() -> false, () -> now >= target, nanos + 1);
    now = Math.max(now, target);
    a.poll(now);
    b.poll(now);
  }

  private static InetAddress address(int... b) {
    try {
      return InetAddress.getByAddress(
          new byte[] {(byte) b[0], (byte) b[1], (byte) b[2], (byte) b[3]});
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
