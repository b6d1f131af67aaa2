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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
 * Reconfiguration takes {@link #configLock} and publishes immutable snapshots the threads read
 * without locks ({@link #peers}, the {@link AllowedIps} tries). A change of peers is one {@link
 * AllowedIps.Edit}: only the prefixes that differ touch the trie, and the data path sees the routes
 * before or after the whole change.
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

  private final Object configLock = new Object();
  private final @Nullable TunnelPackets appSide;
  private final SendLoop sendLoop;
  private final ReceiveLoop receiveLoop;
  private final List<Thread> threads = new ArrayList<>();

  /** Peers by public key; the map itself is concurrent, its insertion order kept by order. */
  private final ConcurrentHashMap<Key, PeerState> peers = new ConcurrentHashMap<>();

  private final Set<Key> order = new LinkedHashSet<>();
  private volatile Interface iface;
  private volatile boolean closed;

  /** Set by the first close(): the one that runs PreDown, then closes. */
  private final java.util.concurrent.atomic.AtomicBoolean closing =
      new java.util.concurrent.atomic.AtomicBoolean();

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
      List<Runnable> after = new ArrayList<>();
      try (AllowedIps<PeerState>.Edit routes = allowedIps.edit()) {
        for (Peer p : config.peers()) {
          addPeerLocked(p, routes, after);
        }
        routes.commit();
      }
      after.forEach(Runnable::run);
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
  private final PeerDirectory directory =
      new PeerDirectory() {
        @Override
        public @Nullable PeerState peer(Key publicKey) {
          return peers.get(publicKey);
        }

        @Override
        public Iterable<PeerState> peers() {
          return peers.values();
        }
      };

  @Nullable PeerState peer(Key key) {
    return peers.get(key);
  }

  /** A snapshot of all peers, in configuration order. */
  List<PeerState> peerList() {
    synchronized (configLock) {
      List<PeerState> l = new ArrayList<>(order.size());
      for (Key k : order) {
        l.add(peerOf(k));
      }
      return l;
    }
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
    synchronized (configLock) {
      checkOpen();
      device.setMtu(newMtu);
      applyMtu(newMtu);
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
    synchronized (configLock) {
      iface = iface.toBuilder().mtu(newMtu).build(); // config() reports it, as wg-quick saves it
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
    synchronized (configLock) {
      Interface.Builder ib = iface.toBuilder().listenPort(transport.port());
      Config.Builder cb = Config.builder();
      for (Key k : order) {
        PeerState p = peerOf(k);
        Peer.Builder pb = p.config.toBuilder();
        if (p.endpoint != null) {
          pb.endpoint(Endpoint.of(p.endpoint));
        }
        pb.allowedIps(allowedIpsOf(p));
        cb.addPeer(pb.build());
      }
      return cb.iface(ib.build()).build();
    }
  }

  /**
   * The prefixes that route to {@code p}, host bits cleared, in the order its configuration lists
   * them: those a later peer took over are left out. O(prefixes of p), not of the table.
   */
  private List<InetNetwork> allowedIpsOf(PeerState p) {
    List<InetNetwork> configured = p.config.allowedIps();
    List<InetNetwork> l = new ArrayList<>(configured.size());
    Set<InetNetwork> seen = configured.size() > 1 ? new HashSet<>() : null;
    for (InetNetwork n : configured) {
      byte[] address = n.address().getAddress();
      if (allowedIps.exact(address, n.prefixLength()) != p) {
        continue;
      }
      byte[] maskedAddress = AllowedIps.mask(address, n.prefixLength());
      InetNetwork masked = n;
      if (!java.util.Arrays.equals(maskedAddress, address)) { // most are masked already
        try {
          masked =
              InetNetwork.of(java.net.InetAddress.getByAddress(maskedAddress), n.prefixLength());
        } catch (java.net.UnknownHostException ex) {
          throw new AssertionError(ex);
        }
      }
      if (seen == null || seen.add(masked)) {
        l.add(masked);
      }
    }
    return l;
  }

  @Override
  public void addPeer(Peer peer) {
    synchronized (configLock) {
      checkOpen();
      if (peers.containsKey(peer.publicKey())) {
        throw new IllegalArgumentException("peer " + peer.publicKey() + " exists");
      }
      checkNotOwnKey(peer);
      List<Runnable> after = new ArrayList<>();
      try (AllowedIps<PeerState>.Edit routes = allowedIps.edit()) {
        addPeerLocked(peer, routes, after);
        routes.commit();
      }
      after.forEach(Runnable::run);
    }
  }

  @Override
  public void updatePeer(Peer peer) {
    synchronized (configLock) {
      checkOpen();
      checkNotOwnKey(peer);
      List<Runnable> after = new ArrayList<>();
      try (AllowedIps<PeerState>.Edit routes = allowedIps.edit()) {
        updatePeerLocked(peer, routes, after);
        routes.commit();
      }
      after.forEach(Runnable::run);
    }
  }

  /**
   * Adds or changes one peer; route changes go into {@code routes}, and what must wait until the
   * routes are published goes into {@code after}. Cannot fail once {@link #checkNotOwnKey} passed.
   */
  private void updatePeerLocked(
      Peer peer, AllowedIps<PeerState>.Edit routes, List<Runnable> after) {
    PeerState p = peers.get(peer.publicKey());
    if (p == null) {
      addPeerLocked(peer, routes, after);
      return;
    }
    boolean pskChanged = !p.config.presharedKey().equals(peer.presharedKey());
    Peer old = p.config;
    p.config = peer;
    updateRoutes(p, old.allowedIps(), peer.allowedIps(), routes);
    peer.endpoint()
        .ifPresent(
            e -> {
              java.net.InetSocketAddress a = PeerState.literal(Optional.of(e));
              if (a != null) {
                p.setEndpoint(a);
              } else {
                handshakes.reresolve(p);
              }
            });
    p.timers.setPersistentKeepalive(peer.persistentKeepalive().orElse(0));
    if (pskChanged) {
      handshakes.updatePeerKeys(p);
    }
  }

  private void checkNotOwnKey(Peer peer) {
    if (handshakes.isOwnKey(peer.publicKey())) {
      throw new IllegalArgumentException("a peer cannot have the interface's own public key");
    }
  }

  private void addPeerLocked(Peer peer, AllowedIps<PeerState>.Edit routes, List<Runnable> after) {
    checkNotOwnKey(peer);
    PeerState p = new PeerState(peer, peerServices);
    handshakes.addPeer(p);
    peers.put(peer.publicKey(), p);
    order.add(peer.publicKey());
    updateRoutes(p, List.of(), peer.allowedIps(), routes);
    if (p.endpoint != null) {
      events.endpointChanged(p.publicKey, p.endpoint);
    }
    // after the routes are live: its first keepalive may fire at once, and needs the peer fully
    // registered
    after.add(() -> p.timers.setPersistentKeepalive(peer.persistentKeepalive().orElse(0)));
  }

  /**
   * Moves {@code p}'s routes from {@code before} to {@code now}: removes what it no longer lists
   * (unless another peer took it meanwhile), inserts the rest, which is a walk without a copy for a
   * prefix that already routes to {@code p}.
   */
  private static void updateRoutes(
      PeerState p,
      List<InetNetwork> before,
      List<InetNetwork> now,
      AllowedIps<PeerState>.Edit routes) {
    if (!before.isEmpty() && !before.equals(now)) {
      Set<InetNetwork> kept = new HashSet<>(now);
      for (InetNetwork n : before) {
        if (!kept.contains(n)) {
          routes.remove(n.address().getAddress(), n.prefixLength(), p);
        }
      }
    }
    for (InetNetwork n : now) {
      routes.insert(n.address().getAddress(), n.prefixLength(), p);
    }
  }

  @Override
  public boolean removePeer(Key publicKey) {
    synchronized (configLock) {
      checkOpen();
      PeerState p = peers.get(publicKey);
      if (p == null) {
        return false;
      }
      try (AllowedIps<PeerState>.Edit routes = allowedIps.edit()) {
        updateRoutes(p, p.config.allowedIps(), List.of(), routes);
        routes.commit();
      }
      forgetPeer(p);
      return true;
    }
  }

  /** After its routes are gone: drops the peer from the tables and wipes its secrets. */
  /** A peer named in {@code order}, which lists exactly the keys of {@code peers}. */
  private PeerState peerOf(Key k) {
    return Objects.requireNonNull(peers.get(k), "order and peers disagree");
  }

  private void forgetPeer(PeerState p) {
    peers.remove(p.publicKey);
    order.remove(p.publicKey);
    handshakes.removePeer(p);
    p.destroy();
  }

  /**
   * One edit of the routing table for the whole list, published once: peers that stay keep their
   * sessions, and only prefixes that change touch the trie. Checked first (no peer with our own
   * key), so it applies whole or not at all.
   */
  @Override
  public void replacePeers(List<Peer> newPeers) {
    synchronized (configLock) {
      checkOpen();
      Set<Key> keep = new HashSet<>();
      for (Peer p : newPeers) {
        checkNotOwnKey(p);
        keep.add(p.publicKey());
      }
      List<PeerState> gone = new ArrayList<>();
      List<Runnable> after = new ArrayList<>();
      try (AllowedIps<PeerState>.Edit routes = allowedIps.edit()) {
        for (Key k : order) {
          if (!keep.contains(k)) {
            PeerState p = peerOf(k);
            updateRoutes(p, p.config.allowedIps(), List.of(), routes);
            gone.add(p);
          }
        }
        for (Peer p : newPeers) {
          updatePeerLocked(p, routes, after);
        }
        routes.commit();
      }
      for (PeerState p : gone) {
        forgetPeer(p);
      }
      after.forEach(Runnable::run);
    }
  }

  @Override
  public void setPrivateKey(PrivateKey privateKey) {
    synchronized (configLock) {
      checkOpen();
      Key pub = privateKey.publicKey();
      if (peers.containsKey(pub)) {
        removePeer(pub);
      }
      iface = iface.toBuilder().privateKey(privateKey).build();
      handshakes.setPrivateKey(Optional.of(privateKey));
      for (PeerState p : peers.values()) {
        p.expireSessions(); // sessions made with the old key are void
      }
    }
  }

  @Override
  public void clearPrivateKey() {
    synchronized (configLock) {
      checkOpen();
      iface = iface.toBuilder().clearPrivateKey().build();
      handshakes.setPrivateKey(Optional.empty()); // no identity: initiations and answers stop
      for (PeerState p : peers.values()) {
        p.expireSessions(); // zeroes the sessions and any handshake in progress
      }
    }
  }

  @Override
  public void setListenPort(int port) throws IOException {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    synchronized (configLock) {
      checkOpen();
      transport.rebind(port);
      iface = iface.toBuilder().listenPort(transport.port()).build();
    }
  }

  /**
   * Applies the mark to the socket ({@code SO_MARK}) and records it; a transport that cannot mark
   * takes only 0 (see {@link FwMarks}).
   */
  @Override
  public void setFwMark(int fwMark) {
    synchronized (configLock) {
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
      iface = iface.toBuilder().fwMark(fwMark).build();
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
    synchronized (configLock) {
      checkOpen();
      events.add(listener);
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

  /** Runs {@code hooks}' PreDown first and PostDown last when the tunnel closes. */
  void setDownHooks(Hooks hooks) {
    downHooks = hooks;
  }

  private void close(@Nullable Throwable cause) {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    Hooks hooks = downHooks;
    if (hooks != null) {
      hooks.preDown(device.name()); // while the tunnel still runs, as wg-quick down does
    }
    synchronized (configLock) {
      closed = true;
    }
    transport.close(); // wakes the receive thread
    device.close(); // wakes the send thread
    handshakeThread.stop(); // wakes the handshake thread
    handshakeThread.gate().stop(); // and the gate threads
    boolean interrupted = false;
    for (Thread t : threads) {
      if (t == Thread.currentThread()) {
        continue;
      }
      while (true) {
        try {
          t.join(5_000);
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (t.isAlive()) {
        t.interrupt();
      }
    }
    synchronized (configLock) {
      for (PeerState p : peers.values()) {
        p.destroy();
      }
      handshakes.destroy(); // wipes the engine's copy of the private key (StaticIdentity)
      handshakeThread.destroy();
      handshakeThread.gate().destroy();
      iface = iface.toBuilder().clearPrivateKey().build(); // and drops the app's PrivateKey
    }
    events.closed(Optional.ofNullable(cause)); // a served tunnel's UAPI socket goes here
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
    return t == null || !t.isAlive() || t.getState() == Thread.State.WAITING;
  }

  /** For tests: the threads of this tunnel. */
  List<Thread> threads() {
    return List.copyOf(threads);
  }
}
