package io.wireguardjava.netstack.internal.tcp;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * One connection's state (the TCB of RFC 9293 §3.3.1). Every field is guarded by {@link #lock}: the
 * stack thread holds it while {@link SegmentProcessor}, {@link Transmitter} and {@link
 * ConnectionTimers} work on the connection, application threads hold it in {@link TcpSocket}.
 * Fields marked "stack thread" are only touched there (timers and demux state).
 */
final class TcpConnection {
  static final long NEVER = Long.MAX_VALUE;

  final TcpLayer layer;
  final TcpFlow flow;
  final TcpSettings settings;
  final ReentrantLock lock = new ReentrantLock();

  /** Signalled on every change an application thread may wait for. */
  final Condition changed = lock.newCondition();

  final TcpSocket socket;

  /** The listener a passive connection is delivered to once established. */
  @Nullable TcpListener listener;

  /** Set while queued for the stack thread's attention (any thread). */
  final AtomicBoolean scheduled = new AtomicBoolean();

  /** Link in the layer's pending stack while {@link #scheduled}. */
  @Nullable TcpConnection nextPending;

  TcpState state;

  /** Stack thread: in the demux table; removed for good once false after having been true. */
  boolean inTable;

  boolean removed;

  /** Stack thread: the deadline of this connection's newest entry in the layer's timer heap. */
  long queuedDeadline = NEVER;

  /** {@link #open} ran: an active open waits for the stack thread to pick its ISN. */
  boolean opened;

  // ---- send sequence space (RFC 9293 §3.3.1) ----
  int iss;
  int sndUna;

  /** Next sequence number to send: below sndMax only while resending after a timeout. */
  int sndNxt;

  /** Highest sequence number sent + 1 (RFC 6675 HighData + 1). */
  int sndMax;

  /** Peer's window in bytes (already scaled). */
  int sndWnd;

  int sndWl1;
  int sndWl2;
  int maxSndWnd;

  /** Shift applied to the peer's window field (0 without window scaling). */
  int sndScale;

  /** Shift applied to our window field. */
  int rcvScale;

  boolean sackOk;

  /** The MSS we send with (ours and the peer's, whichever is smaller). */
  int mss;

  /** The MSS we announced. */
  int ourMss;

  @Nullable ByteRing sendRing;

  /** Sequence number of the first byte in sendRing. */
  int bufSeq;

  /** SO_SNDBUF: writes block when sendRing holds this much. */
  int sendLimit;

  /** The application is done writing: a FIN follows the buffered data. */
  boolean finQueued;

  // ---- receive sequence space ----
  int irs;
  int rcvNxt;

  /** Right edge of the window we last advertised (never moves left). */
  int rcvAdvEdge;

  @Nullable ByteRing recvRing;
  final Assembler assembler;

  /** Auto-tuning ceiling (or SO_RCVBUF when the application set it). */
  int recvLimit;

  boolean finReceived;

  /** A FIN arrived out of order at peerFinSeq. */
  boolean finPending;

  int peerFinSeq;
  int largestSegmentSeen;

  // ---- acknowledgements ----
  boolean ackNow;
  long delayedAckAt = NEVER;
  int bytesSinceAck;

  /** In the layer's list of ACKs owed at the end of the receive batch (see BatchAcks). */
  boolean ackOwed;

  boolean windowUpdatePending;

  /** SACK compression: RCV.NXT at which the immediate out-of-order ACKs are counted. */
  int oooAckNxt;

  boolean oooAckNxtSet;

  /** Out-of-order segments ACKed at once at {@link #oooAckNxt}. */
  int oooAcksAtOnce;

  /** Out-of-order segments waiting for the next ACK (SACK compression). */
  int heldAcks;

  // ---- retransmission, recovery (RFC 6298, 5681, 6582, 6675) ----
  final RttEstimator rtt;
  CongestionControl cc;
  final SackScoreboard scoreboard;
  long rtoAt = NEVER;
  int retries;
  boolean rttTiming;
  int rttSeq;
  long rttSentAt;
  int dupAcks;
  boolean inRecovery;
  int recoveryPoint;

  /** RFC 6675 HighRxt: retransmissions in this episode reached up to here. */
  int highRxt;

  /** RFC 6582 "recover": no new fast recovery until SND.UNA passes it. */
  int recoverGuard;

  /**
   * A timeout's resending is under way (Linux's TCP_CA_Loss) until SND.UNA passes {@link
   * #recoverGuard}, SND.MAX at the timeout.
   */
  boolean inLoss;

  /** Without SACK: the lost segment's end in a NewReno recovery. */
  int renoLostEnd;

  /** The segment at SND.UNA was retransmitted in this recovery, when SND.MAX was this marker. */
  boolean unaRetransmitted;

  int unaRetransmitMarker;

  /** When the segment at SND.UNA was retransmitted (or became SND.UNA, if resent before). */
  long unaRetransmitAt;

  /**
   * The retransmission of the first hole was lost: resend that hole alone. The other holes'
   * retransmissions are still on their way; sending them all again cost BBR's large flights a
   * quarter of their segments.
   */
  boolean resendUna;

  /** The next transmit must be the first hole, whatever the pipe says (fast retransmit). */
  boolean forceRetransmit;

  /** When data (or SYN/FIN) was last sent: for the restart after idle (RFC 5681 §4.1). */
  long lastSentAt;

  /** Pacing: the earliest time the next data segment may leave (0 when unpaced). */
  long pacingNextAt;

  /** The pacing time a blocked send waits for, as a timer; NEVER when nothing waits. */
  long pacingWaitAt = NEVER;

  /** The previous transmit pass ended held back by pacing: a late wakeup may be made up. */
  boolean pacingCatchUp;

  /** Pacing: what the quantum released at {@link #pacingBurstAt} may still send. */
  int pacingBurstLeft;

  long pacingBurstAt;

  long persistAt = NEVER;
  int persistBackoff;
  long keepaliveAt = NEVER;
  int keepaliveSent;
  long lastReceivedAt;
  long timeWaitAt = NEVER;
  long finWait2At = NEVER;
  // ---- receive-buffer auto-tuning (stack thread) ----
  long tuneStart;
  int tuneBytes;

  /** The receiver's RTT estimate (0 before one); see {@link ReceiveBufferTuning}. */
  long rcvRttNanos;

  boolean rcvRttMeasuring;
  int rcvRttSeq;
  long rcvRttAt;

  // ---- application side ----
  boolean noDelay;
  boolean keepAlive;
  boolean appClosed;
  boolean inputShutdown;
  boolean abortRequested;
  boolean keepAliveChanged;
  @Nullable ErrorKind error;
  boolean everConnected;

  /** Handed to the application by {@link TcpListener#accept}. */
  boolean accepted;

  /** A connection without its sequence numbers yet: {@link #open} sets them on the stack thread. */
  TcpConnection(TcpLayer layer, TcpFlow flow, TcpState initial) {
    this.layer = layer;
    this.flow = flow;
    this.settings = layer.settings();
    this.state = initial;
    this.ourMss = settings.mss(flow.ipv6());
    this.mss = Math.min(ourMss, 536);
    this.sendLimit = settings.maxSendBuffer();
    this.recvLimit = settings.maxReceiveBuffer();
    this.assembler = new Assembler(settings.maxOutOfOrderRanges());
    this.scoreboard = new SackScoreboard(Math.max(4, settings.maxOutOfOrderRanges()));
    this.rtt =
        new RttEstimator(
            settings.initialRto().toNanos(),
            settings.minRto().toNanos(),
            settings.maxRto().toNanos());
    this.cc = settings.congestionControl().create(mss, 0);
    this.rcvScale = settings.windowScaling() ? scaleFor(settings.maxReceiveBuffer()) : 0;
    this.socket = new TcpSocket(this);
  }

  /** Sets the initial send sequence number and the clocks (stack thread, before any segment). */
  void open(int initialSequence, long nowNanos) {
    iss = initialSequence;
    sndUna = iss;
    sndNxt = iss;
    sndMax = iss;
    bufSeq = iss + 1;
    recoverGuard = iss;
    highRxt = iss;
    lastReceivedAt = nowNanos;
    tuneStart = nowNanos;
    opened = true;
  }

  /** The smallest shift that lets a 16-bit window field express {@code bytes}. */
  static int scaleFor(int bytes) {
    int s = 0;
    while (s < TcpOptions.MAX_WSCALE && (65535L << s) < bytes) {
      s++;
    }
    return s;
  }

  /** Allocates the initial rings from the layer's budget; false if the budget is exhausted. */
  boolean allocateBuffers() {
    int rx = settings.initialReceiveBuffer();
    int tx = settings.initialSendBuffer();
    if (!layer.budget().reserve((long) rx + tx)) {
      return false;
    }
    recvRing = new ByteRing(rx);
    sendRing = new ByteRing(tx);
    return true;
  }

  /** Frees whichever ring is no longer needed (all sent data acked; all received data read). */
  void releaseBuffersIfDone() {
    ByteRing s = sendRing;
    if (s != null
        && (state == TcpState.CLOSED
            || state == TcpState.TIME_WAIT
            || (finQueued && s.size() == 0 && Seq.gt(sndUna, bufSeq)))) {
      layer.budget().release(s.capacity());
      sendRing = null;
    }
    ByteRing r = recvRing;
    if (r != null
        && (appClosed
            || inputShutdown
            || ((finReceived || state == TcpState.CLOSED) && r.size() == 0))) {
      layer.budget().release(r.capacity());
      recvRing = null;
      assembler.clear();
    }
  }

  /** Bytes the application can read now. */
  int readable() {
    ByteRing r = recvRing;
    return r == null ? 0 : r.size();
  }

  /** Free receive space: what the window may offer. */
  int receiveSpace() {
    ByteRing r = recvRing;
    if (r == null) {
      return inputShutdown ? Math.max(0, rcvAdvEdge - rcvNxt) : 0;
    }
    return r.free();
  }

  /** End of the buffered send data (the FIN's sequence number once queued). */
  int dataEnd() {
    ByteRing s = sendRing;
    return bufSeq + (s == null ? 0 : s.size());
  }

  /** True once our FIN has been sent (it sits at dataEnd()). */
  boolean finSent() {
    return finQueued && Seq.gt(sndMax, dataEnd());
  }

  /** True once our FIN has been acknowledged. */
  boolean finAcked() {
    return finQueued && Seq.gt(sndUna, dataEnd());
  }

  /** Ends the connection: no more segments, buffers freed, waiters woken. */
  void enterClosed(@Nullable ErrorKind why) {
    if (why != null && error == null) {
      error = why;
    }
    if (state == TcpState.SYN_RECEIVED && listener != null) {
      listener.halfOpenDone();
    }
    state = TcpState.CLOSED;
    rtoAt = NEVER;
    pacingWaitAt = NEVER;
    delayedAckAt = NEVER;
    persistAt = NEVER;
    keepaliveAt = NEVER;
    timeWaitAt = NEVER;
    finWait2At = NEVER;
    releaseBuffersIfDone();
    changed.signalAll();
  }

  void enterTimeWait(long nowNanos) {
    state = TcpState.TIME_WAIT;
    rtoAt = NEVER;
    persistAt = NEVER;
    keepaliveAt = NEVER;
    finWait2At = NEVER;
    timeWaitAt = nowNanos + 2 * settings.msl().toNanos();
    releaseBuffersIfDone();
    changed.signalAll();
  }

  /** The earliest timer of this connection, or {@link #NEVER}. Stack thread. */
  long deadline() {
    return Math.min(
        Math.min(Math.min(rtoAt, delayedAckAt), Math.min(persistAt, keepaliveAt)),
        Math.min(Math.min(timeWaitAt, finWait2At), pacingWaitAt));
  }

  /** Asks the stack thread to look at this connection (any thread, lock held or not). */
  void schedule() {
    layer.schedule(this);
  }

  @Override
  public String toString() {
    return "TcpConnection[" + flow + " " + state + "]";
  }
}
