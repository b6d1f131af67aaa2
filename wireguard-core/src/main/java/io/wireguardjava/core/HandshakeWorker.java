package io.wireguardjava.core;

import io.wireguardjava.DropReason;
import io.wireguardjava.Key;
import io.wireguardjava.PresharedKey;
import io.wireguardjava.PrivateKey;
import io.wireguardjava.crypto.CookieChecker;
import io.wireguardjava.crypto.Handshake;
import io.wireguardjava.crypto.Keypair;
import io.wireguardjava.crypto.Messages;
import io.wireguardjava.crypto.Protocol;
import io.wireguardjava.crypto.RandomSource;
import io.wireguardjava.crypto.Reason;
import io.wireguardjava.crypto.StaticIdentity;
import io.wireguardjava.crypto.TimeSource;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * The handshake thread: consumes handshake messages queued by the receive thread, sends
 * initiations that peers ask for, and runs every peer's timers. Owns the static identity, the
 * cookie checker, the rate limiter and each peer's {@link Handshake}; the Diffie-Hellman work
 * happens only here, so a flood of handshake messages costs this thread, never the data path.
 *
 * <p>Load: when the handshake queue holds {@link Limits#UNDER_LOAD_QUEUE_LENGTH} messages or
 * more (and for a second afterwards), initiations and responses without a valid MAC2 get a
 * cookie reply instead of a handshake, and those with a valid MAC2 pass a per-source rate limit
 * (the kernel's {@code receive.c} and {@code cookie.c}).
 */
final class HandshakeWorker implements Runnable {
  private static final Logger LOG = Logger.getLogger(HandshakeWorker.class.getName());

  private final Engine engine;
  private final HandshakeQueue queue = new HandshakeQueue(Limits.MAX_QUEUED_INCOMING_HANDSHAKES);
  private final ArrayBlockingQueue<PeerState> requests =
      new ArrayBlockingQueue<>(Limits.MAX_QUEUED_INCOMING_HANDSHAKES);
  final IndexTable<IndexEntry> indices = new IndexTable<>();
  private final RateLimiter rateLimiter;
  private final TimeSource time;
  private final SendContext ctx;
  private final byte[] message = new byte[HandshakeQueue.SLOT];
  private final int[] length = new int[1];
  /** Each peer's handshake and indices; touched under this object's lock (config + thread). */
  private final Map<PeerState, Handshake> handshakes = new IdentityHashMap<>();
  private final Map<PeerState, List<IndexEntry>> entries = new IdentityHashMap<>();
  private final Map<PeerState, Integer> handshakeIndex = new IdentityHashMap<>();
  private volatile @Nullable StaticIdentity identity;
  private volatile @Nullable Key publicKey;
  private @Nullable CookieChecker cookieChecker;
  private long underLoadUntil;
  private volatile boolean stopped;
  /** Loop iterations completed; tests wait on it to know the thread caught up. */
  private volatile long rounds;

  HandshakeWorker(Engine engine, Optional<PrivateKey> privateKey) {
    this.engine = engine;
    this.rateLimiter = new RateLimiter(engine.clock);
    this.ctx = new SendContext(Math.max(engine.mtu, 1500) + Times.DATA_OVERHEAD + 16);
    Clock clock = engine.clock;
    this.time =
        new TimeSource() {
          @Override
          public long nanoTime() {
            return clock.nanos();
          }

          @Override
          public long epochNanos() {
            java.time.Instant now = clock.now();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
          }
        };
    setPrivateKey(privateKey);
  }

  /** The handshake thread's send scratch space (timers' keepalives use it). */
  SendContext context() {
    return ctx;
  }

  // ---- called by other threads ----

  /** Receive thread: queues a handshake message; false when the queue is full. */
  boolean offer(byte[] buf, int off, int len, InetSocketAddress from) {
    if (!queue.offer(buf, off, len, from)) {
      return false;
    }
    engine.scheduler.wakeup();
    return true;
  }

  /** Any thread: asks for an initiation to {@code peer}; repeated requests collapse. */
  void request(PeerState peer) {
    if (peer.handshakeRequested.compareAndSet(false, true)) {
      if (requests.offer(peer)) {
        engine.scheduler.wakeup();
      } else {
        peer.handshakeRequested.set(false);
      }
    }
  }

  synchronized void setPrivateKey(Optional<PrivateKey> privateKey) {
    StaticIdentity old = identity;
    if (privateKey.isPresent()) {
      byte[] k = privateKey.get().getBytes();
      try {
        identity = StaticIdentity.of(k);
      } finally {
        Arrays.fill(k, (byte) 0);
      }
      publicKey = privateKey.get().publicKey();
      cookieChecker = new CookieChecker(identity, time, RandomSource.secure());
    } else {
      identity = null;
      publicKey = null;
      cookieChecker = null;
    }
    for (PeerState p : new ArrayList<>(handshakes.keySet())) {
      replaceHandshake(p);
    }
    if (old != null) {
      old.destroy();
    }
  }

  boolean isOwnKey(Key key) {
    return key.equals(publicKey);
  }

  synchronized void addPeer(PeerState p) {
    entries.put(p, new ArrayList<>());
    replaceHandshake(p);
  }

  /** The preshared key changed: the handshake object takes the new one. */
  synchronized void updatePeerKeys(PeerState p) {
    Handshake h = handshakes.get(p);
    if (h != null) {
      byte[] psk = p.config.presharedKey().map(PresharedKey::getBytes).orElse(null);
      try {
        h.setPresharedKey(psk);
      } finally {
        if (psk != null) {
          Arrays.fill(psk, (byte) 0);
        }
      }
    }
  }

  synchronized void removePeer(PeerState p) {
    Handshake h = handshakes.remove(p);
    if (h != null) {
      h.destroy();
    }
    List<IndexEntry> l = entries.remove(p);
    if (l != null) {
      for (IndexEntry e : l) {
        removeIndex(e);
      }
    }
    handshakeIndex.remove(p);
  }

  private void replaceHandshake(PeerState p) {
    Handshake old = handshakes.remove(p);
    if (old != null) {
      old.destroy();
    }
    StaticIdentity id = identity;
    if (id == null) {
      return;
    }
    byte[] psk = p.config.presharedKey().map(PresharedKey::getBytes).orElse(null);
    try {
      handshakes.put(
          p, Handshake.create(id, p.publicKey.getBytes(), psk, time, RandomSource.secure()));
    } finally {
      if (psk != null) {
        Arrays.fill(psk, (byte) 0);
      }
    }
  }

  /** Wipes the peer's handshake in progress (its sessions are wiped by the caller). */
  synchronized void clearHandshake(PeerState p) {
    Handshake h = handshakes.get(p);
    if (h != null) {
      h.clearHandshake();
    }
    List<IndexEntry> l = entries.get(p);
    if (l != null) {
      for (IndexEntry e : l) {
        removeIndex(e);
      }
      l.clear();
    }
    handshakeIndex.remove(p);
  }

  /** For tests: whether the peer holds a cookie (from a cookie reply) for its next MAC2. */
  synchronized boolean hasCookie(PeerState p) {
    Handshake h = handshakes.get(p);
    return h != null && h.hasCookie();
  }

  /** For tests: returns once the thread has run its timers and emptied its queues. */
  void awaitIdle() throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    long start = rounds;
    engine.scheduler.wakeup();
    while ((rounds < start + 2 || queue.size() > 0 || !requests.isEmpty())
        && System.nanoTime() < deadline && !stopped) {
      engine.scheduler.wakeup();
      Thread.sleep(1);
    }
  }

  void stop() {
    stopped = true;
    engine.scheduler.wakeup();
  }

  /** After the thread ended: wipe every secret. */
  synchronized void destroy() {
    for (Handshake h : handshakes.values()) {
      h.destroy();
    }
    handshakes.clear();
    indices.clear();
    queue.clear();
    if (cookieChecker != null) {
      cookieChecker.destroy();
    }
    StaticIdentity id = identity;
    if (id != null) {
      id.destroy();
    }
    identity = null;
    Arrays.fill(ctx.datagram, (byte) 0);
    Arrays.fill(message, (byte) 0);
  }

  // ---- the thread ----

  @Override
  public void run() {
    try {
      while (!stopped) {
        long next = engine.scheduler.runDue();
        boolean worked = false;
        // A bounded batch of messages, then timers and requests again: neither starves.
        for (int i = 0; i < 64 && !stopped; i++) {
          InetSocketAddress from = queue.poll(message, length);
          if (from == null) {
            break;
          }
          worked = true;
          processMessage(message, length[0], from);
        }
        PeerState p;
        while (!stopped && (p = requests.poll()) != null) {
          worked = true;
          p.handshakeRequested.set(false);
          if (!p.removed) {
            sendInitiation(p, false);
          }
        }
        rounds++;
        if (!worked) {
          engine.scheduler.await(next);
        }
      }
    } catch (InterruptedException e) {
      // closing
    } catch (RuntimeException | Error e) {
      if (!stopped) {
        LOG.log(Level.SEVERE, "handshake thread failed", e);
      }
    }
  }

  /** Handshake thread (timers, requests): sends an initiation unless one went out recently. */
  void sendInitiation(PeerState peer, boolean isRetry) {
    synchronized (this) {
      Handshake h = handshakes.get(peer);
      if (h == null || peer.removed) {
        return;
      }
      long now = engine.clock.nanos();
      if (!isRetry) {
        peer.timers.resetHandshakeAttempts();
      }
      if (now - peer.lastSentHandshakeNanos < Times.HANDSHAKE_INITIATION_RATE) {
        return;
      }
      InetSocketAddress to = peer.endpoint;
      if (to == null) {
        to = resolve(peer);
        if (to == null) {
          return;
        }
      }
      if (!isRetry && !peer.timers.handshakeInFlight()) {
        peer.attemptStartNanos = now;
      }
      IndexEntry entry = new IndexEntry(peer);
      int index = indices.add(entry);
      entry.index = index;
      int n = h.createInitiation(index, ctx.datagram, 0);
      if (n < 0) {
        indices.remove(index, entry);
        return;
      }
      Integer old = handshakeIndex.put(peer, index);
      if (old != null) {
        dropPendingIndex(peer, old);
      }
      entries.get(peer).add(entry);
      peer.timers.onAnyAuthenticatedPacketTraversal();
      peer.timers.onAnyAuthenticatedPacketSent();
      peer.lastSentHandshakeNanos = now;
      send(peer, n, to);
      peer.timers.onHandshakeInitiated();
    }
  }

  /**
   * Resolves a host-name endpoint again (handshakes keep failing, or it was just configured).
   * IP-literal endpoints are left alone: the peer may have roamed away from them.
   */
  void reresolve(PeerState peer) {
    var e = peer.config.endpoint();
    if (e.isEmpty() || e.get().literalAddress().isPresent()) {
      return;
    }
    InetSocketAddress a = resolve(peer);
    if (a != null) {
      peer.setEndpoint(a);
    }
  }

  private @Nullable InetSocketAddress resolve(PeerState peer) {
    var e = peer.config.endpoint();
    if (e.isEmpty()) {
      return null;
    }
    try {
      InetSocketAddress a = e.get().resolve();
      if (peer.endpoint == null) {
        peer.setEndpoint(a);
      }
      return a;
    } catch (UnknownHostException ex) {
      LOG.log(Level.FINE, "cannot resolve {0}", e.get());
      return null;
    }
  }

  private void processMessage(byte[] msg, int len, InetSocketAddress from) {
    int type = msg[0] & 0xFF;
    StaticIdentity id = identity;
    if (id == null) {
      engine.events.drop(DropReason.HANDSHAKE_INVALID, null);
      return;
    }
    if (type == Protocol.TYPE_COOKIE_REPLY) {
      consumeCookieReply(msg, len);
      return;
    }
    boolean underLoad = underLoad();
    byte[] address = from.getAddress().getAddress();
    CookieChecker checker = cookieChecker;
    if (checker == null) {
      return;
    }
    CookieChecker.Verdict v = checker.check(msg, 0, len, address, from.getPort(), underLoad);
    if (v == CookieChecker.Verdict.INVALID_MAC1) {
      engine.events.drop(DropReason.HANDSHAKE_INVALID, null);
      return;
    }
    if (v == CookieChecker.Verdict.NEEDS_COOKIE) {
      int n = checker.writeCookieReply(msg, 0, len, address, from.getPort(), ctx.datagram, 0);
      try {
        engine.transport.send(ctx.frame(n), from);
      } catch (IOException e) {
        // best effort
      }
      engine.events.drop(DropReason.COOKIE_SENT, null);
      return;
    }
    if (underLoad && !rateLimiter.allow(from.getAddress())) {
      engine.events.drop(DropReason.RATE_LIMITED, null);
      return;
    }
    if (type == Protocol.TYPE_INITIATION) {
      consumeInitiation(id, msg, len, from);
    } else {
      consumeResponse(msg, len, from);
    }
  }

  private boolean underLoad() {
    long now = engine.clock.nanos();
    if (queue.size() >= Limits.UNDER_LOAD_QUEUE_LENGTH) {
      underLoadUntil = now + Limits.UNDER_LOAD_AFTER_NANOS;
      return true;
    }
    return now - underLoadUntil < 0;
  }

  private void consumeInitiation(StaticIdentity id, byte[] msg, int len, InetSocketAddress from) {
    PeerState[] found = new PeerState[1];
    Handshake.InitiationResult r;
    synchronized (this) {
      r =
          Handshake.consumeInitiation(
              id,
              msg,
              0,
              len,
              pk -> {
                PeerState p = engine.peer(Key.fromBytes(pk));
                found[0] = p;
                return p == null ? null : handshakes.get(p);
              });
    }
    PeerState peer = found[0];
    if (r.reason() != Reason.OK || peer == null) {
      engine.events.drop(
          r.reason() == Reason.INITIATION_FLOOD ? DropReason.RATE_LIMITED
              : DropReason.HANDSHAKE_INVALID,
          peer);
      return;
    }
    peer.setEndpoint(from);
    peer.rxBytes.addAndGet(len);
    peer.timers.onAnyAuthenticatedPacketReceived();
    peer.timers.onAnyAuthenticatedPacketTraversal();
    synchronized (this) {
      Handshake h = handshakes.get(peer);
      if (h == null || peer.removed) {
        return;
      }
      IndexEntry entry = new IndexEntry(peer);
      int index = indices.add(entry);
      entry.index = index;
      peer.timers.onAnyAuthenticatedPacketTraversal();
      peer.timers.onAnyAuthenticatedPacketSent();
      Keypair kp = h.createResponse(index, ctx.datagram, 0);
      entry.keypair = kp;
      entries.get(peer).add(entry);
      peer.keypairs.install(kp);
      pruneIndices(peer);
      peer.timers.onSessionDerived();
      peer.lastSentHandshakeNanos = engine.clock.nanos();
      send(peer, Protocol.RESPONSE_LENGTH, from);
    }
  }

  private void consumeResponse(byte[] msg, int len, InetSocketAddress from) {
    int index = Messages.receiverIndex(msg, 0);
    IndexEntry entry = indices.get(index);
    if (entry == null || entry.keypair != null) {
      engine.events.drop(DropReason.HANDSHAKE_INVALID, null);
      return;
    }
    PeerState peer = entry.peer;
    Keypair kp;
    synchronized (this) {
      Handshake h = handshakes.get(peer);
      if (h == null || peer.removed) {
        return;
      }
      Handshake.ResponseResult r = h.consumeResponse(msg, 0, len);
      if (r.reason() != Reason.OK || r.keypair() == null) {
        engine.events.drop(DropReason.HANDSHAKE_INVALID, peer);
        return;
      }
      kp = r.keypair();
      entry.keypair = kp;
      handshakeIndex.remove(peer);
      peer.keypairs.install(kp);
      pruneIndices(peer);
    }
    peer.setEndpoint(from);
    peer.rxBytes.addAndGet(len);
    peer.timers.onAnyAuthenticatedPacketReceived();
    peer.timers.onAnyAuthenticatedPacketTraversal();
    peer.timers.onSessionDerived();
    peer.timers.onHandshakeComplete();
    peer.handshakeCompleted(engine.clock.nanos() - peer.attemptStartNanos);
    peer.sendKeepalive(ctx); // the staged packets, or a keepalive, confirm the session
  }

  private void consumeCookieReply(byte[] msg, int len) {
    IndexEntry entry = indices.get(Messages.receiverIndex(msg, 0));
    if (entry == null) {
      engine.events.drop(DropReason.HANDSHAKE_INVALID, null);
      return;
    }
    Reason r;
    synchronized (this) {
      Handshake h = handshakes.get(entry.peer);
      r = h == null ? Reason.UNEXPECTED_COOKIE_REPLY : h.consumeCookieReply(msg, 0, len);
    }
    if (r != Reason.OK) {
      engine.events.drop(DropReason.HANDSHAKE_INVALID, entry.peer);
    }
  }

  private void send(PeerState peer, int n, InetSocketAddress to) {
    try {
      engine.transport.send(ctx.frame(n), to);
      peer.txBytes.addAndGet(n);
    } catch (IOException e) {
      engine.events.drop(DropReason.IO_ERROR, peer);
    }
  }

  /** A new initiation replaces the pending one: its index no longer answers. */
  private void dropPendingIndex(PeerState peer, int index) {
    IndexEntry e = indices.get(index);
    if (e != null && e.peer == peer && e.keypair == null) {
      removeIndex(e);
      entries.get(peer).remove(e);
    }
  }

  /** Forgets indices whose keypairs are gone (replaced, destroyed). */
  private void pruneIndices(PeerState peer) {
    List<IndexEntry> l = entries.get(peer);
    Integer pending = handshakeIndex.get(peer);
    Keypair cur = peer.keypairs.current();
    Keypair prev = peer.keypairs.previous();
    Keypair next = peer.keypairs.next();
    for (var it = l.iterator(); it.hasNext(); ) {
      IndexEntry e = it.next();
      Keypair k = e.keypair;
      if (k == null) {
        if (pending == null || indices.get(pending) != e) {
          removeIndex(e);
          it.remove();
        }
      } else if (k != cur && k != prev && k != next) {
        removeIndex(e);
        it.remove();
      }
    }
  }

  private void removeIndex(IndexEntry e) {
    indices.remove(e.index, e);
  }
}
