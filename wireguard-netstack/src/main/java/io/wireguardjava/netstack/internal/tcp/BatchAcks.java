package io.wireguardjava.netstack.internal.tcp;

/**
 * One ACK per receive batch for in-order data, as Linux sends one per GRO super-segment. RFC 5681
 * §4.2 asks for an ACK at least every second full-sized segment; a userspace receiver taking a
 * burst of segments from the tunnel at once would send one ACK per two of them, each a WireGuard
 * packet to encrypt and send here and to decrypt and process at the peer. When the driver says more
 * segments follow ({@link TcpLayer#beginBatch}), the ACK a second full segment owes waits for the
 * end of the batch ({@link TcpLayer#poll}), where one ACK covers every segment taken:
 *
 * <ol>
 *   <li>Outside a batch (or in a driver that never begins one) nothing changes: an ACK every second
 *       full segment, at once.
 *   <li>In a batch, at most {@link #STRETCH_SEGMENTS} full segments wait for one ACK; the one that
 *       reaches that count is ACKed at once (a long batch still clocks the sender).
 *   <li>Gaps filled, out-of-order segments, duplicates and FINs are ACKed as before (elsewhere):
 *       only the every-second-segment rule is stretched.
 * </ol>
 *
 * Stack thread, connection lock held.
 */
final class BatchAcks {
  /** Full segments one ACK may cover in a batch (Linux's GRO: up to 64 KiB, ~45 segments). */
  static final int STRETCH_SEGMENTS = 16;

  private BatchAcks() {}

  /**
   * Decides when in-order data just taken is ACKed: now, at the end of the batch, or by the
   * delayed-ACK timer.
   */
  static void onInOrderData(TcpConnection c, int fullSegment, long now) {
    if (c.bytesSinceAck < 2 * fullSegment) {
      if (c.delayedAckAt == TcpConnection.NEVER) {
        c.delayedAckAt = now + c.settings.delayedAck().toNanos();
      }
    } else if (c.layer.inBatch() && c.bytesSinceAck < STRETCH_SEGMENTS * fullSegment) {
      c.layer.oweAck(c);
    } else {
      c.ackNow = true;
    }
  }

  /**
   * The end of a batch: sends the ACK owed, unless one went out meanwhile (any segment we sent
   * carried it and reset the count).
   */
  static void onBatchEnd(TcpConnection c, long now) {
    c.ackOwed = false;
    if (c.state == TcpState.CLOSED || c.bytesSinceAck == 0) {
      return;
    }
    c.ackNow = true;
    Transmitter.transmit(c, now);
  }
}
