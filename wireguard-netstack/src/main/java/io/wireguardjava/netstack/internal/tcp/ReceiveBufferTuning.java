package io.wireguardjava.netstack.internal.tcp;

/**
 * Dynamic right-sizing of the receive buffer, as Linux's tcp_rcv_space_adjust: when the peer
 * delivered at least half the buffer within one round trip, the window is what limits it, so the
 * buffer doubles (up to the limit and the layer's memory budget).
 *
 * <p>The round trip is the receiver's own estimate (tcp_rcv_rtt_measure without timestamps): the
 * time RCV.NXT takes to reach the window edge advertised when the measurement started is at least
 * one round trip, and the smallest such time is the estimate. Our smoothed RTT does not do for a
 * receiver: with no data of ours to time it is the handshake's, an idle round trip far below the
 * round trip under load through a userspace tunnel, so the buffer would be judged on a fraction of
 * a round trip's data and stop growing while it still limits the sender. Stack thread, connection
 * lock held.
 */
final class ReceiveBufferTuning {
  /** The shortest period the buffer is judged over. */
  static final long MIN_PERIOD_NANOS = 1_000_000L;

  /** The period before any RTT estimate. */
  static final long DEFAULT_PERIOD_NANOS = 50_000_000L;

  private ReceiveBufferTuning() {}

  /** Called when in-order data moved RCV.NXT forward by {@code bytes}. */
  static void onInOrderData(TcpConnection c, int bytes, long now) {
    c.tuneBytes += bytes;
    measureRtt(c, now);
    adjust(c, now);
  }

  /** The round trip the buffer is judged over. */
  static long period(TcpConnection c) {
    long rtt = c.rcvRttNanos > 0 ? c.rcvRttNanos : c.rtt.srtt();
    return rtt > 0 ? Math.max(rtt, MIN_PERIOD_NANOS) : DEFAULT_PERIOD_NANOS;
  }

  private static void measureRtt(TcpConnection c, long now) {
    if (c.rcvRttMeasuring && Seq.lt(c.rcvNxt, c.rcvRttSeq)) {
      return;
    }
    if (c.rcvRttMeasuring) {
      long sample = Math.max(1, now - c.rcvRttAt);
      c.rcvRttNanos = c.rcvRttNanos == 0 ? sample : Math.min(c.rcvRttNanos, sample);
    }
    c.rcvRttMeasuring = true;
    c.rcvRttSeq = Seq.max(c.rcvAdvEdge, c.rcvNxt + c.mss);
    c.rcvRttAt = now;
  }

  private static void adjust(TcpConnection c, long now) {
    if (now - c.tuneStart < period(c)) {
      return;
    }
    ByteRing ring = c.recvRing;
    if (ring != null && c.tuneBytes * 2L >= ring.capacity() && ring.capacity() < c.recvLimit) {
      int target = (int) Math.min((long) ring.capacity() * 2, c.recvLimit);
      if (c.layer.budget().reserve(target - ring.capacity())) {
        ring.grow(target, c.assembler.highestEnd(c.rcvNxt) - c.rcvNxt);
      }
    }
    c.tuneStart = now;
    c.tuneBytes = 0;
  }
}
