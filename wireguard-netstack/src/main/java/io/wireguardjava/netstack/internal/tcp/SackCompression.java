package io.wireguardjava.netstack.internal.tcp;

/**
 * Fewer ACKs for out-of-order data when SACK is on, as Linux does since 4.18 ({@code
 * tcp_comp_sack_delay_ns}, {@code tcp_comp_sack_nr}). RFC 5681 §4.2 asks for an immediate ACK per
 * out-of-order segment so that a sender counting duplicate ACKs starts fast retransmit; during a
 * loss episode that is one ACK per data segment for a whole round trip, each a WireGuard packet to
 * encrypt, relay and decrypt. With SACK the sender learns the same from fewer ACKs, each carrying
 * blocks that cover every segment held:
 *
 * <ol>
 *   <li>The first {@link #AT_ONCE} out-of-order segments at one RCV.NXT are ACKed at once (the
 *       duplicate ACKs a dupack-counting sender needs).
 *   <li>Later ones are held until {@link #MAX_HELD} are waiting or {@code min(1 ms, SRTT/20)} has
 *       passed, whichever comes first; any ACK sent meanwhile carries them.
 *   <li>Duplicates and segments that fill the gap at RCV.NXT are still ACKed at once (elsewhere).
 * </ol>
 *
 * Without SACK every out-of-order segment is ACKed at once. Stack thread, connection lock held.
 */
final class SackCompression {
  /** Immediate ACKs per RCV.NXT before holding: the sender's duplicate-ACK threshold. */
  static final int AT_ONCE = SackScoreboard.DUP_THRESH;

  /** At most this many out-of-order segments wait for one ACK (Linux: tcp_comp_sack_nr). */
  static final int MAX_HELD = 44;

  /** The longest an ACK waits (Linux: tcp_comp_sack_delay_ns), and at most SRTT/20. */
  static final long MAX_DELAY_NANOS = 1_000_000L;

  private SackCompression() {}

  /** Decides when the ACK for an out-of-order segment just stored goes out. */
  static void onOutOfOrder(TcpConnection c, long now) {
    if (!c.sackOk) {
      c.ackNow = true;
      return;
    }
    if (!c.oooAckNxtSet || c.oooAckNxt != c.rcvNxt) {
      c.oooAckNxtSet = true;
      c.oooAckNxt = c.rcvNxt;
      c.oooAcksAtOnce = 0;
    }
    if (c.oooAcksAtOnce < AT_ONCE) {
      c.oooAcksAtOnce++;
      c.ackNow = true;
      return;
    }
    c.heldAcks++;
    if (c.heldAcks >= MAX_HELD) {
      c.ackNow = true;
      return;
    }
    long srtt = c.rtt.srtt();
    long delay = srtt > 0 ? Math.min(MAX_DELAY_NANOS, srtt / 20) : MAX_DELAY_NANOS;
    c.delayedAckAt = Math.min(c.delayedAckAt, now + delay);
  }
}
