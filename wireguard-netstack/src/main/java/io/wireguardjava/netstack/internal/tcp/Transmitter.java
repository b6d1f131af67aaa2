package io.wireguardjava.netstack.internal.tcp;

import io.wireguardjava.netstack.internal.tcp.TcpCounters.Counter;

/**
 * Decides what a connection sends now and builds the segments: SYN/SYN-ACK, new data within
 * min(cwnd, peer window) with Nagle and sender-side silly-window avoidance, RFC 3042 limited
 * transmit, RFC 6675 loss recovery (NextSeg over the SACK scoreboard; NewReno's one hole without
 * SACK), go-back-N after a timeout, FIN, and pure ACKs carrying SACK blocks. Stack thread,
 * connection lock held; segments go out through the layer's one scratch array.
 */
final class Transmitter {
  private static final int MAX_OPTIONS = 40;

  private Transmitter() {}

  static void transmit(TcpConnection c, long now) {
    // A pacing wait is decided anew by every pass; one left over from a state that no longer sends
    // data (TIME-WAIT after a paced burst) would be a timer that fires at once, forever.
    Pacing.onPassStart(c);
    switch (c.state) {
      case CLOSED, TIME_WAIT -> {
        if (c.ackNow && c.state == TcpState.TIME_WAIT) {
          emit(c, c.sndMax, 0, TcpHeader.ACK, now);
        }
        return;
      }
      case SYN_SENT -> {
        if (c.sndNxt == c.iss) {
          sendSyn(c, TcpHeader.SYN, now);
        }
        return;
      }
      case SYN_RECEIVED -> {
        if (c.sndNxt == c.iss) {
          sendSyn(c, TcpHeader.SYN | TcpHeader.ACK, now);
        } else if (c.ackNow) {
          emit(c, ackSequence(c), 0, TcpHeader.ACK, now);
        }
        return;
      }
      default -> {}
    }
    boolean sent = false;
    if (c.state.sendsData()) {
      for (int guard = 0; guard < 4096; guard++) {
        if (!(c.inRecovery ? sendInRecovery(c, now) : sendNormal(c, now))) {
          break;
        }
        sent = true;
      }
      armPersist(c, now);
    }
    if (!sent && (c.ackNow || c.windowUpdatePending && windowGrewEnough(c))) {
      emit(c, ackSequence(c), 0, TcpHeader.ACK, now);
    }
    c.windowUpdatePending = false;
  }

  /**
   * The sequence number of a segment without data (ACK, window update): SND.MAX, the highest we
   * sent, as Linux's tcp_acceptable_seq, and never past the peer's window. Not SND.NXT: after a
   * timeout SND.NXT goes back to SND.UNA while the peer may already hold everything up to SND.MAX,
   * and an ACK numbered below its RCV.NXT is unacceptable there (RFC 9293 §3.10.7.4): dropped, with
   * its acknowledgement and window, and answered by an ACK. When both sides time out at once
   * neither takes the other's ACKs, and the connection stalls until it gives up.
   */
  static int ackSequence(TcpConnection c) {
    int windowEnd = c.sndUna + c.sndWnd;
    return Seq.le(c.sndMax, windowEnd) ? c.sndMax : Seq.max(windowEnd, c.sndNxt);
  }

  /** Whether a window update is worth a segment (RFC 9293 §3.8.6.2.2 receiver SWS avoidance). */
  static boolean windowGrewEnough(TcpConnection c) {
    long edge = (long) c.rcvNxt + advertisedWindow(c);
    int grow = (int) (edge - c.rcvAdvEdge);
    ByteRing r = c.recvRing;
    int cap = r == null ? 0 : r.capacity();
    // RFC 9293 §3.8.6.2.2: once the edge can move by min(buffer / 2, MSS). (Two MSS here made a
    // window left small by scaling round-up wait for the peer's next probe.)
    return grow >= Math.min(cap / 2, c.mss) && grow > 0 || c.rcvAdvEdge == c.rcvNxt && grow > 0;
  }

  private static void sendSyn(TcpConnection c, int flags, long now) {
    if (!c.rttTiming && c.retries == 0) {
      c.rttTiming = true;
      c.rttSeq = c.iss;
      c.rttSentAt = now;
    }
    emit(c, c.iss, 0, flags, now);
    c.sndNxt = c.iss + 1;
    c.sndMax = c.iss + 1;
    if (c.rtoAt == TcpConnection.NEVER) {
      c.rtoAt = now + c.rtt.rto();
    }
  }

  /** The payload room of one segment: MSS less the options that segment carries (RFC 6691). */
  private static int segmentRoom(TcpConnection c) {
    int opt =
        c.sackOk && !c.assembler.isEmpty()
            ? 4 + 8 * Math.min(c.assembler.rangeCount(), TcpOptions.MAX_SACK_BLOCKS)
            : 0;
    return Math.max(1, c.mss - opt);
  }

  private static boolean sendNormal(TcpConnection c, long now) {
    int dataEnd = c.dataEnd();
    int room = segmentRoom(c);
    // After a timeout sndNxt < sndMax: go back N, but over the holes only (SACKed data stays).
    int holeEnd = dataEnd;
    if (Seq.lt(c.sndNxt, c.sndMax) && !c.scoreboard.isEmpty()) {
      int h = c.scoreboard.nextHole(c.sndNxt, c.sndMax);
      if (h != c.sndNxt) {
        c.sndNxt = h;
      }
      if (Seq.lt(h, c.sndMax)) {
        holeEnd = Seq.min(c.scoreboard.holeEnd, dataEnd);
      }
    }
    int avail = dataEnd - c.sndNxt;
    if (avail < 0) {
      return false; // FIN already sent at sndNxt-1
    }
    int flight = c.sndNxt - c.sndUna - c.scoreboard.sackedIn(c.sndUna, c.sndNxt);
    int limited = c.dupAcks > 0 && c.dupAcks < SackScoreboard.DUP_THRESH ? c.dupAcks * c.mss : 0;
    int cwndRoom = c.cc.cwnd() + limited - flight;
    int peerRoom = c.sndUna + c.sndWnd - c.sndNxt;
    int usable = Math.min(cwndRoom, peerRoom);
    if (avail == 0) {
      // sndNxt == dataEnd: the FIN is next, sent for the first time or again after a timeout.
      if (c.finQueued && (cwndRoom > 0 || flight == 0)) {
        emit(c, c.sndNxt, 0, TcpHeader.ACK | TcpHeader.FIN, now);
        return true;
      }
      if (cwndRoom > 0 && c.sndNxt == c.sndMax) {
        c.cc.onApplicationLimited(flight); // the window had room; rate samples will be low
      }
      return false;
    }
    if (flight == 0
        && c.sndNxt == c.sndMax
        && c.lastSentAt != 0
        && now - c.lastSentAt > c.rtt.rto()) {
      c.cc.onIdleRestart(now); // RFC 5681 §4.1: no line-rate burst after an idle period
      cwndRoom = c.cc.cwnd();
      usable = Math.min(cwndRoom, peerRoom);
    }
    if (usable <= 0) {
      return false;
    }
    int len = Math.min(Math.min(avail, usable), room);
    if (Seq.lt(c.sndNxt + len, c.sndNxt) || Seq.gt(c.sndNxt + len, holeEnd)) {
      len = holeEnd - c.sndNxt; // resend up to the next SACKed range
      avail = len;
    }
    if (len < room && len < avail) {
      // Window-limited and small: sender SWS avoidance, unless nothing is in flight.
      if (flight > 0 && len < c.maxSndWnd / 2) {
        return false;
      }
    }
    if (len < room
        && len == avail
        && !c.noDelay
        && !c.finQueued
        && flight > 0
        && Seq.ge(c.sndNxt, c.sndMax)) {
      return false; // Nagle (RFC 896): one small segment in flight at a time
    }
    if (Pacing.blocks(c, now)) {
      return false;
    }
    boolean fin = c.finQueued && c.sndNxt + len == dataEnd && usable > len;
    emit(
        c,
        c.sndNxt,
        len,
        TcpHeader.ACK | (fin ? TcpHeader.FIN : 0) | (len == avail ? TcpHeader.PSH : 0),
        now);
    return true;
  }

  /** RFC 6675 §5 step (C): NextSeg while cwnd - pipe >= 1 SMSS. */
  private static boolean sendInRecovery(TcpConnection c, long now) {
    if (c.resendUna && resendFirstHole(c, now)) {
      return true;
    }
    int dataEnd = c.dataEnd();
    int lostEnd;
    int sacked;
    int from = Seq.max(c.highRxt, c.sndUna);
    int lostNotRetransmitted;
    if (c.sackOk) {
      lostEnd = c.scoreboard.lostBoundary(c.sndUna, c.mss);
      if (c.forceRetransmit && Seq.le(lostEnd, c.sndUna)) {
        lostEnd = Seq.min(c.sndUna + c.mss, c.sndMax);
      }
      sacked = c.scoreboard.sackedBytes();
      lostNotRetransmitted = Seq.lt(from, lostEnd) ? c.scoreboard.holeBytes(from, lostEnd) : 0;
    } else {
      lostEnd = Seq.min(c.renoLostEnd, c.sndMax);
      sacked = Math.min(c.dupAcks * c.mss, Math.max(0, c.sndMax - c.sndUna - c.mss));
      lostNotRetransmitted = Seq.lt(from, lostEnd) ? lostEnd - from : 0;
    }
    int pipe = Math.max(0, c.sndMax - c.sndUna - sacked - lostNotRetransmitted);
    if (!c.forceRetransmit && (c.cc.cwnd() - pipe < c.mss || Pacing.blocks(c, now))) {
      return false;
    }
    int room = segmentRoom(c);
    // Rule 1: the first lost hole not yet retransmitted.
    if (Seq.lt(from, lostEnd)) {
      int h;
      int hEnd;
      if (c.sackOk) {
        h = c.scoreboard.nextHole(from, lostEnd);
        hEnd = c.scoreboard.holeEnd;
      } else {
        h = from;
        hEnd = lostEnd;
      }
      if (Seq.lt(h, lostEnd)) {
        int len = Math.min(room, Seq.min(hEnd, dataEnd) - h);
        boolean fin = c.finQueued && Seq.ge(h + Math.max(len, 0), dataEnd) && c.finSent();
        if (len <= 0 && !fin) {
          c.highRxt = hEnd;
          return true;
        }
        len = Math.max(len, 0);
        if (h == c.sndUna) {
          c.unaRetransmitted = true;
          c.unaRetransmitMarker = c.sndMax;
          c.unaRetransmitAt = now;
        }
        emit(c, h, len, TcpHeader.ACK | (fin ? TcpHeader.FIN : 0), now);
        c.highRxt = h + len + (fin ? 1 : 0);
        c.forceRetransmit = false;
        return true;
      }
    }
    c.forceRetransmit = false;
    // Rule 2: new data within the peer's window.
    int avail = dataEnd - c.sndMax;
    int peerRoom = c.sndUna + c.sndWnd - c.sndMax;
    if (avail > 0 && peerRoom > 0) {
      int len = Math.min(Math.min(avail, peerRoom), room);
      if (len < room && len < avail) {
        return false;
      }
      boolean fin = c.finQueued && len == avail;
      emit(c, c.sndMax, len, TcpHeader.ACK | (fin ? TcpHeader.FIN : 0), now);
      return true;
    }
    if (avail == 0 && c.finQueued && !c.finSent()) {
      emit(c, c.sndMax, 0, TcpHeader.ACK | TcpHeader.FIN, now);
      return true;
    }
    // Rule 3: no new data to send: a hole above HighRxt below the highest SACKed byte, lost or
    // not yet (the tail of a transfer, where too little is SACKed above it for IsLost), rather
    // than waiting for the timeout.
    if (c.sackOk && avail <= 0) {
      int highestSacked = c.scoreboard.highestSacked(c.sndUna);
      if (Seq.lt(from, highestSacked)) {
        int h = c.scoreboard.nextHole(from, highestSacked);
        int len = Math.min(room, Seq.min(c.scoreboard.holeEnd, dataEnd) - h);
        if (Seq.lt(h, highestSacked) && len > 0) {
          emit(c, h, len, TcpHeader.ACK, now);
          c.highRxt = h + len;
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Sends the first segment of the hole at SND.UNA again, its retransmission having been lost,
   * without moving HighRxt: the later holes' retransmissions are not suspect. False when there is
   * no data to resend there (a lone FIN): then recovery resends from SND.UNA as at its start.
   */
  private static boolean resendFirstHole(TcpConnection c, long now) {
    c.resendUna = false;
    int h = c.scoreboard.nextHole(c.sndUna, c.sndMax);
    int len = Math.min(segmentRoom(c), Seq.min(c.scoreboard.holeEnd, c.dataEnd()) - h);
    if (h != c.sndUna || len <= 0) {
      c.highRxt = c.sndUna;
      return false;
    }
    emit(c, h, len, TcpHeader.ACK, now);
    c.highRxt = Seq.max(c.highRxt, h + len);
    c.unaRetransmitted = true;
    c.unaRetransmitMarker = c.sndMax;
    c.unaRetransmitAt = now;
    c.forceRetransmit = false;
    return true;
  }

  private static void armPersist(TcpConnection c, long now) {
    boolean pending = Seq.lt(c.sndNxt, c.dataEnd()) || c.finQueued && Seq.le(c.sndNxt, c.dataEnd());
    if (pending && c.sndWnd == 0 && c.sndNxt == c.sndUna) {
      c.rtoAt = TcpConnection.NEVER; // nothing in flight: the persist timer takes over
      if (c.persistAt == TcpConnection.NEVER) {
        long t = c.rtt.rto();
        for (int i = 0; i < c.persistBackoff && t < 60_000_000_000L; i++) {
          t *= 2;
        }
        c.persistAt = now + Math.min(t, 60_000_000_000L);
      }
    } else {
      c.persistAt = TcpConnection.NEVER;
    }
  }

  /** The window we can offer now, in bytes, never moving the right edge left. */
  static int advertisedWindow(TcpConnection c) {
    int space = c.receiveSpace();
    int max = 65535 << c.rcvScale;
    int w = Math.min(space, max);
    int keep = c.rcvAdvEdge - c.rcvNxt;
    return Math.max(w, Math.max(keep, 0));
  }

  /** A probe that makes the peer ACK with its window: an old sequence number, no data. */
  static void sendProbe(TcpConnection c, long now) {
    emit(c, c.sndUna - 1, 0, TcpHeader.ACK, now);
  }

  /**
   * Builds and sends one segment: header, options (SYN options, or SACK blocks), payload from the
   * send ring at {@code seq}. Updates SND.NXT/SND.MAX, the RTT probe (Karn: never a resent
   * segment), the retransmission timer and the ACK state.
   */
  static void emit(TcpConnection c, int seq, int len, int flags, long now) {
    TcpLayer layer = c.layer;
    byte[] b = layer.txBuffer();
    int optLen;
    boolean syn = (flags & TcpHeader.SYN) != 0;
    if (syn) {
      boolean offerWs =
          c.settings.windowScaling()
              && (c.state == TcpState.SYN_SENT || c.sndScale > 0 || c.rcvScale > 0);
      boolean offerSack = c.settings.sack() && (c.state == TcpState.SYN_SENT || c.sackOk);
      optLen =
          TcpOptions.writeSynOptions(
              b, TcpHeader.LENGTH, c.ourMss, offerWs ? c.rcvScale : -1, offerSack);
    } else if (c.sackOk && !c.assembler.isEmpty() && (flags & TcpHeader.ACK) != 0) {
      int[] s = layer.sackStarts();
      int[] e = layer.sackEnds();
      int n = c.assembler.sackBlocks(s, e, TcpOptions.MAX_SACK_BLOCKS);
      optLen = TcpOptions.writeSack(b, TcpHeader.LENGTH, s, e, n);
    } else {
      optLen = 0;
    }
    int window;
    int windowField;
    if (syn) {
      window = Math.min(c.receiveSpace(), 65535);
      windowField = window;
    } else {
      window = advertisedWindow(c);
      windowField = Math.min(65535, (window + (1 << c.rcvScale) - 1) >>> c.rcvScale);
      if ((long) windowField << c.rcvScale > (long) c.receiveSpace() + (1 << c.rcvScale)) {
        windowField = window >>> c.rcvScale;
      }
    }
    int hl = TcpHeader.LENGTH + optLen;
    int ackNum = (flags & TcpHeader.ACK) != 0 ? c.rcvNxt : 0;
    TcpHeader.write(
        b, 0, c.flow.localPort(), c.flow.remotePort(), seq, ackNum, hl, flags, windowField);
    boolean fin = (flags & TcpHeader.FIN) != 0;
    if (len > 0) {
      ByteRing ring = c.sendRing;
      if (ring == null) {
        return;
      }
      ring.peek(seq - c.bufSeq, b, hl, len);
    }
    boolean retransmission = Seq.lt(seq, c.sndMax) && (len > 0 || syn || fin);
    if (len > 0) {
      if (!retransmission) {
        c.cc.onSent(seq, len, c.sndMax - c.sndUna, now);
      }
      Pacing.onSent(c, hl + len, now);
    }
    if (!layer.output(c.flow, b, hl + len)) {
      layer.count(Counter.DROPPED_OUTPUT_FULL);
    }
    layer.count(Counter.SEGMENTS_SENT);
    if ((flags & TcpHeader.ACK) != 0) {
      c.ackNow = false;
      c.delayedAckAt = TcpConnection.NEVER;
      c.bytesSinceAck = 0;
      c.heldAcks = 0;
      if (!syn) {
        c.rcvAdvEdge = Seq.max(c.rcvAdvEdge, c.rcvNxt + (windowField << c.rcvScale));
      } else {
        c.rcvAdvEdge = Seq.max(c.rcvAdvEdge, c.rcvNxt + window);
      }
    }
    int consumed = len + (syn ? 1 : 0) + (fin ? 1 : 0);
    if (consumed == 0) {
      return;
    }
    if (retransmission) {
      layer.count(Counter.RETRANSMITTED);
      // Karn: the timed segment, sent again, gives no sample; resending another one does not
      // matter (in recovery that would leave no sample at all).
      if (c.rttTiming && Seq.inRange(c.rttSeq, seq, seq + consumed)) {
        c.rttTiming = false;
      }
    } else if (!c.rttTiming && !syn) {
      c.rttTiming = true;
      c.rttSeq = seq;
      c.rttSentAt = now;
    }
    c.lastSentAt = now;
    int end = seq + consumed;
    if (!c.inRecovery || Seq.ge(seq, c.sndNxt)) {
      c.sndNxt = Seq.max(c.sndNxt, end);
    }
    c.sndMax = Seq.max(c.sndMax, end);
    if (c.rtoAt == TcpConnection.NEVER) {
      c.rtoAt = now + c.rtt.rto();
    }
  }
}
