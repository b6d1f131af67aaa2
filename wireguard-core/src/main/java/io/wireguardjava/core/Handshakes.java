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
import io.wireguardjava.spi.DatagramAddress;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The protocol side of the handshake thread: the static identity and cookie checker, each peer's
 * {@link Handshake} (kept on the peer, {@link PeerHandshakeState}), and the session indices ({@link
 * IndexTable}) that route responses, cookie replies and transport data. Sends initiations, consumes
 * initiations, responses and cookie replies, and resolves host-name endpoints. {@link
 * HandshakeWorker} calls it after the cheap checks (MAC1, cookies under load, rate limit); the
 * configuration calls it to add, change and remove peers.
 *
 * <p>Its collaborators are narrow and passed in: the clock and randomness, a {@link
 * DatagramSender}, the drop counters ({@link Events}), the {@link PeerDirectory} and a {@link
 * Resolver}; so it is built and tested without an engine or a socket. Guarded by its own lock
 * (never held across a socket wait); the data path reads only {@link #indices}, lock-free.
 */
final class Handshakes {
  private static final System.Logger LOG = System.getLogger(Handshakes.class.getName());

  final IndexTable<IndexEntry> indices = new IndexTable<>();
  private final TimeSource time;
  private final RandomSource random;
  private final DatagramSender sender;
  private final Events events;
  private final PeerDirectory peers;
  private final Resolver resolver;
  private final SendContext ctx;

  /** Guards every peer's {@link PeerHandshakeState} and the identity changes. */
  private final ReentrantLock lock = new ReentrantLock();

  private volatile @Nullable StaticIdentity identity;
  private volatile @Nullable Key publicKey;
  private volatile @Nullable CookieChecker cookieChecker;

  /**
   * @param privateKey the interface's key, if it has one yet
   * @param time the tunnel's clock (handshake timestamps, cookie secret age)
   * @param random ephemeral keys and cookie secrets
   * @param sender where initiations and responses go
   * @param events counts what is dropped
   * @param peers the configured peers
   * @param resolver resolves host-name endpoints
   * @param datagramLength the initial size of this thread's send buffer (it grows with the MTU)
   */
  Handshakes(
      Optional<PrivateKey> privateKey,
      TimeSource time,
      RandomSource random,
      DatagramSender sender,
      Events events,
      PeerDirectory peers,
      Resolver resolver,
      int datagramLength) {
    this.time = time;
    this.random = random;
    this.sender = sender;
    this.events = events;
    this.peers = peers;
    this.resolver = resolver;
    this.ctx = new SendContext(datagramLength);
    setPrivateKey(privateKey);
  }

  /** The handshake thread's send scratch space (its keepalives and cookie replies use it). */
  SendContext context() {
    return ctx;
  }

  /** A new identity (or none): every peer's handshake is made anew, the old keys are wiped. */
  void setPrivateKey(Optional<PrivateKey> privateKey) {
    lock.lock();
    try {
      StaticIdentity old = identity;
      CookieChecker oldChecker = cookieChecker;
      if (privateKey.isPresent()) {
        byte[] k = privateKey.get().getBytes();
        StaticIdentity id;
        try {
          id = StaticIdentity.of(k);
        } finally {
          Arrays.fill(k, (byte) 0);
        }
        identity = id;
        publicKey = privateKey.get().publicKey();
        cookieChecker = new CookieChecker(id, time, random);
      } else {
        identity = null;
        publicKey = null;
        cookieChecker = null;
      }
      for (PeerState p : peers.peers()) { // every peer, also those keyless until now
        replaceHandshake(p);
      }
      if (old != null) {
        old.destroy();
      }
      if (oldChecker != null) {
        oldChecker.destroy();
      }
    } finally {
      lock.unlock();
    }
  }

  boolean isOwnKey(Key key) {
    return key.equals(publicKey);
  }

  /**
   * Makes a new peer's handshake before the peer is published, so that its hashes stay off the
   * engine's configuration lock (65,536 new peers are a third of a second of them). No lock: nobody
   * sees the peer yet, and the caller holds the engine's apply lock, which orders every change of
   * identity, so the identity used here is still ours when the peer is published.
   */
  void prepare(PeerState p) {
    replaceHandshake(p);
  }

  /** The preshared key changed: the handshake object takes the new one. */
  void updatePeerKeys(PeerState p) {
    lock.lock();
    try {
      Handshake h = p.handshake.noise;
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
    } finally {
      lock.unlock();
    }
  }

  /** The peer is gone: its handshake is wiped and its indices answer no more. */
  void removePeer(PeerState p) {
    lock.lock();
    try {
      Handshake h = p.handshake.noise;
      p.handshake.noise = null;
      if (h != null) {
        h.destroy();
      }
      forgetIndices(p);
    } finally {
      lock.unlock();
    }
  }

  private void replaceHandshake(PeerState p) {
    Handshake old = p.handshake.noise;
    p.handshake.noise = null;
    if (old != null) {
      old.destroy();
    }
    StaticIdentity id = identity;
    if (id == null) {
      return;
    }
    byte[] psk = p.config.presharedKey().map(PresharedKey::getBytes).orElse(null);
    try {
      p.handshake.noise = Handshake.create(id, p.publicKey.getBytes(), psk, time, random);
    } finally {
      if (psk != null) {
        Arrays.fill(psk, (byte) 0);
      }
    }
  }

  /** Wipes the peer's handshake in progress (its sessions are wiped by the caller). */
  void clearHandshake(PeerState p) {
    lock.lock();
    try {
      Handshake h = p.handshake.noise;
      if (h != null) {
        h.clearHandshake();
      }
      forgetIndices(p);
    } finally {
      lock.unlock();
    }
  }

  private void forgetIndices(PeerState p) {
    for (IndexEntry e : p.handshake.indices) {
      removeIndex(e);
    }
    p.handshake.indices.clear();
    p.handshake.pending = null;
  }

  /** For tests: whether the peer holds a cookie (from a cookie reply) for its next MAC2. */
  boolean hasCookie(PeerState p) {
    lock.lock();
    try {
      Handshake h = p.handshake.noise;
      return h != null && h.hasCookie();
    } finally {
      lock.unlock();
    }
  }

  /** After the thread ended: wipe every secret. */
  void destroy() {
    lock.lock();
    try {
      for (PeerState p : peers.peers()) {
        Handshake h = p.handshake.noise;
        p.handshake.noise = null;
        if (h != null) {
          h.destroy();
        }
      }
      indices.clear();
      CookieChecker checker = cookieChecker;
      if (checker != null) {
        checker.destroy();
      }
      StaticIdentity id = identity;
      if (id != null) {
        id.destroy();
      }
      identity = null;
      Arrays.fill(ctx.datagram, (byte) 0);
    } finally {
      lock.unlock();
    }
  }

  /** Handshake thread (timers, requests): sends an initiation unless one went out recently. */
  void sendInitiation(PeerState peer, boolean isRetry) {
    lock.lock();
    try {
      Handshake h = peer.handshake.noise;
      if (h == null || peer.removed) {
        return;
      }
      long now = time.nanoTime();
      if (!isRetry) {
        peer.timers.resetHandshakeAttempts();
      }
      if (now - peer.lastSentHandshakeNanos
          < Protocol.REKEY_TIMEOUT_NANOS /* once per REKEY_TIMEOUT, send.c */) {
        return;
      }
      DatagramAddress to = peer.sendTo; // with the sticky source, when the peer wrote to us
      if (to == null) {
        InetSocketAddress resolved = resolve(peer);
        if (resolved == null) {
          return;
        }
        to = DatagramAddress.of(resolved);
      }
      if (!isRetry && !peer.timers.handshakeInFlight()) {
        peer.handshake.attemptStartNanos = now;
      }
      IndexEntry entry = new IndexEntry(peer);
      int index = indices.add(entry);
      entry.index = index;
      int n = h.createInitiation(index, ctx.datagram, 0);
      if (n < 0) {
        indices.remove(index, entry);
        return;
      }
      IndexEntry old = peer.handshake.pending;
      if (old != null) { // a new initiation replaces the pending one: its index no longer answers
        removeIndex(old);
        peer.handshake.indices.remove(old);
      }
      peer.handshake.pending = entry;
      peer.handshake.indices.add(entry);
      // timer hooks before the datagram leaves (see SendLoop): the answer may come back first
      peer.timers.onAnyAuthenticatedPacketTraversal();
      peer.timers.onAnyAuthenticatedPacketSent();
      peer.lastSentHandshakeNanos = now;
      send(peer, n, to);
      peer.timers.onHandshakeInitiated();
    } finally {
      lock.unlock();
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
      InetSocketAddress a = resolver.resolve(e.get());
      if (peer.endpoint == null) {
        peer.setEndpoint(a);
      }
      return a;
    } catch (UnknownHostException ex) {
      LOG.log(Level.DEBUG, "cannot resolve {0}", e.get());
      return null;
    }
  }

  /** The identity, or null while the interface has no private key. */
  @Nullable StaticIdentity identity() {
    return identity;
  }

  /** The cookie checker of the identity, or null while there is none. */
  @Nullable CookieChecker cookieChecker() {
    return cookieChecker;
  }

  /** As {@link #consumeInitiation(StaticIdentity, byte[], int, DatagramAddress)}, for tests. */
  void consumeInitiation(StaticIdentity id, byte[] msg, int len, InetSocketAddress from) {
    consumeInitiation(id, msg, len, DatagramAddress.of(from));
  }

  /**
   * Takes in an initiation that passed the checks; answers it with a response, from the local
   * address the initiation arrived on. {@code from} is the caller's; read, not kept.
   */
  void consumeInitiation(StaticIdentity id, byte[] msg, int len, DatagramAddress from) {
    PeerState[] found = new PeerState[1];
    Handshake.InitiationResult r;
    lock.lock();
    try {
      r =
          Handshake.consumeInitiation(
              id,
              msg,
              0,
              len,
              pk -> {
                PeerState p = peers.peer(Key.fromBytes(pk));
                found[0] = p;
                return p == null ? null : p.handshake.noise;
              });
    } finally {
      lock.unlock();
    }
    PeerState peer = found[0];
    if (r.reason() != Reason.OK || peer == null) {
      events.drop(
          r.reason() == Reason.INITIATION_FLOOD
              ? DropReason.RATE_LIMITED
              : DropReason.HANDSHAKE_INVALID,
          peer);
      return;
    }
    peer.roam(from); // the endpoint and the local address it wrote to
    peer.rxBytes.addAndGet(len);
    peer.timers.onAnyAuthenticatedPacketReceived();
    peer.timers.onAnyAuthenticatedPacketTraversal();
    lock.lock();
    try {
      Handshake h = peer.handshake.noise;
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
      peer.handshake.indices.add(entry);
      peer.keypairs.install(kp);
      pruneIndices(peer);
      peer.timers.onSessionDerived();
      peer.lastSentHandshakeNanos = time.nanoTime();
      send(peer, Protocol.RESPONSE_LENGTH, from);
    } finally {
      lock.unlock();
    }
  }

  /** As {@link #consumeResponse(byte[], int, DatagramAddress)}, for tests. */
  void consumeResponse(byte[] msg, int len, InetSocketAddress from) {
    consumeResponse(msg, len, DatagramAddress.of(from));
  }

  /**
   * Takes in a response that passed the checks; the session starts. {@code from} is the caller's;
   * read, not kept.
   */
  void consumeResponse(byte[] msg, int len, DatagramAddress from) {
    int index = Messages.receiverIndex(msg, 0);
    IndexEntry entry = indices.get(index);
    if (entry == null || entry.keypair != null) {
      events.drop(DropReason.HANDSHAKE_INVALID, null);
      return;
    }
    PeerState peer = entry.peer;
    lock.lock();
    try {
      Handshake h = peer.handshake.noise;
      if (h == null || peer.removed) {
        return;
      }
      Handshake.ResponseResult r = h.consumeResponse(msg, 0, len);
      Keypair kp = r.keypair();
      if (r.reason() != Reason.OK || kp == null) {
        events.drop(DropReason.HANDSHAKE_INVALID, peer);
        return;
      }
      entry.keypair = kp;
      peer.handshake.pending = null; // the initiation is answered
      peer.keypairs.install(kp);
      pruneIndices(peer);
    } finally {
      lock.unlock();
    }
    peer.roam(from); // the endpoint and the local address it wrote to
    peer.rxBytes.addAndGet(len);
    peer.timers.onAnyAuthenticatedPacketReceived();
    peer.timers.onAnyAuthenticatedPacketTraversal();
    peer.timers.onSessionDerived();
    peer.timers.onHandshakeComplete();
    peer.handshakeCompleted(time.nanoTime() - peer.handshake.attemptStartNanos);
    peer.sendKeepalive(ctx); // the staged packets, or a keepalive, confirm the session
  }

  /** Takes in a cookie reply: the next initiation to that peer carries MAC2. */
  void consumeCookieReply(byte[] msg, int len) {
    IndexEntry entry = indices.get(Messages.receiverIndex(msg, 0));
    if (entry == null) {
      events.drop(DropReason.HANDSHAKE_INVALID, null);
      return;
    }
    Reason r;
    lock.lock();
    try {
      Handshake h = entry.peer.handshake.noise;
      r = h == null ? Reason.UNEXPECTED_COOKIE_REPLY : h.consumeCookieReply(msg, 0, len);
    } finally {
      lock.unlock();
    }
    if (r != Reason.OK) {
      events.drop(DropReason.HANDSHAKE_INVALID, entry.peer);
    }
  }

  private void send(PeerState peer, int n, DatagramAddress to) {
    try {
      sender.send(ctx.datagram, 0, n, to);
      peer.txBytes.addAndGet(n);
    } catch (IOException e) {
      events.drop(DropReason.IO_ERROR, peer);
    }
  }

  /** Forgets indices whose keypairs are gone (replaced, destroyed) and stale initiations'. */
  private void pruneIndices(PeerState peer) {
    IndexEntry pending = peer.handshake.pending;
    Keypair cur = peer.keypairs.current();
    Keypair prev = peer.keypairs.previous();
    Keypair next = peer.keypairs.next();
    for (var it = peer.handshake.indices.iterator(); it.hasNext(); ) {
      IndexEntry e = it.next();
      Keypair k = e.keypair;
      if (k == null ? e != pending : k != cur && k != prev && k != next) {
        removeIndex(e);
        it.remove();
      }
    }
  }

  private void removeIndex(IndexEntry e) {
    indices.remove(e.index, e);
  }
}
