package io.wireguardjava.netstack.internal.tcp;

import io.wireguardjava.netstack.internal.tcp.TcpCounters.Counter;

/**
 * The timers of one connection, all deadlines in {@link TcpConnection} fields:
 *
 * <ul>
 *   <li>retransmission (RFC 6298 §5): resend from SND.UNA (go-back-N over the holes the SACK
 *       scoreboard leaves; a second timeout in a row forgets the scoreboard, RFC 2018 §8), back
 *       off, cwnd to one segment; give up after the retry limit;
 *   <li>delayed ACK (RFC 9293 §3.8.6.3, at most 40 ms here);
 *   <li>persist (RFC 9293 §3.8.6.1): zero-window probes with back-off, never giving up while the
 *       peer answers;
 *   <li>keepalive (RFC 1122 §4.2.3.6): probes after the idle time, reset after the probe count;
 *   <li>TIME-WAIT (2*MSL) and the FIN-WAIT-2 timeout of closed sockets: the connection ends.
 * </ul>
 *
 * Stack thread, connection lock held.
 */
final class ConnectionTimers {
  private ConnectionTimers() {}

  static void onTimers(TcpConnection c, long now) {
    if (c.timeWaitAt <= now || c.finWait2At <= now) {
      c.enterClosed(null);
      return;
    }
    if (c.rtoAt <= now) {
      onRetransmissionTimeout(c, now);
      if (c.state == TcpState.CLOSED) {
        return;
      }
    }
    if (c.delayedAckAt <= now) {
      c.delayedAckAt = TcpConnection.NEVER;
      c.ackNow = true;
    }
    if (c.persistAt <= now) {
      c.persistAt = TcpConnection.NEVER;
      c.persistBackoff++;
      Transmitter.sendProbe(c, now);
    }
    updateKeepalive(c, now);
    if (c.keepaliveAt <= now) {
      if (c.keepaliveSent >= c.settings.keepaliveProbes()) {
        c.layer.sendReset(c.flow, c.sndMax, 0, false);
        c.enterClosed(ErrorKind.TIMED_OUT);
        return;
      }
      c.keepaliveSent++;
      Transmitter.sendProbe(c, now);
      c.keepaliveAt = now + c.settings.keepaliveInterval().toNanos();
    }
  }

  /** Arms or disarms the keepalive deadline after anything that may change it. */
  static void updateKeepalive(TcpConnection c, long now) {
    boolean idle =
        c.sndMax == c.sndUna
            && c.keepAlive
            && (c.state == TcpState.ESTABLISHED || c.state == TcpState.CLOSE_WAIT);
    if (!idle) {
      c.keepaliveAt = TcpConnection.NEVER;
    } else if (c.keepaliveSent == 0) {
      c.keepaliveAt = c.lastReceivedAt + c.settings.keepaliveIdle().toNanos();
    } else if (c.keepaliveAt == TcpConnection.NEVER) {
      c.keepaliveAt = now + c.settings.keepaliveInterval().toNanos();
    }
  }

  private static void onRetransmissionTimeout(TcpConnection c, long now) {
    c.rtoAt = TcpConnection.NEVER;
    if (c.sndMax == c.sndUna) {
      return;
    }
    c.layer.count(Counter.TIMEOUTS);
    c.retries++;
    boolean handshake = c.state == TcpState.SYN_SENT || c.state == TcpState.SYN_RECEIVED;
    int limit = handshake ? c.settings.maxSynRetransmissions() : c.settings.maxRetransmissions();
    if (c.retries > limit) {
      if (c.state != TcpState.SYN_SENT) {
        c.layer.sendReset(c.flow, c.sndMax, 0, false);
      }
      c.enterClosed(ErrorKind.TIMED_OUT);
      return;
    }
    c.rtt.backOff();
    c.rttTiming = false;
    if (handshake) {
      c.sndNxt = c.iss;
      return;
    }
    c.cc.onRetransmissionTimeout(c.sndMax - c.sndUna, now);
    c.inRecovery = false;
    c.inLoss = true;
    c.dupAcks = 0;
    c.recoverGuard = c.sndMax;
    if (c.retries > 1) {
      // RFC 2018 §8: the receiver may have reneged; after a second timeout trust no SACK block.
      c.scoreboard.clear();
    }
    c.sndNxt = c.sndUna;
    c.highRxt = c.sndUna; // go-back-N resends everything: no earlier retransmission counts
    c.forceRetransmit = false;
    c.resendUna = false;
  }
}
