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
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The protocol side of the handshake thread: the static identity and cookie checker, each peer's
 * {@link Handshake}, and the session indices ({@link IndexTable}) that route responses, cookie
 * replies and transport data. Sends initiations, consumes initiations, responses and cookie
 * replies, and resolves host-name endpoints. {@link HandshakeWorker} calls it after the cheap
 * checks (MAC1, cookies under load, rate limit); the configuration calls it to add, change and
 * remove peers. Guarded by this object's lock; the data path reads only {@link #indices}.
 */
final class Handshakes {
  private static final System.Logger LOG = System.getLogger(Handshakes.class.getName());

  private final Engine engine;
  final IndexTable<IndexEntry> indices = new IndexTable<>();
  private final TimeSource time;
  private final SendContext ctx;

  /** Each peer's handshake and indices; touched under this object's lock (config + thread). */
  private final Map<PeerState, Handshake> handshakes = new IdentityHashMap<>();

  private final Map<PeerState, List<IndexEntry>> entries = new IdentityHashMap<>();
  private final Map<PeerState, Integer> handshakeIndex = new IdentityHashMap<>();
  private volatile @Nullable StaticIdentity identity;
  private volatile @Nullable Key publicKey;
  private volatile @Nullable CookieChecker cookieChecker;

  Handshakes(Engine engine, Optional<PrivateKey> privateKey) {
    this.engine = engine;
    this.ctx = new SendContext(PacketSize.datagramLength(engine.mtu));
    this.time = engine.clock;
    setPrivateKey(privateKey);
  }

  /** The handshake thread's send scratch space (its keepalives and cookie replies use it). */
  SendContext context() {
    return ctx;
  }

  synchronized void setPrivateKey(Optional<PrivateKey> privateKey) {
    StaticIdentity old = identity;
    CookieChecker oldChecker = cookieChecker;
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
    for (PeerState p :
        new ArrayList<>(entries.keySet())) { // every peer, also those keyless until now
      replaceHandshake(p);
    }
    if (old != null) {
      old.destroy();
    }
    if (oldChecker != null) {
      oldChecker.destroy();
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

  /** After the thread ended: wipe every secret. */
  synchronized void destroy() {
    for (Handshake h : handshakes.values()) {
      h.destroy();
    }
    handshakes.clear();
    indices.clear();
    if (cookieChecker != null) {
      cookieChecker.destroy();
    }
    StaticIdentity id = identity;
    if (id != null) {
      id.destroy();
    }
    identity = null;
    Arrays.fill(ctx.datagram, (byte) 0);
  }

  /** Handshake thread (timers, requests): sends an initiation unless one went out recently. */
  void sendInitiation(PeerState peer, boolean isRetry) {
    synchronized (this) {
      Handshake h = handshakes.get(peer);
      if (h == null || peer.removed) {
        return;
      }
      long now = engine.clock.nanoTime();
      if (!isRetry) {
        peer.timers.resetHandshakeAttempts();
      }
      if (now - peer.lastSentHandshakeNanos
          < Protocol.REKEY_TIMEOUT_NANOS /* once per REKEY_TIMEOUT, send.c */) {
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
      entriesOf(peer).add(entry);
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
      InetSocketAddress a = engine.resolver.resolve(e.get());
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

  /** Takes in an initiation that passed the checks; answers it with a response. */
  void consumeInitiation(StaticIdentity id, byte[] msg, int len, InetSocketAddress from) {
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
          r.reason() == Reason.INITIATION_FLOOD
              ? DropReason.RATE_LIMITED
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
      entriesOf(peer).add(entry);
      peer.keypairs.install(kp);
      pruneIndices(peer);
      peer.timers.onSessionDerived();
      peer.lastSentHandshakeNanos = engine.clock.nanoTime();
      send(peer, Protocol.RESPONSE_LENGTH, from);
    }
  }

  /** Takes in a response that passed the checks; the session starts. */
  void consumeResponse(byte[] msg, int len, InetSocketAddress from) {
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
    peer.handshakeCompleted(engine.clock.nanoTime() - peer.attemptStartNanos);
    peer.sendKeepalive(ctx); // the staged packets, or a keepalive, confirm the session
  }

  /** Takes in a cookie reply: the next initiation to that peer carries MAC2. */
  void consumeCookieReply(byte[] msg, int len) {
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
      entriesOf(peer).remove(e);
    }
  }

  /** The index entries of a peer that {@link #addPeer} registered (every peer handled here). */
  private List<IndexEntry> entriesOf(PeerState peer) {
    return Objects.requireNonNull(entries.get(peer), "peer not registered");
  }

  /** Forgets indices whose keypairs are gone (replaced, destroyed). */
  private void pruneIndices(PeerState peer) {
    List<IndexEntry> l = entriesOf(peer);
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
