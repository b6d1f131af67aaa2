package io.wireguardjava.core;

import io.wireguardjava.Config;
import io.wireguardjava.Endpoint;
import io.wireguardjava.InetNetwork;
import io.wireguardjava.Interface;
import io.wireguardjava.Key;
import io.wireguardjava.Peer;
import io.wireguardjava.PeerStats;
import io.wireguardjava.PrivateKey;
import io.wireguardjava.Tunnel;
import io.wireguardjava.TunnelListener;
import io.wireguardjava.TunnelOptions;
import io.wireguardjava.TunnelPackets;
import io.wireguardjava.TunnelStats;
import io.wireguardjava.crypto.RandomSource;
import io.wireguardjava.crypto.TimeSource;
import io.wireguardjava.spi.PacketDevice;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * A running tunnel: the {@link Tunnel} implementation. It owns the UDP transport, the packet
 * device, the peers and their routing table, and these threads:
 *
 * <ol>
 *   <li>{@link SendLoop}: device read, route, seal, UDP send;
 *   <li>{@link ReceiveLoop}: UDP receive, dispatch, open, check source, device write;
 *   <li>{@link HandshakeGate} (one thread per CPU, at most four): the cheap checks of handshake
 *       messages (MAC1, MAC2 under load, cookie replies, rate limiting);
 *   <li>{@link HandshakeWorker}: handshake messages (protocol work in {@link Handshakes}) and every
 *       peer's timers.
 * </ol>
 *
 * Reconfiguration is computed under {@link #applyLock} and published in a moment under {@link
 * #configLock}; the threads, {@link #config()} and {@link #stats()} read what was published without
 * locks ({@link #peers}, the peer list, the {@link AllowedIps} tries). A change of peers is one
 * {@link AllowedIps.Edit}: only the prefixes that differ touch the trie, and the data path sees the
 * routes before or after the whole change.
 */
final class Engine implements Tunnel, Lifecycle {
  final TimeSource clock;

  /** How host-name endpoints are resolved; tests replace it to resolve without DNS. */
  volatile Resolver resolver = Resolver.SYSTEM;

  /** Timer jitter; shared by every thread, so a thread-safe generator. */
  final RandomGenerator random = new java.util.Random();

  final Scheduler scheduler;
  final Events events = new Events();
  final BufferPool pool;
  final UdpTransport transport;
  final PacketDevice device;
  final AllowedIps<PeerState> allowedIps = new AllowedIps<>();

  /** The interface's own addresses: packets to them are delivered, never forwarded. */
  final AllowedIps<Boolean> localAddresses = new AllowedIps<>();

  final Handshakes handshakes;
  final HandshakeWorker handshakeThread;

  /** What the send and receive threads share. */
  final DataPath path;

  /** What each peer shares with the others (clock, counters, socket, handshake side). */
  private final PeerServices peerServices;

  final boolean forwarding;

  /** The tunnel's MTU: every packet-size check and buffer follows it ({@link PacketSize}). */
  volatile int mtu;

  /**
   * Serializes changes of the configuration; held while a change is computed, which for a big
   * change takes seconds. Readers and {@link #close()} never take it.
   */
  private final ReentrantLock applyLock = new ReentrantLock();

  /**
   * Held only to publish a computed change (a moment: no allocation of peers, no DNS), and by
   * {@link #close()}: a change that finds the tunnel closed when it comes to publish is dropped.
   */
  private final ReentrantLock configLock = new ReentrantLock();

  private final @Nullable TunnelPackets appSide;
  private final SendLoop sendLoop;
  private final ReceiveLoop receiveLoop;
  private final List<Thread> threads = new ArrayList<>();

  /** Peers by public key; the map itself is concurrent, its insertion order kept by order. */
  private final ConcurrentHashMap<Key, PeerState> peers = new ConcurrentHashMap<>();

  /** The keys of {@link #peers} in configuration order; changed only under both locks. */
  private final Set<Key> order = new LinkedHashSet<>();

  /** The peers in configuration order, republished by each change: read without a lock. */
  private volatile List<PeerState> published = List.of();

  private volatile Interface iface;
  private volatile boolean closed;

  /** Set by the first close(): the one that runs PreDown, then closes. */
  private final java.util.concurrent.atomic.AtomicBoolean closing =
      new java.util.concurrent.atomic.AtomicBoolean();

  /**
   * Counted down when the first close() has finished: a second close() from another thread (the JVM
   * runs shutdown hooks at once, and one of them may close the device under a running close) waits
   * for it, so that when close() returns the socket file is gone and PostDown has run.
   */
  private final java.util.concurrent.CountDownLatch closeDone =
      new java.util.concurrent.CountDownLatch(1);

  private volatile @Nullable Thread closer;

  /** Resources that live as long as the tunnel (its UAPI server): closed by close(), last first. */
  private final List<AutoCloseable> attached = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** PreDown/PostDown, when the application asked for hooks (TunnelOptions.runHooks). */
  private volatile @Nullable Hooks downHooks;

  Engine(
      Config config,
      TunnelOptions options,
      PacketDevice device,
      @Nullable TunnelPackets appSide,
      TimeSource clock,
      UdpTransport transport)
      throws IOException {
    this.clock = clock;
    this.scheduler = new Scheduler(clock);
    this.device = device;
    this.appSide = appSide;
    this.mtu = PacketSize.checkMtu(device.mtu());
    this.forwarding = options.forwarding();
    options.listeners().forEach(events::add); // before any thread starts: they miss no event
    this.iface = config.iface();
    this.pool = new BufferPool(PacketSize.stagingLength(mtu), 16 * Limits.MAX_STAGED_PACKETS);
    this.transport = transport; // ours from here on: closed with the tunnel
    try {
      this.handshakes =
          new Handshakes(
              config.iface().privateKey(),
              clock,
              RandomSource.secure(),
              transport,
              events,
              directory,
              endpoint -> resolver.resolve(endpoint), // the field, read at each resolution
              PacketSize.datagramLength(mtu));
      this.handshakeThread = new HandshakeWorker(handshakes, scheduler, events, transport, clock);
      this.peerServices =
          new PeerServices(
              clock,
              scheduler,
              random,
              events,
              pool,
              transport,
              this::mtu,
              handshakeThread,
              handshakes);
      for (InetNetwork n : config.iface().addresses()) {
        localAddresses.insert(n.address().getAddress(), n.address().getAddress().length * 8, true);
      }
      for (Peer p : config.peers()) {
        checkNotOwnKey(p);
      }
      change(config.peers(), List.of(), false);
      this.path =
          new DataPath(
              device, transport, allowedIps, localAddresses, forwarding, events, this::mtu, this);
      this.sendLoop = new SendLoop(path, new IcmpUnreachable(interfaceAddresses(), clock));
      this.receiveLoop =
          new ReceiveLoop(
              path,
              handshakes.indices,
              handshakeThread.gate(),
              new IcmpUnreachable(interfaceAddresses(), clock));
    } catch (RuntimeException e) {
      transport.close();
      throw e;
    }
  }

  void start() {
    device.onMtuChange(this::deviceMtuChanged);
    String n = device.name();
    threads.add(thread(sendLoop, "wg-java-" + n + "-send"));
    threads.add(thread(receiveLoop, "wg-java-" + n + "-receive"));
    threads.add(thread(handshakeThread, "wg-java-" + n + "-handshake"));
    for (int i = 1; i <= Limits.HANDSHAKE_GATE_THREADS; i++) {
      threads.add(
          thread(handshakeThread.gate().newThread(), "wg-java-" + n + "-handshake-gate-" + i));
    }
    threads.forEach(Thread::start);
  }

  private static Thread thread(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** The peers as the handshake code sees them. */
  private final PeerDirectory directory = PeerDirectory.of(peers);

  @Nullable PeerState peer(Key key) {
    return peers.get(key);
  }

  /** A snapshot of all peers, in configuration order. */
  List<PeerState> peerList() {
    return published;
  }

  @Override
  public boolean closed() {
    return closed;
  }

  /** The interface's own addresses (its Address lines). */
  private List<java.net.InetAddress> interfaceAddresses() {
    List<java.net.InetAddress> l = new ArrayList<>();
    for (InetNetwork n : iface.addresses()) {
      l.add(n.address());
    }
    return l;
  }

  // ---- Tunnel ----

  @Override
  public String name() {
    return device.name();
  }

  @Override
  public int listenPort() {
    return transport.port();
  }

  /** The send thread's batches of more than one packet (tests). */
  long sendBatchesOfMany() {
    return sendLoop.multiPacketBatches();
  }

  @Override
  public int mtu() {
    return mtu;
  }

  @Override
  public void setMtu(int newMtu) throws IOException {
    PacketSize.checkMtu(newMtu);
    applyLock.lock();
    try {
      checkOpen();
      device.setMtu(newMtu);
      applyMtu(newMtu);
    } finally {
      applyLock.unlock();
    }
  }

  /**
   * Takes a new MTU, set through {@link #setMtu} or reported by the device: the size checks use it
   * at once, the staging pool makes buffers of the new size, and each sending thread grows its
   * datagram buffer when it next needs to ({@link SendContext#ensureCapacity}).
   */
  private void applyMtu(int newMtu) {
    pool.resize(PacketSize.stagingLength(newMtu));
    mtu = newMtu;
    configLock.lock();
    try {
      iface = iface.toBuilder().mtu(newMtu).build(); // config() reports it, as wg-quick saves it
    } finally {
      configLock.unlock();
    }
  }

  /** The device says its MTU changed ({@code ip link set mtu}); called on the device's thread. */
  private void deviceMtuChanged(int newMtu) {
    if (newMtu <= 0 || newMtu > PacketSize.MAX_MTU) {
      return; // no packet could be carried at that size anyway; keep the last usable one
    }
    applyMtu(newMtu); // the config lock is only ever held briefly, never across a device read
  }

  @Override
  public TunnelPackets packets() {
    if (appSide == null) {
      throw new IllegalStateException(
          "tunnel " + device.name() + " uses an OS or custom device; its packets go through it");
    }
    return appSide;
  }

  @Override
  public Config config() {
    // No lock, no lookup: the published peers with the routes each change left them. A change
    // being computed meanwhile is not seen until it is published whole.
    Interface.Builder ib = iface.toBuilder().listenPort(transport.port());
    Config.Builder cb = Config.builder();
    for (PeerState p : published) {
      Peer config = p.config;
      List<InetNetwork> routes = p.routes;
      InetSocketAddress endpoint = p.endpoint;
      boolean sameEndpoint =
          endpoint == null
              ? config.endpoint().isEmpty()
              : config.endpoint().isPresent()
                  && endpoint.equals(PeerState.literal(config.endpoint()));
      if (sameEndpoint && routes == config.allowedIps()) {
        cb.addPeer(config); // the common case: nothing roamed, nothing taken over, no copy
        continue;
      }
      Peer.Builder pb = config.toBuilder();
      if (endpoint != null) {
        pb.endpoint(Endpoint.of(endpoint));
      }
      cb.addPeer(pb.allowedIps(routes).build());
    }
    return cb.iface(ib.build()).build();
  }

  /**
   * The prefixes of {@code configured} that route to {@code p} in {@code routes}, host bits
   * cleared, duplicates dropped, in their order; {@code configured} itself when that is all of
   * them. O(prefixes of p), not of the table.
   */
  private static List<InetNetwork> routesOf(
      PeerState p, List<InetNetwork> configured, AllowedIps<PeerState>.Edit routes) {
    List<InetNetwork> l = new ArrayList<>(configured.size());
    // Duplicates are rare: a set only for long lists, a scan of the few kept for short ones.
    Set<InetNetwork> seen =
        configured.size() > 8 ? new HashSet<>(configured.size() * 4 / 3 + 1) : null;
    boolean same = true;
    for (InetNetwork n : configured) {
      byte[] address = n.addressBytes();
      if (routes.exact(address, n.prefixLength()) != p) {
        same = false;
        continue;
      }
      InetNetwork masked = n;
      if (!AllowedIps.isMasked(address, n.prefixLength())) {
        same = false;
        masked = n.masked();
      }
      if (seen != null ? seen.add(masked) : !l.contains(masked)) {
        l.add(masked);
      } else {
        same = false;
      }
    }
    return same ? configured : l;
  }

  @Override
  public void addPeer(Peer peer) {
    applyLock.lock();
    try {
      checkOpen();
      if (peers.containsKey(peer.publicKey())) {
        throw new IllegalArgumentException("peer " + peer.publicKey() + " exists");
      }
      checkNotOwnKey(peer);
      change(List.of(peer), List.of(), false);
    } finally {
      applyLock.unlock();
    }
  }

  @Override
  public void updatePeer(Peer peer) {
    applyLock.lock();
    try {
      checkOpen();
      checkNotOwnKey(peer);
      change(List.of(peer), List.of(), false);
    } finally {
      applyLock.unlock();
    }
  }

  @Override
  public boolean removePeer(Key publicKey) {
    applyLock.lock();
    try {
      checkOpen();
      if (!peers.containsKey(publicKey)) {
        return false;
      }
      change(List.of(), List.of(publicKey), false);
      return true;
    } finally {
      applyLock.unlock();
    }
  }

  /**
   * One edit of the routing table for the whole list, published once: peers that stay keep their
   * sessions, and only prefixes that change touch the trie. Checked first (no peer with our own
   * key), so it applies whole or not at all.
   */
  @Override
  public void replacePeers(List<Peer> newPeers) {
    applyLock.lock();
    try {
      checkOpen();
      for (Peer p : newPeers) {
        checkNotOwnKey(p);
      }
      change(newPeers, List.of(), true);
    } finally {
      applyLock.unlock();
    }
  }

  private void checkNotOwnKey(Peer peer) {
    if (handshakes.isOwnKey(peer.publicKey())) {
      throw new IllegalArgumentException("a peer cannot have the interface's own public key");
    }
  }

  private static final System.Logger LOG = System.getLogger(Engine.class.getName());

  /** How long {@link #close()} waits for the tunnel's threads, all together. */
  private static final long CLOSE_JOIN_NANOS = 5_000_000_000L;

  /** How many peers a change computes between two looks at whether the tunnel closed. */
  private static final int CLOSE_CHECK_INTERVAL = 1024;

  /**
   * Adds or updates {@code upserts} (in order: a later entry for the same key wins) and removes
   * {@code removals}, or with {@code replaceAll} every peer not in {@code upserts}, as one change:
   *
   * <ol>
   *   <li>computed under {@link #applyLock} only: new peers are made, their routes and the changed
   *       routes go into one uncommitted {@link AllowedIps.Edit}; nothing shared changes, and a
   *       {@link #close()} meanwhile abandons it;
   *   <li>published under {@link #configLock}, in a moment: peers registered, routes committed,
   *       settings swapped in, the peer list republished;
   *   <li>then, with no lock, what waits for the routes (keepalives, events, DNS for host names).
   * </ol>
   *
   * Called with {@link #applyLock} held and every new key checked against our own.
   *
   * @throws IllegalStateException naming the tunnel when it was closed meanwhile; nothing changed
   */
  private void change(List<Peer> upserts, List<Key> removals, boolean replaceAll) {
    // Each touched peer with its new settings, in the order first named.
    Map<PeerState, Peer> updated = new LinkedHashMap<>();
    Map<Key, PeerState> made = new LinkedHashMap<>(); // configuration order
    List<PeerState> gone = new ArrayList<>();
    // Touched peers whose configured list is their routes as it is (new, masked, no duplicate;
    // or unchanged, its routes having been its whole list),
    // and peers another one took a prefix from: only these are looked up for their routes.
    Set<PeerState> clean = new HashSet<>();
    Set<PeerState> robbed = new HashSet<>();
    boolean done = false;
    try (AllowedIps<PeerState>.Edit routes = allowedIps.edit()) {
      Set<Key> dropped = new HashSet<>(removals);
      if (replaceAll) {
        Set<Key> keep = new HashSet<>();
        for (Peer p : upserts) {
          keep.add(p.publicKey());
        }
        for (Key k : order) {
          if (!keep.contains(k)) {
            dropped.add(k);
          }
        }
      }
      for (Key k : dropped) {
        PeerState p = peers.get(k);
        if (p != null) {
          updateRoutes(p, p.config.allowedIps(), List.of(), routes, robbed);
          gone.add(p);
        }
      }
      int n = 0;
      for (Peer peer : upserts) {
        if (++n % CLOSE_CHECK_INTERVAL == 0) {
          checkOpen(); // a close() meanwhile: drop what was computed
        }
        PeerState p = peers.get(peer.publicKey());
        if (p == null) {
          p = made.get(peer.publicKey());
        }
        if (p == null) {
          p = new PeerState(peer, peerServices);
          made.put(peer.publicKey(), p);
          handshakes.prepare(p); // here, not while publishing: it costs hashes
          if (updateRoutes(p, List.of(), peer.allowedIps(), routes, robbed)) {
            clean.add(p);
          }
        } else {
          Peer before = updated.get(p);
          List<InetNetwork> was = (before != null ? before : p.config).allowedIps();
          updateRoutes(p, was, peer.allowedIps(), routes, robbed);
          // Its routes were its whole list, and the list stays: they stay, with no lookup (a
          // set of one peer passes all 65,536 to replacePeers).
          if (before == null && p.routes == was && was.equals(peer.allowedIps())) {
            clean.add(p);
          } else {
            clean.remove(p);
          }
        }
        updated.put(p, peer);
      }
      Map<PeerState, List<InetNetwork>> newRoutes = new HashMap<>();
      for (Map.Entry<PeerState, Peer> e : updated.entrySet()) {
        PeerState p = e.getKey();
        List<InetNetwork> configured = e.getValue().allowedIps();
        boolean asIs = clean.contains(p) && !robbed.contains(p);
        newRoutes.put(p, asIs ? configured : routesOf(p, configured, routes));
      }
      Set<PeerState> goneSet =
          java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
      goneSet.addAll(gone);
      for (PeerState p : robbed) {
        if (!newRoutes.containsKey(p) && !goneSet.contains(p)) {
          newRoutes.put(p, routesOf(p, p.config.allowedIps(), routes));
        }
      }
      done = publish(routes, updated, made, gone, newRoutes);
    } finally {
      if (!done) {
        for (PeerState p : made.values()) {
          handshakes.removePeer(p); // wipes the handshake prepared for it
          p.destroy(); // its timers leave the scheduler
        }
      }
    }
    // After the routes are live: a first keepalive may fire at once, and needs the peer fully
    // registered.
    for (Map.Entry<PeerState, Peer> e : updated.entrySet()) {
      PeerState p = e.getKey();
      Peer peer = e.getValue();
      boolean isNew = made.get(p.publicKey) == p;
      if (isNew && p.endpoint != null) {
        events.endpointChanged(p.publicKey, p.endpoint);
      }
      if (!isNew && peer.endpoint().isPresent() && PeerState.literal(peer.endpoint()) == null) {
        handshakes.reresolve(p); // a host name: DNS, never under a lock
      }
      p.timers.setPersistentKeepalive(peer.persistentKeepalive().orElse(0));
    }
  }

  /**
   * Step 2 of {@link #change}: under {@link #configLock}, registers the new peers, commits the
   * routes, swaps in the settings and republishes the list. False, with nothing done, when the
   * tunnel closed meanwhile.
   */
  private boolean publish(
      AllowedIps<PeerState>.Edit routes,
      Map<PeerState, Peer> updated,
      Map<Key, PeerState> made,
      List<PeerState> gone,
      Map<PeerState, List<InetNetwork>> newRoutes) {
    configLock.lock();
    try {
      checkOpen();
      for (PeerState p : made.values()) { // each with its handshake, made before
        peers.put(p.publicKey, p);
        order.add(p.publicKey);
      }
      for (Map.Entry<PeerState, Peer> e : updated.entrySet()) {
        PeerState p = e.getKey();
        Peer peer = e.getValue();
        if (made.get(p.publicKey) == p && p.config == peer) {
          continue; // made with these settings
        }
        boolean pskChanged = !p.config.presharedKey().equals(peer.presharedKey());
        p.config = peer;
        InetSocketAddress literal = PeerState.literal(peer.endpoint());
        if (literal != null) {
          p.setEndpoint(literal);
        }
        if (pskChanged) {
          handshakes.updatePeerKeys(p);
        }
      }
      routes.commit();
      for (Map.Entry<PeerState, List<InetNetwork>> e : newRoutes.entrySet()) {
        e.getKey().routes = e.getValue();
      }
      for (PeerState p : gone) {
        forgetPeer(p);
      }
      List<PeerState> list = new ArrayList<>(order.size());
      for (Key k : order) {
        list.add(peerOf(k));
      }
      this.published = java.util.Collections.unmodifiableList(list);
      return true;
    } finally {
      configLock.unlock();
    }
  }

  /**
   * Moves {@code p}'s routes from {@code before} to {@code now}: removes what it no longer lists
   * (unless another peer took it meanwhile), inserts the rest, which is a walk without a copy for a
   * prefix that already routes to {@code p}. Peers that lose a prefix to {@code p} go into {@code
   * robbed}.
   *
   * @return whether {@code now} is exactly {@code p}'s routes: {@code before} empty, every prefix
   *     masked, none listed twice
   */
  private static boolean updateRoutes(
      PeerState p,
      List<InetNetwork> before,
      List<InetNetwork> now,
      AllowedIps<PeerState>.Edit routes,
      Set<PeerState> robbed) {
    if (!before.isEmpty() && !before.equals(now)) {
      Set<InetNetwork> kept = new HashSet<>(now);
      for (InetNetwork n : before) {
        if (!kept.contains(n)) {
          routes.remove(n.addressBytes(), n.prefixLength(), p);
        }
      }
    }
    boolean clean = before.isEmpty();
    for (InetNetwork n : now) {
      byte[] address = n.addressBytes();
      PeerState previous = routes.insert(address, n.prefixLength(), p);
      if (previous == p) {
        clean = false; // listed twice, or routed to p before
      } else if (previous != null) {
        robbed.add(previous);
      }
      if (clean && !AllowedIps.isMasked(address, n.prefixLength())) {
        clean = false;
      }
    }
    return clean;
  }

  /** A peer named in {@code order}, which lists exactly the keys of {@code peers}. */
  private PeerState peerOf(Key k) {
    return Objects.requireNonNull(peers.get(k), "order and peers disagree");
  }

  /** After its routes are gone: drops the peer from the tables and wipes its secrets. */
  private void forgetPeer(PeerState p) {
    peers.remove(p.publicKey);
    order.remove(p.publicKey);
    handshakes.removePeer(p);
    p.destroy();
  }

  @Override
  public void setPrivateKey(PrivateKey privateKey) {
    applyLock.lock();
    try {
      checkOpen();
      Key pub = privateKey.publicKey();
      if (peers.containsKey(pub)) {
        change(List.of(), List.of(pub), false);
      }
      configLock.lock();
      try {
        checkOpen();
        iface = iface.toBuilder().privateKey(privateKey).build();
        handshakes.setPrivateKey(Optional.of(privateKey));
      } finally {
        configLock.unlock();
      }
      for (PeerState p : published) {
        p.expireSessions(); // sessions made with the old key are void
      }
    } finally {
      applyLock.unlock();
    }
  }

  @Override
  public void clearPrivateKey() {
    applyLock.lock();
    try {
      checkOpen();
      configLock.lock();
      try {
        checkOpen();
        iface = iface.toBuilder().clearPrivateKey().build();
        handshakes.setPrivateKey(Optional.empty()); // no identity: initiations and answers stop
      } finally {
        configLock.unlock();
      }
      for (PeerState p : published) {
        p.expireSessions(); // zeroes the sessions and any handshake in progress
      }
    } finally {
      applyLock.unlock();
    }
  }

  @Override
  public void setListenPort(int port) throws IOException {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    applyLock.lock();
    try {
      checkOpen();
      transport.rebind(port);
      configLock.lock();
      try {
        iface = iface.toBuilder().listenPort(transport.port()).build();
      } finally {
        configLock.unlock();
      }
    } finally {
      applyLock.unlock();
    }
  }

  /**
   * Applies the mark to the socket ({@code SO_MARK}) and records it; a transport that cannot mark
   * takes only 0 (see {@link FwMarks}).
   */
  @Override
  public void setFwMark(int fwMark) {
    applyLock.lock();
    try {
      checkOpen();
      if (!transport.supportsMark()) {
        if (fwMark != 0) {
          throw new UnsupportedOperationException(FwMarks.refusal(fwMark, transport.description()));
        }
        return;
      }
      try {
        transport.setMark(fwMark);
      } catch (IOException e) {
        throw new UnsupportedOperationException(
            "FwMark = "
                + Integer.toUnsignedString(fwMark)
                + " cannot be applied: "
                + e.getMessage(),
            e);
      }
      configLock.lock();
      try {
        iface = iface.toBuilder().fwMark(fwMark).build();
      } finally {
        configLock.unlock();
      }
    } finally {
      applyLock.unlock();
    }
  }

  @Override
  public TunnelStats stats() {
    List<PeerStats> l = new ArrayList<>();
    for (PeerState p : peerList()) {
      l.add(p.stats());
    }
    return new TunnelStats(transport.port(), l, events.dropCounts());
  }

  @Override
  public Optional<PeerStats> peerStats(Key publicKey) {
    PeerState p = peers.get(publicKey);
    return p == null ? Optional.empty() : Optional.of(p.stats());
  }

  @Override
  public void addListener(TunnelListener listener) {
    configLock.lock();
    try {
      checkOpen();
      events.add(listener);
    } finally {
      configLock.unlock();
    }
  }

  @Override
  public void removeListener(TunnelListener listener) {
    events.remove(listener);
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("tunnel " + device.name() + " is closed");
    }
  }

  @Override
  public void close() {
    close(null);
  }

  /**
   * Closes the tunnel because a thread found its device or socket failed (the OS interface was
   * deleted, say); the listeners learn the cause.
   */
  @Override
  public void fail(Throwable cause) {
    close(cause);
  }

  /**
   * Ties {@code resource} to this tunnel: {@link #close()} closes it (after PreDown, before
   * PostDown), also when the tunnel closes itself because its device failed. Attached to a tunnel
   * that is already closed, it is closed at once.
   */
  void attach(AutoCloseable resource) {
    attached.add(resource);
    if (closing.get() && attached.remove(resource)) {
      closeQuietly(resource); // close() may have run its list already
    }
  }

  private static void closeQuietly(AutoCloseable resource) {
    try {
      resource.close();
    } catch (Exception e) {
      System.getLogger(Engine.class.getName())
          .log(System.Logger.Level.DEBUG, "closing " + resource.getClass().getSimpleName(), e);
    }
  }

  /** Runs {@code hooks}' PreDown first and PostDown last when the tunnel closes. */
  void setDownHooks(Hooks hooks) {
    downHooks = hooks;
  }

  private void close(@Nullable Throwable cause) {
    if (!closing.compareAndSet(false, true)) {
      awaitClose();
      return;
    }
    closer = Thread.currentThread();
    try {
      closeOnce(cause);
    } finally {
      closeDone.countDown();
    }
  }

  /**
   * Waits for the close in progress, except on the tunnel's own threads and in a listener or hook
   * that the closing thread calls (they would wait for themselves).
   */
  private void awaitClose() {
    Thread me = Thread.currentThread();
    if (me == closer || threads.contains(me) || closeDone.getCount() == 0) {
      return;
    }
    boolean interrupted = false;
    while (true) {
      try {
        // bounded: a listener or hook of the closing thread may call close() from a thread of its
        // own
        if (closeDone.await(CLOSE_JOIN_NANOS * 2, TimeUnit.NANOSECONDS)) {
          break;
        }
        LOG.log(System.Logger.Level.DEBUG, "close: the close in progress still runs");
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      me.interrupt();
    }
  }

  private void closeOnce(@Nullable Throwable cause) {
    Hooks hooks = downHooks;
    if (hooks != null) {
      hooks.preDown(device.name()); // while the tunnel still runs, as wg-quick down does
    }
    configLock.lock(); // never held for more than a moment: a change being computed is dropped
    try {
      closed = true;
    } finally {
      configLock.unlock();
    }
    transport.close(); // wakes the receive thread
    device.close(); // wakes the send thread
    handshakeThread.stop(); // wakes the handshake thread
    handshakeThread.gate().stop(); // and the gate threads
    boolean interrupted = false;
    // One deadline for all threads, so a close is bounded by it however many threads lag.
    long deadline = System.nanoTime() + CLOSE_JOIN_NANOS;
    for (Thread t : threads) {
      if (t == Thread.currentThread()) {
        continue;
      }
      while (true) {
        try {
          long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
          t.join(left);
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (t.isAlive()) {
        LOG.log(System.Logger.Level.DEBUG, "closing: " + t.getName() + " still runs; interrupted");
        t.interrupt();
      }
    }
    configLock.lock();
    try {
      for (PeerState p : peers.values()) {
        p.destroy();
      }
      handshakes.destroy(); // wipes the engine's copy of the private key (StaticIdentity)
      handshakeThread.destroy();
      handshakeThread.gate().destroy();
      iface = iface.toBuilder().clearPrivateKey().build(); // and drops the app's PrivateKey
    } finally {
      configLock.unlock();
    }
    List<AutoCloseable> resources = new ArrayList<>(attached);
    java.util.Collections.reverse(resources);
    for (AutoCloseable r : resources) {
      if (attached.remove(r)) {
        closeQuietly(r); // the UAPI socket file goes here
      }
    }
    events.closed(Optional.ofNullable(cause));
    if (hooks != null) {
      hooks.postDown(device.name()); // last, as wg-quick: device and socket are gone
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** For tests: whether the send thread has nothing to do (waiting for the device). */
  boolean sendIdle() {
    Thread t = threads.isEmpty() ? null : threads.get(0);
    if (t == null || !t.isAlive()) {
      return true;
    }
    if (device instanceof InProcessDevice d) { // exact: waits for the app, nothing queued
      return d.readerIdle();
    }
    return t.getState() == Thread.State.WAITING;
  }

  /** For tests: the threads of this tunnel. */
  List<Thread> threads() {
    return List.copyOf(threads);
  }
}
