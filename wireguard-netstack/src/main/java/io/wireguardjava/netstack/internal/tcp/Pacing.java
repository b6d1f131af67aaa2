package io.wireguardjava.netstack.internal.tcp;

/**
 * Pacing of a connection's data segments at its congestion control's rate, released in quanta as
 * Linux's TSO autosizing and fq do: when the pacing time comes, one quantum of about 1 ms at the
 * rate (at least 2 segments, at most 64 KiB) goes out back to back, and the next release is that
 * quantum's time later. One segment per release would need one stack-thread wakeup per segment: at
 * hundreds of Mbit/s that is a wakeup every few tens of microseconds, far below what a parked
 * thread honours, so the sender falls under its own rate.
 *
 * <p>A stack thread that wakes late for a pacing wait (a loaded machine, a long batch of packets
 * before it) makes the lost time up: the pacing clock then starts from where it stood, up to one
 * smoothed round trip behind now, instead of from at most {@link #CREDIT_NANOS} ago. Without this a
 * sender that can only run every few milliseconds sends at most two quanta per run, far below its
 * rate; BBR then measures that self-made delivery rate as the path's bandwidth, paces at it, and
 * spirals down to two segments per wakeup (LinkedStacksTest at 5 % loss took 55 s on a quiet
 * machine and 850 s on a loaded one, where NewReno, clocked by ACKs, took 28 s). Time the sender
 * did not want (no data, cwnd full) earns only {@link #CREDIT_NANOS}. Stack thread, connection
 * lock held.
 */
final class Pacing {
  /** The time one quantum covers: 1 ms, as Linux's default sk_pacing_shift of 10. */
  static final long QUANTUM_NANOS = 1_000_000L;

  /** The largest quantum: one 64 KiB TSO segment in Linux. */
  static final int MAX_QUANTUM_BYTES = 64 * 1024;

  /** The pacing time a late wakeup may make up in one burst: 1 ms, as Linux's TSO bursts. */
  static final long CREDIT_NANOS = 1_000_000L;

  private Pacing() {}

  /**
   * The bytes one release may send at {@code rate}: about 1 ms of it, within 2 segments and 64 KiB
   * (tcp_tso_autosize with BBR's minimum of 2 segments).
   *
   * @param rate the pacing rate in bytes per second, above 0
   * @param mss the segment size
   */
  static int quantum(long rate, int mss) {
    long bytes = rate * QUANTUM_NANOS / 1_000_000_000L;
    return (int) Math.max(2L * mss, Math.min(bytes, Math.max(MAX_QUANTUM_BYTES, 2L * mss)));
  }

  /**
   * Whether pacing holds the next data segment back at {@code now}. A release opens a quantum that
   * the following segments at the same instant may fill; when held, the wait becomes the
   * connection's pacing timer, so the stack thread wakes for it (nothing sleeps).
   */
  static boolean blocks(TcpConnection c, long now) {
    long rate = c.cc.pacingRate();
    if (rate <= 0) {
      return false;
    }
    if (c.pacingBurstLeft > 0 && c.pacingBurstAt == now) {
      return false;
    }
    if (c.pacingNextAt <= now) {
      c.pacingBurstLeft = quantum(rate, c.mss);
      c.pacingBurstAt = now;
      return false;
    }
    c.pacingBurstLeft = 0;
    c.pacingWaitAt = c.pacingNextAt;
    return true;
  }

  /**
   * Starts a transmit pass: whether the previous pass ended held back by pacing, so that the time
   * since its pacing wait expired is owed to the sender. Call before {@link #blocks} in a pass.
   */
  static void onPassStart(TcpConnection c) {
    c.pacingCatchUp = c.pacingWaitAt != TcpConnection.NEVER;
    c.pacingWaitAt = TcpConnection.NEVER;
  }

  /**
   * Moves the pacing clock by one segment's time at the pacing rate and takes it from the open
   * quantum. Unused time may be caught up, so a stack thread that wakes late does not fall below
   * the rate: up to {@link #CREDIT_NANOS}, or up to one smoothed RTT when the sender was held back
   * by pacing and the stack thread ran late.
   */
  static void onSent(TcpConnection c, int bytes, long now) {
    long rate = c.cc.pacingRate();
    if (rate <= 0) {
      return;
    }
    long credit = c.pacingCatchUp ? Math.max(CREDIT_NANOS, c.rtt.srtt()) : CREDIT_NANOS;
    long base = Math.max(c.pacingNextAt, now - credit);
    c.pacingNextAt = base + bytes * 1_000_000_000L / rate;
    c.pacingBurstLeft -= bytes;
  }
}
