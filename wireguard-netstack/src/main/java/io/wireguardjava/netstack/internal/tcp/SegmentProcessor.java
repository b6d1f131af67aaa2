package io.wireguardjava.netstack.internal.tcp;

import io.wireguardjava.netstack.internal.tcp.TcpCounters.Counter;

/**
 * "SEGMENT ARRIVES" of RFC 9293 §3.10.7 for one connection, with the RFC 5961 checks (RST and SYN
 * in window, ACK range), RFC 5681/6675 duplicate-ACK and SACK handling, delayed ACKs and
 * out-of-order reassembly. Stack thread, connection lock held. Outputs only set flags and timers;
 * {@link Transmitter} sends.
 */
final class SegmentProcessor {
  private SegmentProcessor() {}

  static void onSegment(TcpConnection c, byte[] p, int off, int len, TcpOptions o, long now) {
    int hl = TcpHeader.headerLength(p, off);
    int flags = TcpHeader.flags(p, off);
    int seq = TcpHeader.seq(p, off);
    int ack = TcpHeader.ack(p, off);
    int wnd = TcpHeader.window(p, off);
    int dataOff = off + hl;
    int dataLen = len - hl;
    c.lastReceivedAt = now;
    c.keepaliveSent = 0;
    if (c.state == TcpState.SYN_SENT) {
      synSent(c, flags, seq, ack, wnd, o, now);
      return;
    }
    if (c.state == TcpState.CLOSED) {
      return;
    }
    boolean syn = (flags & TcpHeader.SYN) != 0;
    boolean fin = (flags & TcpHeader.FIN) != 0;
    boolean rst = (flags & TcpHeader.RST) != 0;
    if (c.state == TcpState.SYN_RECEIVED && syn && seq == c.irs) {
      if ((flags & TcpHeader.ACK) == 0) {
        // Our SYN-ACK was lost: the peer retransmitted its SYN.
        c.sndNxt = c.iss;
        c.ackNow = true;
        return;
      }
      // Simultaneous open (RFC 9293 figure 8): the peer's SYN-ACK repeats its SYN, which we have;
      // only its ACK is new.
      syn = false;
      seq += 1;
    }
    int segLen = dataLen + (syn ? 1 : 0) + (fin ? 1 : 0);
    // 1. Sequence acceptability (RFC 9293 §3.10.7.4, first check).
    int rcvWnd = Math.max(0, c.rcvAdvEdge - c.rcvNxt);
    boolean acceptable;
    if (segLen == 0) {
      acceptable = rcvWnd == 0 ? seq == c.rcvNxt : Seq.inRange(seq, c.rcvNxt, c.rcvNxt + rcvWnd);
    } else if (rcvWnd == 0) {
      acceptable = seq == c.rcvNxt; // RFC 9293: still take ACK, RST and window from it
    } else {
      acceptable =
          Seq.inRange(seq, c.rcvNxt, c.rcvNxt + rcvWnd)
              || Seq.inRange(seq + segLen - 1, c.rcvNxt, c.rcvNxt + rcvWnd);
    }
    if (!acceptable) {
      if (c.state == TcpState.TIME_WAIT && fin) {
        c.timeWaitAt = now + 2 * c.settings.msl().toNanos();
      }
      if (!rst) {
        c.ackNow = true;
      }
      c.layer.count(Counter.DROPPED_OUT_OF_WINDOW);
      return;
    }
    // 2. RST (RFC 5961 §3.2: exact match resets, anything else in window gets a challenge ACK).
    if (rst) {
      if (seq == c.rcvNxt) {
        c.layer.count(Counter.RESETS_RECEIVED);
        onReset(c);
      } else {
        c.layer.challengeAck(c);
      }
      return;
    }
    // 4. SYN in a synchronized state (RFC 5961 §4.2): challenge ACK.
    if (syn) {
      c.layer.challengeAck(c);
      return;
    }
    // 5. ACK.
    if ((flags & TcpHeader.ACK) == 0) {
      return;
    }
    if (c.state == TcpState.SYN_RECEIVED) {
      if (Seq.gt(ack, c.sndUna) && Seq.le(ack, c.sndMax)) {
        TcpListener l = c.listener;
        if (l != null && l.queueFull()) {
          // As Linux: with the accept queue full the final ACK is dropped; the SYN-ACK is
          // resent later and the handshake completes once the application accepts.
          c.layer.count(Counter.DROPPED_SYN_BACKLOG);
          return;
        }
        established(c, now);
        c.sndWnd = wnd << c.sndScale;
        c.sndWl1 = seq;
        c.sndWl2 = ack;
        c.maxSndWnd = Math.max(c.maxSndWnd, c.sndWnd);
      } else {
        c.layer.sendReset(c.flow, ack, 0, false);
        return;
      }
    }
    if (Seq.gt(ack, c.sndMax)) {
      c.ackNow = true; // acknowledges something not yet sent
      return;
    }
    if (Seq.lt(ack, c.sndUna - Math.max(c.maxSndWnd, 1))) {
      c.layer.challengeAck(c); // RFC 5961 §5.2
      return;
    }
    if (c.sackOk && isDsack(o, ack)) {
      c.layer.count(Counter.DSACKS_RECEIVED);
    }
    int deliveredBefore = c.sndUna + c.scoreboard.sackedBytes();
    boolean sackNews = c.sackOk && o.sackCount > 0 && addSack(c, o);
    int newWnd = wnd << c.sndScale;
    if (Seq.gt(ack, c.sndUna)) {
      boolean wasInRecovery = c.inRecovery;
      onNewAck(c, ack, now);
      if (c.sackOk && o.sackCount > 0 && !c.inRecovery && c.sndMax != c.sndUna) {
        // as Linux: SACK can show a loss on a cumulative ACK too
        maybeEnterRecovery(c, now, wasInRecovery);
      }
    } else if (ack == c.sndUna
        && c.sndMax != c.sndUna
        && (c.sackOk ? sackNews : dataLen == 0 && !fin && newWnd == c.sndWnd)) {
      // With SACK a duplicate ACK is one that SACKs new data (RFC 6675 §2, as Linux's sacked_out):
      // a D-SACK, or the ACK of a segment the peer already had, reports no loss. Counted, the
      // D-SACKs of spurious retransmissions entered recovery again and resent SND.UNA, which was
      // not lost, for the next D-SACK to repeat.
      onDuplicateAck(c, now);
    }
    if (sackNews && c.rttTiming && c.scoreboard.isSacked(c.rttSeq)) {
      // A SACKed segment sent once is a valid sample (Karn), as Linux's SACK RTT: while a hole
      // holds the cumulative ACK back, it is the sample that ends a timeout's back-off. Without it
      // a lossy transfer could go on acknowledging only retransmissions, doubling the RTO with
      // every spurious timeout (LinkedStacksTest under load: 51 s, then 102 s).
      c.rtt.sample(now - c.rttSentAt);
      c.rttTiming = false;
    }
    if (c.inRecovery && sackNews) {
      detectLostRetransmission(c, now);
    }
    int sacked = c.scoreboard.sackedBytes();
    int newlyDelivered = c.sndUna + sacked - deliveredBefore;
    if (newlyDelivered > 0) {
      c.cc.onDelivered(
          newlyDelivered,
          c.sndUna,
          c.scoreboard.highestSacked(c.sndUna),
          Math.max(0, c.sndMax - c.sndUna - sacked),
          now);
    }
    if (Seq.lt(c.sndWl1, seq) || (c.sndWl1 == seq && Seq.le(c.sndWl2, ack))) {
      boolean opened = c.sndWnd == 0 && newWnd > 0;
      c.sndWnd = newWnd;
      c.sndWl1 = seq;
      c.sndWl2 = ack;
      c.maxSndWnd = Math.max(c.maxSndWnd, newWnd);
      if (newWnd > 0) {
        c.persistAt = TcpConnection.NEVER;
        c.persistBackoff = 0;
      }
      if (opened) {
        c.changed.signalAll();
      }
    }
    if (c.finAcked()) {
      switch (c.state) {
        case FIN_WAIT_1 -> {
          c.state = TcpState.FIN_WAIT_2;
          if (c.appClosed) {
            c.finWait2At = now + c.settings.finWait2Timeout().toNanos();
          }
          c.changed.signalAll();
        }
        case CLOSING -> c.enterTimeWait(now);
        case LAST_ACK -> {
          c.enterClosed(null);
          return;
        }
        default -> {}
      }
    }
    if (c.state == TcpState.TIME_WAIT) {
      return;
    }
    // 7. Segment text.
    int dseq = seq;
    if (fin && Seq.lt(dseq + dataLen, c.rcvNxt)) {
      fin = false; // an old FIN we already took
    }
    if (Seq.lt(dseq, c.rcvNxt)) {
      int d = Math.min(c.rcvNxt - dseq, dataLen);
      dataOff += d;
      dataLen -= d;
      dseq += d;
    }
    if (dataLen > 0) {
      if (!c.state.receivesData()) {
        return; // RFC 9293: ignore text after the peer's FIN
      }
      if (c.appClosed) {
        // Data for a socket the application closed: reset, as Linux does.
        c.layer.sendReset(c.flow, c.sndMax, 0, false);
        c.enterClosed(ErrorKind.RESET);
        return;
      }
      int wndEnd = c.rcvNxt + c.receiveSpace();
      if (Seq.gt(dseq + dataLen, wndEnd) && Seq.gt(c.rcvAdvEdge, wndEnd)) {
        wndEnd += makeRoomForAdvertised(c, Seq.min(dseq + dataLen, c.rcvAdvEdge) - wndEnd);
      }
      if (Seq.gt(dseq + dataLen, wndEnd)) {
        // Past what we advertised: out of window. Within it, but the budget refused the room:
        // memory pressure.
        boolean advertised = Seq.le(dseq + dataLen, c.rcvAdvEdge);
        dataLen = Math.max(0, wndEnd - dseq);
        fin = false;
        c.layer.count(advertised ? Counter.DROPPED_MEMORY_LIMIT : Counter.DROPPED_OUT_OF_WINDOW);
        c.ackNow = true;
      }
      if (dataLen > 0) {
        receiveData(c, p, dataOff, dataLen, dseq, now);
      }
    }
    // 8. FIN.
    if (fin) {
      int finSeq = dseq + dataLen;
      if (finSeq == c.rcvNxt) {
        receiveFin(c, now);
      } else if (Seq.gt(finSeq, c.rcvNxt)) {
        c.finPending = true;
        c.peerFinSeq = finSeq;
        c.ackNow = true;
      }
    }
  }

  /**
   * A window field counts in units of 2^scale, and one we advertised earlier is never taken back
   * (RFC 9293 §3.8.6), so the edge we promised can lie up to 2^scale - 1 bytes past the free ring
   * space. Data there is ours to take: grows the ring by {@code need} bytes from the layer's
   * budget, at most one scale unit past the buffer ceiling (each window-closing episode can round
   * up again). Returns the bytes gained (0 when the budget or the ceiling says no).
   */
  private static int makeRoomForAdvertised(TcpConnection c, int need) {
    ByteRing ring = c.recvRing;
    if (ring == null
        || need <= 0
        || ring.capacity() + need > Math.max(c.recvLimit, ring.capacity()) + (1 << c.rcvScale)
        || !c.layer.budget().reserve(need)) {
      return 0;
    }
    ring.grow(ring.capacity() + need, c.assembler.highestEnd(c.rcvNxt) - c.rcvNxt);
    return need;
  }

  /**
   * RFC 2883 §4: the first SACK block reports a duplicate (D-SACK) when it lies below the
   * cumulative ACK or inside the second block. The scoreboard ignores it either way: it adds
   * nothing new.
   */
  static boolean isDsack(TcpOptions o, int ack) {
    if (o.sackCount == 0) {
      return false;
    }
    int s = o.sackStart[0];
    int e = o.sackEnd[0];
    return Seq.lt(s, e)
        && (Seq.le(e, ack)
            || o.sackCount > 1 && Seq.ge(s, o.sackStart[1]) && Seq.le(e, o.sackEnd[1]));
  }

  private static boolean addSack(TcpConnection c, TcpOptions o) {
    boolean news = false;
    for (int i = 0; i < o.sackCount; i++) {
      news |= c.scoreboard.add(o.sackStart[i], o.sackEnd[i], c.sndUna, c.sndMax);
    }
    return news;
  }

  private static void synSent(
      TcpConnection c, int flags, int seq, int ack, int wnd, TcpOptions o, long now) {
    boolean hasAck = (flags & TcpHeader.ACK) != 0;
    if (hasAck && (Seq.le(ack, c.iss) || Seq.gt(ack, c.sndMax))) {
      if ((flags & TcpHeader.RST) == 0) {
        c.layer.sendReset(c.flow, ack, 0, false);
      }
      return;
    }
    if ((flags & TcpHeader.RST) != 0) {
      if (hasAck) {
        c.layer.count(Counter.RESETS_RECEIVED);
        c.enterClosed(ErrorKind.REFUSED);
      }
      return;
    }
    if ((flags & TcpHeader.SYN) == 0) {
      return;
    }
    c.irs = seq;
    c.rcvNxt = seq + 1;
    negotiate(c, o);
    if (hasAck) {
      if (c.rttTiming) {
        c.rtt.sample(now - c.rttSentAt);
        c.rttTiming = false;
      }
      c.sndUna = ack;
      c.sndWnd = wnd; // RFC 7323 §2.2: the window of a SYN-ACK is never scaled
      c.sndWl1 = seq;
      c.sndWl2 = ack;
      c.maxSndWnd = c.sndWnd;
      c.rtoAt = TcpConnection.NEVER;
      c.retries = 0;
      established(c, now);
      c.ackNow = true;
    } else {
      // Simultaneous open (RFC 9293 §3.5, figure 7).
      c.state = TcpState.SYN_RECEIVED;
      c.sndWnd = wnd; // unscaled in a SYN
      c.sndWl1 = seq;
      c.sndWl2 = c.iss;
      c.sndNxt = c.iss; // resend our SYN, now with ACK
      c.rttTiming = false;
      c.ackNow = true;
    }
  }

  /** Takes the peer's SYN options: MSS, window scale (both sides or neither), SACK-permitted. */
  static void negotiate(TcpConnection c, TcpOptions o) {
    int peerMss = o.mss > 0 ? o.mss : 536; // RFC 9293 §3.7.1 default
    c.mss = Math.max(64, Math.min(c.ourMss, peerMss));
    c.cc = c.settings.congestionControl().create(c.mss, c.iss);
    if (o.windowScale >= 0 && c.settings.windowScaling()) {
      c.sndScale = o.windowScale;
    } else {
      c.sndScale = 0;
      c.rcvScale = 0;
    }
    c.sackOk = o.sackPermitted && c.settings.sack();
    c.rcvAdvEdge = c.rcvNxt + Math.min(c.receiveSpace(), 65535 << c.rcvScale);
  }

  static void established(TcpConnection c, long now) {
    if (c.state == TcpState.SYN_RECEIVED && c.listener != null) {
      c.listener.halfOpenDone();
    }
    c.state = TcpState.ESTABLISHED;
    c.everConnected = true;
    c.tuneStart = now;
    if (c.finQueued) {
      c.state = TcpState.FIN_WAIT_1; // closed by the application before the handshake finished
    }
    TcpListener l = c.listener;
    if (l != null) {
      c.listener = null;
      if (!l.deliver(c.socket)) {
        c.layer.sendReset(c.flow, c.sndMax, 0, false);
        c.enterClosed(ErrorKind.RESET);
        return;
      }
    }
    c.changed.signalAll();
  }

  private static void onReset(TcpConnection c) {
    if (c.state == TcpState.SYN_RECEIVED && c.listener != null) {
      c.enterClosed(null); // passive: back to LISTEN, nobody saw it
    } else if (c.state == TcpState.SYN_RECEIVED) {
      c.enterClosed(ErrorKind.REFUSED);
    } else if (c.state == TcpState.CLOSING
        || c.state == TcpState.LAST_ACK
        || c.state == TcpState.TIME_WAIT) {
      c.enterClosed(null);
    } else {
      c.enterClosed(ErrorKind.RESET);
    }
  }

  private static void onNewAck(TcpConnection c, int ack, long now) {
    int acked = ack - c.sndUna;
    int flight = c.sndMax - c.sndUna;
    ByteRing ring = c.sendRing;
    int dataAcked = Seq.min(ack, c.dataEnd()) - c.bufSeq;
    if (dataAcked > 0 && ring != null) {
      ring.discard(dataAcked);
      c.bufSeq += dataAcked;
    }
    if (c.rttTiming && Seq.gt(ack, c.rttSeq)) {
      c.rtt.sample(now - c.rttSentAt);
      c.rttTiming = false;
    }
    c.retries = 0;
    c.sndUna = ack;
    if (Seq.lt(c.sndNxt, ack)) {
      c.sndNxt = ack;
    }
    c.scoreboard.acknowledge(ack);
    if (c.inLoss && Seq.ge(ack, c.recoverGuard)) {
      c.inLoss = false;
      c.cc.onExitLoss(now);
    }
    // The new first hole: if it was already resent, watch it from now on.
    c.unaRetransmitted = c.inRecovery && Seq.gt(c.highRxt, ack);
    c.unaRetransmitMarker = c.sndMax;
    c.unaRetransmitAt = now;
    if (c.inRecovery) {
      if (Seq.ge(ack, c.recoveryPoint)) {
        c.inRecovery = false;
        c.dupAcks = 0;
        c.cc.onExitRecovery(now);
      } else {
        // Partial ACK (RFC 6582 §3.2 step 3): the next hole is lost too.
        if (!c.sackOk) {
          c.dupAcks = 0;
          c.renoLostEnd = c.sndUna + c.mss;
          c.highRxt = c.sndUna;
          c.forceRetransmit = true;
        }
        c.highRxt = Seq.max(c.highRxt, c.sndUna);
      }
    } else {
      c.dupAcks = 0;
      c.cc.onAck(acked, flight, c.rtt.srtt(), now);
    }
    c.rtoAt = c.sndUna == c.sndMax ? TcpConnection.NEVER : now + c.rtt.rto();
    if (c.finQueued && c.finAcked()) {
      c.releaseBuffersIfDone();
    }
    c.changed.signalAll();
  }

  /**
   * A retransmission can be lost too. If data sent after we retransmitted the first hole is SACKed
   * (more than DupThresh-1 segments of it) while that hole is still unacknowledged, the
   * retransmission is deemed lost and sent again now, instead of waiting for the timeout (the idea
   * of Linux's lost-retransmit detection and RFC 8985). As RACK, only once the retransmission had a
   * round trip and a quarter more to arrive: later data overtaking it by a few segments is
   * reordering, not loss.
   */
  private static void detectLostRetransmission(TcpConnection c, long now) {
    long srtt = c.rtt.srtt();
    if (c.unaRetransmitted
        && Seq.lt(c.unaRetransmitMarker, c.sndMax)
        && c.scoreboard.sackedIn(c.unaRetransmitMarker, c.sndMax)
            > (SackScoreboard.DUP_THRESH - 1) * c.mss
        && (srtt < 0 || now - c.unaRetransmitAt >= srtt + srtt / 4)) {
      c.unaRetransmitted = false;
      c.resendUna = true;
      c.forceRetransmit = true;
    }
  }

  private static void onDuplicateAck(TcpConnection c, long now) {
    c.dupAcks++;
    if (!c.inRecovery) {
      maybeEnterRecovery(c, now, false);
    }
  }

  /**
   * RFC 6675 §5: DupThresh duplicate ACKs, or the first unacknowledged byte IsLost. {@code
   * previousJustEnded}: the ACK that ended the previous episode shows this loss.
   */
  private static void maybeEnterRecovery(TcpConnection c, long now, boolean previousJustEnded) {
    boolean lost =
        c.dupAcks >= SackScoreboard.DUP_THRESH
            || (c.sackOk && Seq.gt(c.scoreboard.lostBoundary(c.sndUna, c.mss), c.sndUna));
    if (lost && Seq.ge(c.sndUna, c.recoverGuard)) {
      // The previous episode, ending on this very ACK, may have resent holes above its recovery
      // point (data sent during it) whose retransmissions are still in flight: this one starts
      // above them, as Linux keeps their retransmitted mark, and watches the first (onNewAck set
      // unaRetransmitted). Starting at SND.UNA resent them at once, for D-SACKs to report. Later
      // than that ACK they are not watched: resent as RFC 6675 says.
      boolean resentBefore =
          previousJustEnded
              && c.sackOk
              && c.unaRetransmitted
              && Seq.gt(c.highRxt, c.sndUna)
              && Seq.le(c.highRxt, c.sndMax);
      c.inRecovery = true;
      c.unaRetransmitted = resentBefore && c.unaRetransmitted;
      c.resendUna = false;
      c.recoveryPoint = c.sndMax;
      c.recoverGuard = c.sndMax;
      c.highRxt = resentBefore ? c.highRxt : c.sndUna;
      c.renoLostEnd = c.sndUna + c.mss;
      c.forceRetransmit = !resentBefore;
      c.rttTiming = false;
      c.cc.onEnterRecovery(c.sndMax - c.sndUna, now);
      c.layer.count(Counter.FAST_RETRANSMITS);
    }
  }

  private static void receiveData(TcpConnection c, byte[] p, int off, int len, int dseq, long now) {
    c.largestSegmentSeen = Math.max(c.largestSegmentSeen, len);
    ByteRing ring = c.recvRing;
    if (ring == null || c.inputShutdown) {
      // Input shut down: take and discard in-order data, keep the window open.
      if (dseq == c.rcvNxt) {
        c.rcvNxt += len;
        c.rcvAdvEdge = Seq.max(c.rcvAdvEdge, c.rcvNxt);
      }
      c.ackNow = true;
      return;
    }
    int offset = dseq - c.rcvNxt;
    if (offset == 0) {
      boolean hadGaps = !c.assembler.isEmpty();
      ring.writeAt(0, p, off, len);
      int newNxt = c.assembler.advance(c.rcvNxt + len);
      ring.commit(newNxt - c.rcvNxt);
      int inOrder = newNxt - c.rcvNxt;
      c.rcvNxt = newNxt;
      if (c.finPending && c.rcvNxt == c.peerFinSeq) {
        c.finPending = false;
        receiveFin(c, now);
      }
      if (hadGaps) {
        c.ackNow = true; // RFC 5681 §4.2: ACK at once when a gap fills
      } else {
        c.bytesSinceAck += len;
        BatchAcks.onInOrderData(c, Math.min(c.ourMss, c.largestSegmentSeen), now);
      }
      ReceiveBufferTuning.onInOrderData(c, inOrder, now);
      c.changed.signalAll();
    } else {
      if (c.assembler.covers(dseq, dseq + len)) {
        c.ackNow = true; // a duplicate: ACK so the sender learns
        return;
      }
      if (c.assembler.add(dseq, dseq + len)) {
        ring.writeAt(offset, p, off, len);
      } else {
        c.layer.count(Counter.DROPPED_NO_BUFFER);
      }
      SackCompression.onOutOfOrder(c, now); // RFC 5681 §4.2, fewer ACKs with SACK
    }
  }

  private static void receiveFin(TcpConnection c, long now) {
    c.rcvNxt += 1;
    c.finReceived = true;
    c.ackNow = true;
    switch (c.state) {
      case SYN_RECEIVED, ESTABLISHED -> c.state = TcpState.CLOSE_WAIT;
      case FIN_WAIT_1 -> {
        if (c.finAcked()) {
          c.enterTimeWait(now);
        } else {
          c.state = TcpState.CLOSING;
        }
      }
      case FIN_WAIT_2 -> c.enterTimeWait(now);
      default -> {}
    }
    c.releaseBuffersIfDone();
    c.changed.signalAll();
  }
}
