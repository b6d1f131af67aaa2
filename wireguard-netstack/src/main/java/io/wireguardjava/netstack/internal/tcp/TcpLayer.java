package io.wireguardjava.netstack.internal.tcp;

import io.wireguardjava.netstack.internal.tcp.TcpCounters.Counter;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * The TCP layer: demultiplexes segments to connections and listeners, answers segments to closed
 * ports with RST, runs the timers, and hands out application handles.
 *
 * <p>Sans-I/O: the IP layer calls {@link #onSegment}, {@link #onIcmpError}, {@link #poll} and
 * {@link #nextDeadlineNanos} on its one stack thread, with the time; segments leave through the
 * {@link SegmentOutput}. {@link #connect}, {@link #listen}, {@link #closeAll} and {@link #stats}
 * may be called from any thread: they record the work, call {@code wakeStack}, and the stack thread
 * does it in its next {@code poll}.
 */
public final class TcpLayer {
  private static final System.Logger LOG = System.getLogger(TcpLayer.class.getName());

  private final SegmentOutput out;
  private final TcpSettings settings;
  private final RandomGenerator random;
  private final Runnable wakeStack;
  private final TcpCounters counters = new TcpCounters();
  private final MemoryBudget budget;
  private final IsnGenerator isn;

  // ---- stack thread ----
  private final ConnectionTable table = new ConnectionTable();
  private final TcpOptions rxOptions = new TcpOptions();
  private final byte[] tx;
  private final int[] sackStarts = new int[TcpOptions.MAX_SACK_BLOCKS];
  private final int[] sackEnds = new int[TcpOptions.MAX_SACK_BLOCKS];
  private final TimerHeap timers = new TimerHeap();

  /** Connections whose ACK waits for the end of the receive batch (see {@link BatchAcks}). */
  private final List<TcpConnection> owedAcks = new ArrayList<>();

  private boolean inBatch;
  private long challengeWindowStart = Long.MIN_VALUE;
  private int challengeCount;
  private long now;

  // ---- any thread ----
  /** Connections waiting for the stack thread: an intrusive lock-free stack (no node per push). */
  private final AtomicReference<@Nullable TcpConnection> pending = new AtomicReference<>();

  private final ReentrantLock registryLock = new ReentrantLock();
  private final Map<TcpFlow, TcpConnection> flows = new HashMap<>();
  private final Map<Integer, Integer> localPortUse = new HashMap<>();
  private final Map<Integer, List<TcpListener>> listeners = new HashMap<>();
  private boolean closed;

  /**
   * Creates a TCP layer.
   *
   * @param out where segments go (called on the stack thread)
   * @param settings sizes, limits and timers
   * @param random source of the ISN key and ephemeral ports
   * @param wakeStack run (from any thread) when {@link #poll} has new work
   */
  public TcpLayer(
      SegmentOutput out, TcpSettings settings, RandomGenerator random, Runnable wakeStack) {
    this.out = Objects.requireNonNull(out, "out");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.random = Objects.requireNonNull(random, "random");
    this.wakeStack = Objects.requireNonNull(wakeStack, "wakeStack");
    this.budget = new MemoryBudget(settings.maxTotalBufferBytes());
    this.isn = new IsnGenerator(random);
    this.tx = new byte[60 + settings.mtu()];
  }

  // =========================== stack thread ===========================

  /**
   * Takes one TCP segment whose checksum the IP layer verified. Addresses are read in place (4 or
   * 16 bytes at the offsets), so the common path allocates nothing. Malformed segments are dropped
   * and counted. Stack thread only.
   *
   * @param packet the array holding the packet (not kept)
   * @param srcAddrOffset offset of the source address
   * @param dstAddrOffset offset of the destination address
   * @param addrLength 4 for IPv4, 16 for IPv6
   * @param tcpOffset offset of the TCP header
   * @param tcpLength TCP header plus payload length
   * @param nowNanos the stack's clock
   */
  public void onSegment(
      byte[] packet,
      int srcAddrOffset,
      int dstAddrOffset,
      int addrLength,
      int tcpOffset,
      int tcpLength,
      long nowNanos) {
    now = nowNanos;
    counters.increment(Counter.SEGMENTS_RECEIVED);
    if ((addrLength != 4 && addrLength != 16)
        || tcpLength < TcpHeader.LENGTH
        || tcpOffset < 0
        || tcpOffset + tcpLength > packet.length) {
      counters.increment(Counter.DROPPED_MALFORMED);
      return;
    }
    int hl = TcpHeader.headerLength(packet, tcpOffset);
    int srcPort = TcpHeader.srcPort(packet, tcpOffset);
    int dstPort = TcpHeader.dstPort(packet, tcpOffset);
    if (hl < TcpHeader.LENGTH
        || hl > tcpLength
        || srcPort == 0
        || dstPort == 0
        || !rxOptions.parse(packet, tcpOffset, hl)) {
      counters.increment(Counter.DROPPED_MALFORMED);
      return;
    }
    int flags = TcpHeader.flags(packet, tcpOffset);
    TcpConnection c =
        table.find(packet, srcAddrOffset, dstAddrOffset, addrLength, srcPort, dstPort);
    if (c != null
        && c.state == TcpState.TIME_WAIT
        && (flags & (TcpHeader.SYN | TcpHeader.ACK | TcpHeader.RST)) == TcpHeader.SYN
        && Seq.gt(TcpHeader.seq(packet, tcpOffset), c.rcvNxt)) {
      // RFC 9293 §3.10.7.4 / RFC 6191: a new incarnation may take over a TIME-WAIT 4-tuple.
      c.lock.lock();
      try {
        c.enterClosed(null);
      } finally {
        c.lock.unlock();
      }
      removeConnection(c);
      c = null;
    }
    if (c != null) {
      c.lock.lock();
      try {
        SegmentProcessor.onSegment(c, packet, tcpOffset, tcpLength, rxOptions, nowNanos);
        if (c.state != TcpState.CLOSED) {
          ConnectionTimers.updateKeepalive(c, nowNanos);
          Transmitter.transmit(c, nowNanos);
        }
      } finally {
        c.lock.unlock();
      }
      afterWork(c);
      return;
    }
    if ((flags & TcpHeader.RST) != 0) {
      return;
    }
    if ((flags & (TcpHeader.SYN | TcpHeader.ACK | TcpHeader.FIN)) == TcpHeader.SYN) {
      TcpListener l = findListener(packet, dstAddrOffset, addrLength, dstPort);
      if (l != null) {
        passiveOpen(
            l,
            packet,
            srcAddrOffset,
            dstAddrOffset,
            addrLength,
            tcpOffset,
            srcPort,
            dstPort,
            nowNanos);
        return;
      }
    }
    resetUnknown(
        packet,
        srcAddrOffset,
        dstAddrOffset,
        addrLength,
        tcpOffset,
        tcpLength,
        flags,
        srcPort,
        dstPort);
  }

  private void passiveOpen(
      TcpListener l,
      byte[] p,
      int srcOff,
      int dstOff,
      int addrLen,
      int tcpOff,
      int srcPort,
      int dstPort,
      long nowNanos) {
    if (!l.admitsSyn(settings.synBacklog())) {
      counters.increment(Counter.DROPPED_SYN_BACKLOG);
      return;
    }
    if (table.size() >= settings.maxConnections()) {
      counters.increment(Counter.DROPPED_CONNECTION_LIMIT);
      return;
    }
    TcpFlow flow = TcpFlow.fromPacket(p, srcOff, dstOff, addrLen, srcPort, dstPort);
    TcpConnection c = new TcpConnection(this, flow, TcpState.SYN_RECEIVED);
    if (!c.allocateBuffers()) {
      counters.increment(Counter.DROPPED_MEMORY_LIMIT);
      return;
    }
    registryLock.lock();
    try {
      flows.put(flow, c);
      localPortUse.merge(dstPort, 1, Integer::sum);
    } finally {
      registryLock.unlock();
    }
    c.open(isn.isn(flow, nowNanos), nowNanos);
    c.listener = l;
    l.halfOpenStarted();
    counters.increment(Counter.PASSIVE_OPENS);
    table.add(c);
    c.inTable = true;
    c.lock.lock();
    try {
      int seq = TcpHeader.seq(p, tcpOff);
      c.irs = seq;
      c.rcvNxt = seq + 1;
      c.sndWnd = TcpHeader.window(p, tcpOff); // a SYN's window is never scaled
      c.sndWl1 = seq;
      c.maxSndWnd = c.sndWnd;
      SegmentProcessor.negotiate(c, rxOptions);
      Transmitter.transmit(c, nowNanos);
    } finally {
      c.lock.unlock();
    }
    afterWork(c);
  }

  /** RFC 9293 §3.10.7.1: the reply to a segment for no connection. */
  private void resetUnknown(
      byte[] p,
      int srcOff,
      int dstOff,
      int addrLen,
      int tcpOff,
      int tcpLen,
      int flags,
      int srcPort,
      int dstPort) {
    TcpFlow flow;
    try {
      flow = TcpFlow.fromPacket(p, srcOff, dstOff, addrLen, srcPort, dstPort);
    } catch (IllegalArgumentException e) {
      counters.increment(Counter.DROPPED_MALFORMED);
      return;
    }
    if ((flags & TcpHeader.ACK) != 0) {
      sendReset(flow, TcpHeader.ack(p, tcpOff), 0, false);
    } else {
      int segLen =
          tcpLen
              - TcpHeader.headerLength(p, tcpOff)
              + ((flags & TcpHeader.SYN) != 0 ? 1 : 0)
              + ((flags & TcpHeader.FIN) != 0 ? 1 : 0);
      sendReset(flow, 0, TcpHeader.seq(p, tcpOff) + segLen, true);
    }
  }

  /**
   * Takes an ICMP or ICMPv6 error quoting one of our segments. {@code quoted} holds the quoted IP
   * packet as we sent it: its source is our address, its destination the peer's; at least the first
   * 8 bytes of the TCP header must be there. Errors whose quoted sequence number is not in flight
   * are ignored (RFC 5927). Unreachables fail a connection still in SYN-SENT (soft errors
   * otherwise, RFC 1122 §4.2.3.9); packet-too-big lowers the MSS and resends. Stack thread only.
   *
   * @param quoted the array holding the quoted packet (not kept)
   * @param srcAddrOffset offset of the quoted source address (ours)
   * @param dstAddrOffset offset of the quoted destination address (the peer's)
   * @param addrLength 4 or 16
   * @param tcpOffset offset of the quoted TCP header
   * @param tcpLength quoted TCP bytes available (at least 8)
   * @param kind what the ICMP message said
   * @param mtu the next-hop MTU for {@link IcmpKind#PACKET_TOO_BIG}, else ignored
   * @param nowNanos the stack's clock
   */
  public void onIcmpError(
      byte[] quoted,
      int srcAddrOffset,
      int dstAddrOffset,
      int addrLength,
      int tcpOffset,
      int tcpLength,
      IcmpKind kind,
      int mtu,
      long nowNanos) {
    now = nowNanos;
    if ((addrLength != 4 && addrLength != 16) || tcpLength < 8 || tcpOffset + 8 > quoted.length) {
      counters.increment(Counter.DROPPED_MALFORMED);
      return;
    }
    int ourPort = TcpHeader.srcPort(quoted, tcpOffset);
    int peerPort = TcpHeader.dstPort(quoted, tcpOffset);
    int seq = TcpHeader.seq(quoted, tcpOffset);
    // The quoted packet runs from us to the peer: look it up as if the peer had sent it.
    TcpConnection c =
        table.find(quoted, dstAddrOffset, srcAddrOffset, addrLength, peerPort, ourPort);
    if (c == null) {
      return;
    }
    c.lock.lock();
    try {
      if (!Seq.inRange(seq, c.sndUna, c.sndMax + 1)) {
        return;
      }
      if (kind == IcmpKind.PACKET_TOO_BIG) {
        int newMss = mtu - (c.flow.ipv6() ? 60 : 40);
        if (newMss >= 88 && newMss < c.mss) {
          c.mss = newMss;
          c.cc.onMssChanged(newMss);
          // Resend what is in flight in smaller pieces, without a congestion response (RFC 1191).
          c.sndNxt = c.sndUna;
          c.inRecovery = false;
          c.scoreboard.clear();
          c.rttTiming = false;
          Transmitter.transmit(c, nowNanos);
        }
      } else if (c.state == TcpState.SYN_SENT) {
        c.enterClosed(kind == IcmpKind.PORT_UNREACHABLE ? ErrorKind.REFUSED : ErrorKind.NO_ROUTE);
      }
    } finally {
      c.lock.unlock();
    }
    afterWork(c);
  }

  /**
   * Says that segments follow back to back until the next {@link #poll}: the ACK every second full
   * segment owes may wait for that poll, one ACK covering the whole batch (see {@link BatchAcks}).
   * A driver that never calls this gets an ACK every second full segment at once. Stack thread
   * only.
   */
  public void beginBatch() {
    inBatch = true;
  }

  /**
   * Sends the ACKs owed by the batch begun with {@link #beginBatch}, then runs due timers and the
   * work application threads asked for (connects, writes, closes, window updates). Stack thread
   * only.
   *
   * @param nowNanos the stack's clock
   */
  public void poll(long nowNanos) {
    now = nowNanos;
    inBatch = false;
    for (int i = 0; i < owedAcks.size(); i++) {
      TcpConnection c = owedAcks.get(i);
      c.lock.lock();
      try {
        BatchAcks.onBatchEnd(c, nowNanos);
      } finally {
        c.lock.unlock();
      }
      if (!c.removed) {
        afterWork(c);
      }
    }
    owedAcks.clear();
    TcpConnection taken = pending.getAndSet(null);
    TcpConnection fifo = null;
    while (taken != null) { // reverse into arrival order
      TcpConnection next = taken.nextPending;
      taken.nextPending = fifo;
      fifo = taken;
      taken = next;
    }
    while (fifo != null) {
      TcpConnection c = fifo;
      fifo = c.nextPending;
      c.nextPending = null;
      c.scheduled.set(false);
      if (c.removed) {
        continue;
      }
      if (!c.inTable) {
        table.add(c);
        c.inTable = true;
      }
      c.lock.lock();
      try {
        service(c, nowNanos);
      } finally {
        c.lock.unlock();
      }
      afterWork(c);
    }
    runTimers(nowNanos);
  }

  private void service(TcpConnection c, long nowNanos) {
    if (!c.opened) {
      c.open(isn.isn(c.flow, nowNanos), nowNanos);
    }
    if (c.state == TcpState.CLOSED) {
      return;
    }
    if (c.abortRequested) {
      if (c.state != TcpState.SYN_SENT && c.state != TcpState.TIME_WAIT) {
        sendReset(c.flow, c.sndMax, 0, false);
      }
      c.enterClosed(ErrorKind.CLOSED_LOCALLY);
      return;
    }
    if (c.state == TcpState.FIN_WAIT_2 && c.appClosed && c.finWait2At == TcpConnection.NEVER) {
      c.finWait2At = nowNanos + settings.finWait2Timeout().toNanos();
    }
    c.releaseBuffersIfDone();
    if (c.keepAliveChanged) {
      c.keepAliveChanged = false;
      c.keepaliveSent = 0;
      c.lastReceivedAt = nowNanos;
    }
    ConnectionTimers.updateKeepalive(c, nowNanos);
    Transmitter.transmit(c, nowNanos);
  }

  private void runTimers(long nowNanos) {
    while (timers.size() > 0 && timers.peekDeadline() <= nowNanos) {
      long d = timers.peekDeadline();
      TcpConnection c = timers.peekConnection();
      timers.pop();
      if (c.removed || d != c.queuedDeadline) {
        continue; // stale: the connection was pushed again with an earlier deadline, or is gone
      }
      c.queuedDeadline = TcpConnection.NEVER;
      if (c.deadline() <= nowNanos) {
        c.lock.lock();
        try {
          ConnectionTimers.onTimers(c, nowNanos);
          if (c.state != TcpState.CLOSED) {
            Transmitter.transmit(c, nowNanos);
          }
        } finally {
          c.lock.unlock();
        }
      }
      afterWork(c);
    }
    if (timers.size() > 4 * table.size() + 1024) {
      compactTimers();
    }
  }

  /** Drops stale heap entries: one entry per live connection with a deadline. */
  private void compactTimers() {
    timers.clear();
    table.forEach(
        c -> {
          c.queuedDeadline = TcpConnection.NEVER;
          long d = c.deadline();
          if (d != TcpConnection.NEVER) {
            timers.push(d, c);
            c.queuedDeadline = d;
          }
        });
  }

  private void afterWork(TcpConnection c) {
    if (c.state == TcpState.CLOSED) {
      removeConnection(c);
      return;
    }
    long d = c.deadline();
    if (d < c.queuedDeadline) {
      timers.push(d, c);
      c.queuedDeadline = d;
    }
  }

  private void removeConnection(TcpConnection c) {
    if (c.removed) {
      return;
    }
    c.removed = true;
    if (c.inTable) {
      table.remove(c);
      c.inTable = false;
    }
    unregister(c);
    c.lock.lock();
    try {
      c.releaseBuffersIfDone();
    } finally {
      c.lock.unlock();
    }
  }

  /**
   * The earliest instant {@link #poll} must run again: {@code Long.MIN_VALUE} when application work
   * is waiting, {@code Long.MAX_VALUE} when nothing is due. Stack thread only.
   *
   * @return a deadline on the stack's clock
   */
  public long nextDeadlineNanos() {
    return pending.get() == null ? timers.peekDeadline() : Long.MIN_VALUE;
  }

  // =========================== any thread ===========================

  /**
   * Starts an active open; the SYN leaves on the stack thread's next poll.
   *
   * @param local the interface address chosen by the IP layer (not a wildcard); port 0 picks an
   *     ephemeral port
   * @param remote the peer
   * @return the connection's handle; {@link TcpSocket#awaitConnected} waits for the handshake
   * @throws IllegalArgumentException if an address is unresolved, a wildcard, or the families
   *     differ
   * @throws BindException if the 4-tuple is in use or no ephemeral port is free
   * @throws SocketException if the layer is closed, or connection or memory limits are reached
   */
  public TcpSocket connect(InetSocketAddress local, InetSocketAddress remote) throws IOException {
    Objects.requireNonNull(local, "local");
    Objects.requireNonNull(remote, "remote");
    if (local.isUnresolved() || remote.isUnresolved()) {
      throw new IllegalArgumentException(
          "connect needs resolved addresses: " + local + " -> " + remote);
    }
    if (local.getAddress().isAnyLocalAddress()) {
      throw new IllegalArgumentException("connect needs a concrete local address, not " + local);
    }
    if (remote.getPort() == 0) {
      throw new IllegalArgumentException("remote port 0: " + remote);
    }
    TcpConnection c;
    registryLock.lock();
    try {
      if (closed) {
        throw new SocketException("TCP layer closed");
      }
      if (flows.size() >= settings.maxConnections()) {
        counters.increment(Counter.DROPPED_CONNECTION_LIMIT);
        throw new SocketException(
            "Too many TCP connections (limit " + settings.maxConnections() + ")");
      }
      int port = local.getPort() != 0 ? local.getPort() : ephemeralPort(local.getAddress());
      TcpFlow flow = new TcpFlow(new InetSocketAddress(local.getAddress(), port), remote);
      if (flows.containsKey(flow)) {
        throw new BindException("Address already in use: " + flow);
      }
      c = new TcpConnection(this, flow, TcpState.SYN_SENT);
      if (!c.allocateBuffers()) {
        counters.increment(Counter.DROPPED_MEMORY_LIMIT);
        throw new SocketException(
            "TCP buffer memory exhausted (limit " + settings.maxTotalBufferBytes() + " bytes)");
      }
      flows.put(flow, c);
      localPortUse.merge(port, 1, Integer::sum);
    } finally {
      registryLock.unlock();
    }
    counters.increment(Counter.ACTIVE_OPENS);
    schedule(c);
    return c.socket;
  }

  private int ephemeralPort(InetAddress address) throws BindException {
    int low = settings.ephemeralPortLow();
    int span = settings.ephemeralPortHigh() - low + 1;
    int start = random.nextInt(span);
    for (int i = 0; i < span; i++) {
      int port = low + (start + i) % span;
      if (!localPortUse.containsKey(port) && !listeners.containsKey(port)) {
        return port;
      }
    }
    throw new BindException(
        "No free ephemeral port for "
            + address.getHostAddress()
            + " in "
            + low
            + ".."
            + settings.ephemeralPortHigh());
  }

  /**
   * Listens on an address (a wildcard takes segments to any local address) and port.
   *
   * @param local the address and port; port 0 picks an ephemeral port
   * @param backlog the accept-queue bound (at least 1 is used)
   * @return the listener
   * @throws BindException naming address:port if a listener overlaps it
   * @throws SocketException if the layer is closed
   * @throws IllegalArgumentException if the address is unresolved
   */
  public TcpListener listen(InetSocketAddress local, int backlog) throws IOException {
    Objects.requireNonNull(local, "local");
    if (local.isUnresolved()) {
      throw new IllegalArgumentException("listen needs a resolved address: " + local);
    }
    registryLock.lock();
    try {
      if (closed) {
        throw new SocketException("TCP layer closed");
      }
      int port = local.getPort() != 0 ? local.getPort() : ephemeralPort(local.getAddress());
      InetSocketAddress bound = new InetSocketAddress(local.getAddress(), port);
      List<TcpListener> onPort = listeners.computeIfAbsent(port, k -> new ArrayList<>());
      for (TcpListener other : onPort) {
        if (other.isWildcard()
            || local.getAddress().isAnyLocalAddress()
            || other.localAddress().getAddress().equals(local.getAddress())) {
          throw new BindException(
              "Address already in use: " + local.getAddress().getHostAddress() + ":" + port);
        }
      }
      TcpListener l = new TcpListener(this, bound, Math.max(1, backlog));
      onPort.add(l);
      return l;
    } finally {
      registryLock.unlock();
    }
  }

  /**
   * Closes everything (for {@code TunnelNetwork.close}): listeners close, every connection is reset
   * (RST) and its application handle fails with "Socket closed"; later connect/listen calls fail.
   * The RSTs leave on the stack thread's next {@link #poll}.
   */
  public void closeAll() {
    List<TcpListener> ls = new ArrayList<>();
    List<TcpConnection> cs;
    registryLock.lock();
    try {
      closed = true;
      listeners.values().forEach(ls::addAll);
      cs = new ArrayList<>(flows.values());
    } finally {
      registryLock.unlock();
    }
    for (TcpListener l : ls) {
      l.close();
    }
    for (TcpConnection c : cs) {
      c.lock.lock();
      try {
        if (c.state != TcpState.CLOSED) {
          c.appClosed = true;
          c.abortRequested = true;
          if (c.error == null) {
            c.error = ErrorKind.CLOSED_LOCALLY;
          }
          c.changed.signalAll();
        }
      } finally {
        c.lock.unlock();
      }
      schedule(c);
    }
    LOG.log(System.Logger.Level.DEBUG, "TCP layer closed: {0} connections reset", cs.size());
  }

  /**
   * A snapshot of the counters.
   *
   * @return the counters now
   */
  public TcpStats stats() {
    int n;
    registryLock.lock();
    try {
      n = flows.size();
    } finally {
      registryLock.unlock();
    }
    return counters.snapshot(n, budget.used());
  }

  /**
   * The settings this layer runs with.
   *
   * @return the settings
   */
  public TcpSettings settings() {
    return settings;
  }

  // =========================== internal ===========================

  boolean inBatch() {
    return inBatch;
  }

  /** Queues {@code c}'s ACK for the end of the batch (once). Stack thread, c's lock held. */
  void oweAck(TcpConnection c) {
    if (!c.ackOwed) {
      c.ackOwed = true;
      owedAcks.add(c);
    }
  }

  void schedule(TcpConnection c) {
    if (c.scheduled.compareAndSet(false, true)) {
      TcpConnection head;
      do {
        head = pending.get();
        c.nextPending = head;
      } while (!pending.compareAndSet(head, c));
      wakeStack.run();
    }
  }

  void unregister(TcpListener l) {
    registryLock.lock();
    try {
      List<TcpListener> onPort = listeners.get(l.port());
      if (onPort != null) {
        onPort.remove(l);
        if (onPort.isEmpty()) {
          listeners.remove(l.port());
        }
      }
    } finally {
      registryLock.unlock();
    }
  }

  private void unregister(TcpConnection c) {
    registryLock.lock();
    try {
      if (flows.remove(c.flow, c)) {
        localPortUse.computeIfPresent(c.flow.localPort(), (k, v) -> v == 1 ? null : v - 1);
      }
    } finally {
      registryLock.unlock();
    }
  }

  private @Nullable TcpListener findListener(byte[] p, int dstOff, int addrLen, int port) {
    registryLock.lock();
    try {
      List<TcpListener> onPort = listeners.get(port);
      if (onPort == null) {
        return null;
      }
      TcpListener wildcard = null;
      for (TcpListener l : onPort) {
        if (l.isWildcard()) {
          wildcard = l;
        } else if (l.acceptsAddress(p, dstOff, addrLen)) {
          return l;
        }
      }
      return wildcard;
    } finally {
      registryLock.unlock();
    }
  }

  /** RFC 5961 §7: challenge ACKs are rate-limited across the layer. */
  void challengeAck(TcpConnection c) {
    if (now - challengeWindowStart >= 1_000_000_000L || challengeWindowStart == Long.MIN_VALUE) {
      challengeWindowStart = now;
      challengeCount = 0;
    }
    if (challengeCount < settings.challengeAcksPerSecond()) {
      challengeCount++;
      counters.increment(Counter.CHALLENGE_ACKS);
      c.ackNow = true;
    } else {
      counters.increment(Counter.CHALLENGE_ACKS_SUPPRESSED);
    }
  }

  void sendReset(TcpFlow flow, int seq, int ack, boolean withAck) {
    TcpHeader.write(
        tx,
        0,
        flow.localPort(),
        flow.remotePort(),
        seq,
        withAck ? ack : 0,
        TcpHeader.LENGTH,
        TcpHeader.RST | (withAck ? TcpHeader.ACK : 0),
        0);
    counters.increment(Counter.RESETS_SENT);
    counters.increment(Counter.SEGMENTS_SENT);
    if (!out.send(flow, tx, 0, TcpHeader.LENGTH)) {
      counters.increment(Counter.DROPPED_OUTPUT_FULL);
    }
  }

  boolean output(TcpFlow flow, byte[] b, int len) {
    return out.send(flow, b, 0, len);
  }

  void count(Counter c) {
    counters.increment(c);
  }

  byte[] txBuffer() {
    return tx;
  }

  int[] sackStarts() {
    return sackStarts;
  }

  int[] sackEnds() {
    return sackEnds;
  }

  MemoryBudget budget() {
    return budget;
  }

  /** Connections in the demux table (stack thread; for tests). */
  int tableSize() {
    return table.size();
  }
}
