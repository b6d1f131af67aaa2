package io.wireguardjava.core;

import io.wireguardjava.DropReason;
import io.wireguardjava.Endpoint;
import io.wireguardjava.InetNetwork;
import io.wireguardjava.Key;
import io.wireguardjava.Peer;
import io.wireguardjava.PeerStats;
import io.wireguardjava.crypto.Keypair;
import io.wireguardjava.crypto.Keypairs;
import io.wireguardjava.crypto.Protocol;
import io.wireguardjava.crypto.TimeSource;
import io.wireguardjava.spi.DatagramAddress;
import io.wireguardjava.spi.PacketBatch;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * One peer inside the engine: its configuration, endpoint, sessions, staged packets, timers and
 * counters.
 *
 * <p>Who touches what: the send lock guards the staging queue and makes "pick the keypair, seal,
 * send" one step, so a peer's packets leave in the order they were staged or read, whichever thread
 * sends them (send thread, handshake thread flushing after a handshake, receive thread when
 * forwarding). {@link Keypairs} has its own lock; the handshake state is the handshake thread's
 * alone. Endpoint and configuration fields are volatile, written on reconfiguration or by roaming.
 */
final class PeerState {
  private final PeerServices services;
  private final Events events;
  final Key publicKey;

  /** {@link #publicKey} wrapped once, for listener calls on the data path. */
  final Optional<Key> optionalKey;

  final Keypairs keypairs = new Keypairs();
  final Timers timers;
  final ReentrantLock sendLock = new ReentrantLock();
  private final StagedPackets staged;

  /** Seals one staged packet; one object per peer, so flushing allocates nothing. */
  private final StagedPackets.Sink sealStaged = (kp, ctx, b, n) -> sealAndSend(kp, b, 0, n, ctx);

  final AtomicLong rxBytes = new AtomicLong();
  final AtomicLong txBytes = new AtomicLong();

  /** Set while the peer waits in the handshake thread's request queue. */
  final AtomicBoolean handshakeRequested = new AtomicBoolean();

  volatile Peer config;

  /**
   * The prefixes routed to this peer, host bits cleared, in the order {@link #config} lists them,
   * without those a later peer took over: what {@code config()} reports, kept by the engine's
   * changes so that reading it needs no lookup. Usually the very list of {@link #config}.
   */
  volatile List<InetNetwork> routes = List.of();

  volatile @Nullable InetSocketAddress endpoint;

  /**
   * Where datagrams to this peer go: {@link #endpoint} and the local address its latest
   * authenticated datagram arrived on (the sticky source, so a multi-homed host answers from the
   * address the peer wrote to). Published whole and never changed afterwards: a new one replaces it
   * when the peer roams. Null exactly when {@link #endpoint} is.
   */
  volatile @Nullable DatagramAddress sendTo;

  volatile @Nullable Instant lastHandshake;

  /** When the latest initiation or response was sent ({@link TimeSource#nanoTime()}). */
  volatile long lastSentHandshakeNanos;

  /** The Noise handshake and its session indices; {@link Handshakes}' lock guards it. */
  final PeerHandshakeState handshake = new PeerHandshakeState();

  /** Whether the receive-side "last minute" rekey was already asked for this keypair. */
  volatile boolean sentLastMinuteHandshake;

  volatile boolean removed;

  PeerState(Peer config, PeerServices services) {
    this.services = services;
    this.events = services.events();
    this.publicKey = config.publicKey();
    this.optionalKey = Optional.of(publicKey);
    this.config = config;
    this.staged = new StagedPackets(services.pool());
    this.timers = new Timers(services.scheduler(), new TimerActions(), services.random());
    this.lastSentHandshakeNanos = services.clock().nanoTime() - Protocol.REKEY_TIMEOUT_NANOS - 1;
    this.endpoint = literal(config.endpoint());
    this.sendTo = endpoint == null ? null : DatagramAddress.of(endpoint);
    // the persistent keepalive is armed by the engine once the peer is registered
  }

  /** A literal endpoint's address; host names are resolved later, when first needed. */
  static @Nullable InetSocketAddress literal(Optional<Endpoint> e) {
    if (e.isEmpty()) {
      return null;
    }
    return e.get().literalAddress().map(a -> new InetSocketAddress(a, e.get().port())).orElse(null);
  }

  // ---- sending (any thread) ----

  /** What became of a packet given to {@link #send}; the caller answers a refusal with ICMP. */
  enum Outcome {
    /** Sealed and sent, or staged until a handshake completes (or dropped and counted there). */
    ACCEPTED,
    /** Larger than the tunnel's MTU: dropped, counted {@code TOO_LARGE}. */
    TOO_LARGE,
    /** The peer has no endpoint, configured or learned: dropped, counted {@code NO_ENDPOINT}. */
    NO_ENDPOINT
  }

  /**
   * Sends one IP packet to this peer: sealed at once with the current keypair, or staged until a
   * handshake completes. {@code buf[off..off+len)} is only read. A packet over the MTU, or for a
   * peer with nowhere to send it (as the kernel's {@code -EDESTADDRREQ}), is dropped and counted,
   * and the outcome says which.
   */
  Outcome send(byte[] buf, int off, int len, SendContext ctx) {
    Outcome admitted = admit(len);
    if (admitted != Outcome.ACCEPTED) {
      return admitted;
    }
    sendLock.lock();
    try {
      if (!staged.isEmpty()) { // keep order behind packets already waiting
        stageLocked(buf, off, len);
        sendStagedLocked(ctx);
        return Outcome.ACCEPTED;
      }
      Keypair kp = usableKeypair();
      if (kp == null) {
        stageLocked(buf, off, len);
        services.requests().request(this);
        return Outcome.ACCEPTED;
      }
      sealAndSend(kp, buf, off, len, ctx);
    } finally {
      sendLock.unlock();
    }
    return Outcome.ACCEPTED;
  }

  /**
   * Whether a packet of {@code len} bytes may go to this peer at all: not over the MTU, and the
   * peer has somewhere to send it. A refusal is counted here; the caller answers it with ICMP.
   */
  Outcome admit(int len) {
    if (!PacketSize.fits(len, services.mtu().getAsInt())) {
      events.drop(DropReason.TOO_LARGE, this);
      return Outcome.TOO_LARGE;
    }
    if (endpoint == null && config.endpoint().isEmpty()) {
      events.drop(DropReason.NO_ENDPOINT, this);
      return Outcome.NO_ENDPOINT;
    }
    return Outcome.ACCEPTED;
  }

  /**
   * Sends packets {@code which[0..n)} of {@code packets} (each already {@link #admit admitted}) to
   * this peer, in that order, under one take of the send lock: sealed back to back into {@code
   * out}, the timer hooks and counters taken once, then handed to the socket together. Without a
   * usable session, or behind packets already staged, they are staged as {@link #send} does.
   */
  void sendBatch(PacketBatch packets, int[] which, int n, SealedDatagrams out, SendContext ctx) {
    sendLock.lock();
    try {
      Keypair kp = staged.isEmpty() ? usableKeypair() : null;
      if (kp == null) {
        boolean waiting = !staged.isEmpty();
        for (int k = 0; k < n; k++) {
          int i = which[k];
          stageLocked(packets.array(i), packets.offset(i), packets.length(i));
        }
        if (waiting) {
          sendStagedLocked(ctx); // keep order behind packets already waiting
        } else {
          services.requests().request(this);
        }
        return;
      }
      sealBatchLocked(kp, packets, which, n, out);
    } finally {
      sendLock.unlock();
    }
  }

  /** Seals and sends a batch with {@code kp}. Send lock held. */
  private void sealBatchLocked(
      Keypair kp, PacketBatch packets, int[] which, int n, SealedDatagrams out) {
    DatagramAddress to = sendTo;
    if (to == null) {
      for (int k = 0; k < n; k++) {
        events.drop(DropReason.NO_ENDPOINT, this);
      }
      return;
    }
    int mtu = services.mtu().getAsInt();
    out.reset(mtu);
    timers.onAnyAuthenticatedPacketTraversal();
    for (int k = 0; k < n; k++) {
      int i = which[k];
      int len = packets.length(i);
      if (!PacketSize.fits(len, mtu)) { // the MTU shrank since admit()
        events.drop(DropReason.TOO_LARGE, this);
        continue;
      }
      int m = kp.seal(packets.array(i), packets.offset(i), len, out.data(), out.nextOffset());
      if (m < 0) { // expired or used up in this batch: the rest waits for the next session
        events.drop(DropReason.SESSION_EXPIRED, this);
        for (int j = k + 1; j < n; j++) {
          stageLocked(packets.array(which[j]), packets.offset(which[j]), packets.length(which[j]));
        }
        services.requests().request(this);
        break;
      }
      out.add(m);
    }
    if (out.count() == 0) {
      return;
    }
    // Timer hooks once per batch, before the datagrams leave (see sealAndSend).
    timers.onAnyAuthenticatedPacketSent();
    timers.onDataSent();
    int failed = out.sendAll(services.sender(), to);
    for (int f = 0; f < failed; f++) {
      events.drop(DropReason.IO_ERROR, this);
    }
    txBytes.addAndGet(out.totalBytes());
    if (kp.needsRekeyOnSend()) { // keep_key_fresh
      services.requests().request(this);
    }
  }

  /** Sends a keepalive, or the staged packets when some wait (they serve as one). */
  void sendKeepalive(SendContext ctx) {
    sendLock.lock();
    try {
      if (staged.isEmpty()) {
        Keypair kp = usableKeypair();
        if (kp == null) {
          stageLocked(ctx.datagram, 0, 0); // an empty packet: sent once a session exists
          services.requests().request(this);
          return;
        }
        sealAndSend(kp, ctx.datagram, 0, 0, ctx);
      } else {
        sendStagedLocked(ctx);
      }
    } finally {
      sendLock.unlock();
    }
  }

  /** Sends what is staged if a session allows, else asks for a handshake. */
  void sendStaged(SendContext ctx) {
    sendLock.lock();
    try {
      sendStagedLocked(ctx);
    } finally {
      sendLock.unlock();
    }
  }

  private void sendStagedLocked(SendContext ctx) {
    if (staged.isEmpty()) {
      return;
    }
    Keypair kp = usableKeypair();
    if (kp == null) {
      services.requests().request(this);
      return;
    }
    staged.drain(sealStaged, kp, ctx);
  }

  private void stageLocked(byte[] buf, int off, int len) {
    if (removed) {
      // A thread that found this peer before it was removed: destroy() has purged (or will
      // purge) the queue, and nothing would return a buffer staged now to the pool.
      events.drop(DropReason.NO_ROUTE, this);
      return;
    }
    int r = staged.add(buf, off, len);
    if (r == StagedPackets.TOO_LARGE) {
      events.drop(DropReason.TOO_LARGE, this);
    } else if (r != 0) {
      events.drop(DropReason.STAGING_QUEUE_FULL, this);
    }
  }

  /** Drops the staged packets (handshake gave up, peer removed). */
  int purgeStaged() {
    sendLock.lock();
    try {
      return staged.purge();
    } finally {
      sendLock.unlock();
    }
  }

  /** The current keypair if it may still send, else null. */
  private @Nullable Keypair usableKeypair() {
    Keypair kp = keypairs.current();
    if (kp == null
        || kp.isExpired()
        || Long.compareUnsigned(kp.sendCounter(), Protocol.REJECT_AFTER_MESSAGES) >= 0) {
      return null;
    }
    return kp;
  }

  /** Seals {@code buf[off..off+len)} into ctx's datagram and sends it. Send lock held. */
  private void sealAndSend(Keypair kp, byte[] buf, int off, int len, SendContext ctx) {
    DatagramAddress to = sendTo;
    if (to == null) {
      events.drop(DropReason.NO_ENDPOINT, this);
      return;
    }
    int mtu = services.mtu().getAsInt();
    if (!PacketSize.fits(len, mtu)) { // staged under a larger MTU than today's
      events.drop(DropReason.TOO_LARGE, this);
      return;
    }
    timers.onAnyAuthenticatedPacketTraversal();
    ctx.ensureCapacity(PacketSize.datagramLength(mtu)); // grows once after an MTU increase
    int n = kp.seal(buf, off, len, ctx.datagram, 0);
    if (n < 0) {
      events.drop(DropReason.SESSION_EXPIRED, this);
      services.requests().request(this);
      return;
    }
    // Timer hooks before the datagram leaves: the peer's answer may be processed by the receive
    // thread before send() returns here, and its hooks must come after ours (else a passive
    // keepalive is cancelled, or a new-handshake timer armed, after the answer).
    timers.onAnyAuthenticatedPacketSent();
    if (len > 0) {
      timers.onDataSent();
    }
    try {
      services.sender().send(ctx.datagram, 0, n, to);
    } catch (IOException e) {
      events.drop(DropReason.IO_ERROR, this);
      return;
    }
    txBytes.addAndGet(n);
    if (kp.needsRekeyOnSend()) { // keep_key_fresh
      services.requests().request(this);
    }
  }

  // ---- receiving (receive thread) ----

  /**
   * Per datagram, on the receive thread, after a transport message from this peer was authenticated
   * with {@code kp}: the first one on a responder's new session confirms it (timers, listeners,
   * staged packets sent). The rest of the bookkeeping waits for {@link #onReceivedBatch}.
   */
  void confirmSession(Keypair kp, SendContext ctx) {
    if (keypairs.receivedWith(kp)) { // the responder's new session is confirmed
      timers.onHandshakeComplete();
      handshakeCompleted(0);
      sendStaged(ctx);
    }
  }

  /**
   * Once per received batch, on the receive thread, for the datagrams of this peer in it: roaming
   * to the latest source, rx bytes, timers (any authenticated packet, and data when {@code data}),
   * the "last minute" rekey check on {@code kp}, the keypair last used.
   */
  void onReceivedBatch(Keypair kp, DatagramAddress from, long datagramBytes, boolean data) {
    roam(from);
    rxBytes.addAndGet(datagramBytes);
    timers.onAnyAuthenticatedPacketReceived();
    timers.onAnyAuthenticatedPacketTraversal();
    if (data) {
      timers.onDataReceived();
    }
    if (!sentLastMinuteHandshake && kp == keypairs.current() && kp.needsRekeyOnReceive()) {
      sentLastMinuteHandshake = true;
      services.requests().request(this);
    }
  }

  /**
   * Roaming, on the receive thread: the endpoint becomes the source of the latest authenticated
   * datagram, and replies leave from the local address it arrived on. Allocates only when either
   * changed.
   */
  void roam(DatagramAddress from) {
    DatagramAddress old = sendTo;
    if (old != null && old.sameAs(from) && old.toInetSocketAddress() == endpoint) {
      return; // (the identity check repairs a race with setEndpoint on the handshake thread)
    }
    DatagramAddress fresh = from.copy();
    InetSocketAddress remote = fresh.toInetSocketAddress();
    InetSocketAddress oldRemote = endpoint;
    endpoint = remote;
    sendTo = fresh;
    if (!remote.equals(oldRemote)) {
      events.endpointChanged(publicKey, remote);
    }
  }

  /** The endpoint from configuration, resolution or a handshake message: no sticky source. */
  void setEndpoint(InetSocketAddress from) {
    InetSocketAddress old = endpoint;
    if (from != old && !from.equals(old)) {
      sendTo = DatagramAddress.of(from);
      endpoint = from;
      events.endpointChanged(publicKey, from);
    }
  }

  /** A handshake completed: record the time, tell the listeners. */
  void handshakeCompleted(long tookNanos) {
    lastHandshake = Instant.ofEpochSecond(0, services.clock().epochNanos());
    sentLastMinuteHandshake = false;
    events.handshakeCompleted(publicKey, java.time.Duration.ofNanos(tookNanos));
  }

  // ---- lifecycle ----

  /** Zeroes sessions (keys) and the handshake state. */
  void zeroKeyMaterial() {
    keypairs.clear();
    services.handshakes().clearHandshake(this);
  }

  /**
   * Voids the sessions and lets the next handshake go out at once (the kernel's {@code
   * wg_noise_expire_current_peer_keypairs}): the private key changed, or the sessions must not be
   * used any more.
   */
  void expireSessions() {
    zeroKeyMaterial();
    lastSentHandshakeNanos = services.clock().nanoTime() - Protocol.REKEY_TIMEOUT_NANOS - 1;
  }

  /**
   * Stops timers, drops staged packets (their buffers go back to the pool), zeroes keys. Packets
   * sent to the peer afterwards (by a thread that looked it up before) are dropped, not staged.
   */
  void destroy() {
    removed = true; // before the purge takes the send lock: no packet is staged after it
    timers.stop();
    purgeStaged();
    zeroKeyMaterial();
  }

  PeerStats stats() {
    return new PeerStats(
        publicKey,
        Optional.ofNullable(endpoint),
        Optional.ofNullable(lastHandshake),
        rxBytes.get(),
        txBytes.get(),
        timers.persistentKeepaliveSeconds());
  }

  @Override
  public String toString() {
    return "Peer[" + publicKey.toBase64().substring(0, 8) + "…]";
  }

  /** What the timers make this peer do, on the handshake thread. */
  private final class TimerActions implements Timers.Actions {
    @Override
    public void sendHandshakeInitiation(boolean isRetry) {
      services.handshakes().sendInitiation(PeerState.this, isRetry);
    }

    @Override
    public void beforeRetry(int attempt) {
      if (attempt > Limits.RERESOLVE_AFTER_ATTEMPTS) {
        services.handshakes().reresolve(PeerState.this);
      }
    }

    @Override
    public void sendKeepalive() {
      PeerState.this.sendKeepalive(services.handshakes().context());
    }

    @Override
    public void handshakeGaveUp() {
      int n = purgeStaged();
      events.drop(DropReason.HANDSHAKE_GAVE_UP, PeerState.this, n);
      events.peerStale(publicKey);
    }

    @Override
    public void zeroKeyMaterial() {
      boolean had = keypairs.current() != null || keypairs.previous() != null;
      PeerState.this.zeroKeyMaterial();
      if (had) {
        events.peerStale(publicKey);
      }
    }
  }
}
