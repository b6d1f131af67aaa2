package io.wireguardjava.netstack;

import io.wireguardjava.Config;
import io.wireguardjava.InetNetwork;
import io.wireguardjava.Interface;
import io.wireguardjava.Tunnel;
import io.wireguardjava.TunnelOptions;
import io.wireguardjava.TunnelPackets;
import io.wireguardjava.netstack.internal.dns.DnsResolver;
import io.wireguardjava.netstack.internal.stack.NetworkDns;
import io.wireguardjava.netstack.internal.stack.OwnAddresses;
import io.wireguardjava.netstack.internal.stack.PacketOutput;
import io.wireguardjava.netstack.internal.stack.SocketContext;
import io.wireguardjava.netstack.internal.stack.Stack;
import io.wireguardjava.netstack.internal.stack.StackCounters;
import io.wireguardjava.netstack.internal.stack.StackDrop;
import io.wireguardjava.netstack.internal.stack.StackThread;
import io.wireguardjava.netstack.internal.stack.TcpAdapter;
import io.wireguardjava.netstack.internal.stack.TunnelServerSocket;
import io.wireguardjava.netstack.internal.stack.TunnelSocket;
import io.wireguardjava.netstack.internal.stack.TunnelSocketFactory;
import io.wireguardjava.netstack.internal.stack.UdpEndpoint;
import io.wireguardjava.netstack.internal.tcp.TcpLayer;
import io.wireguardjava.netstack.internal.tcp.TcpSettings;
import io.wireguardjava.netstack.internal.tcp.TcpStats;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.SocketFactory;

/**
 * The network seen through a WireGuard tunnel, for programs without root: TCP and UDP sockets, DNS
 * and ping, carried by a userspace TCP/IP stack over an in-process tunnel. No TUN device, no
 * privileges, any OS the JVM runs on.
 *
 * <pre>{@code
 * try (TunnelNetwork net = TunnelNetwork.open(Config.parse(Files.readString(path)))) {
 *   try (Socket s = net.connect(new InetSocketAddress("10.0.0.1", 80), Duration.ofSeconds(5))) {
 *     s.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
 *     s.getInputStream().transferTo(System.out);
 *   }
 * }
 * }</pre>
 *
 * <p>The stack takes its addresses (IPv4 and IPv6), MTU, DNS servers and search domains from the
 * {@code [Interface]} section. Names are resolved only by those DNS servers, through the tunnel:
 * nothing is asked of the host's resolver. Every method is thread-safe; blocking calls wait on
 * locks and conditions, so virtual threads do not pin their carrier.
 *
 * <p>TCP's congestion control is BBR v1, which holds its rate on lossy paths where loss-based
 * algorithms fall to a few Mbit/s (README); the system property {@code
 * io.wireguardjava.netstack.tcp.congestionControl} ({@code bbr}, {@code newreno} or {@code cubic})
 * picks another for the networks opened after it is set.
 */
public final class TunnelNetwork implements AutoCloseable {
  /** The accept backlog of {@link #listen(int)} (as Java's {@code ServerSocket}). */
  public static final int DEFAULT_BACKLOG = 50;

  /** The smallest MTU the stack runs with. */
  public static final int MIN_MTU = 1280;

  private final Tunnel tunnel;
  private final boolean ownsTunnel;
  private final List<InetNetwork> addresses;
  private final int mtu;
  private final StackThread thread;
  private final Stack stack;
  private final DnsResolver dns;
  private final TcpLayer tcp;
  private final SocketContext sockets;
  private final SocketFactory socketFactory;
  private final AtomicBoolean closed = new AtomicBoolean();

  private TunnelNetwork(Tunnel tunnel, Interface iface, boolean ownsTunnel) {
    this.tunnel = tunnel;
    this.ownsTunnel = ownsTunnel;
    this.addresses = List.copyOf(iface.addresses());
    if (addresses.isEmpty()) {
      throw new IllegalArgumentException(
          "the [Interface] has no Address: the tunnel network needs at least one");
    }
    int deviceMtu = tunnel.packets().mtu();
    this.mtu = Math.min(iface.mtu().orElse(TunnelOptions.DEFAULT_MTU), deviceMtu);
    if (mtu < MIN_MTU) {
      throw new IllegalArgumentException(
          "the tunnel network needs an MTU of at least "
              + MIN_MTU
              + " (IPv6's minimum); the [Interface] MTU"
              + " and the device allow "
              + mtu);
    }
    List<InetAddress> own = new ArrayList<>();
    for (InetNetwork n : addresses) {
      own.add(n.address());
    }
    OwnAddresses ownAddresses = new OwnAddresses(own);
    SecureRandom random = new SecureRandom();
    TunnelPackets packets = tunnel.packets();
    TcpSettings tcpSettings =
        TcpSettings.builder()
            .mtu(mtu)
            .congestionControl(
                TcpSettings.CongestionAlgorithm.fromProperty(
                    System.getProperty(TcpSettings.CongestionAlgorithm.PROPERTY)))
            .build();
    AtomicReference<TcpAdapter> tcpHolder = new AtomicReference<>();
    this.thread =
        StackThread.start(
            wake -> {
              Stack s =
                  new Stack(ownAddresses, mtu, output(packets), random, System::nanoTime, wake);
              tcpHolder.set(TcpAdapter.attach(s, tcpSettings, random, wake));
              return s;
            },
            packets,
            tunnel.name());
    this.stack = thread.stack();
    // StackThread.start runs the factory before it returns
    this.tcp = Objects.requireNonNull(tcpHolder.get(), "stack factory not run").layer();
    boolean v4 = own.stream().anyMatch(a -> a instanceof Inet4Address);
    boolean v6 = own.stream().anyMatch(a -> a instanceof Inet6Address);
    this.dns =
        new DnsResolver(
            iface.dnsServers(),
            iface.dnsSearch(),
            v4,
            v6,
            new NetworkDns(
                stack, (to, timeoutNanos) -> connect(to, Duration.ofNanos(timeoutNanos))),
            System::nanoTime,
            random);
    this.sockets = new SocketContext(tcp, ownAddresses, dns::resolve);
    this.socketFactory = new TunnelSocketFactory(sockets);
  }

  /** Writes the stack's packets into the tunnel; a closed tunnel makes them count as lost. */
  private static PacketOutput output(TunnelPackets packets) {
    return (b, off, len) -> {
      try {
        packets.send(b, off, len);
        return true;
      } catch (IOException | IllegalArgumentException e) {
        return false;
      }
    };
  }

  /**
   * Opens a tunnel on an in-process device and a stack over it, configured from the {@code
   * [Interface]} section: addresses, MTU, DNS servers and search domains. {@link #close()} closes
   * both.
   *
   * @param config the tunnel configuration (wg-quick format settings are used, not run)
   * @return the network
   * @throws IOException when the tunnel cannot be opened
   * @throws IllegalArgumentException when the interface has no address, or an MTU below {@link
   *     #MIN_MTU}
   */
  public static TunnelNetwork open(Config config) throws IOException {
    return open(config, TunnelOptions.inProcessDevice());
  }

  /**
   * Like {@link #open(Config)}, with tunnel options (a bind address, an interface name for logs and
   * thread names). The options must select the in-process device.
   *
   * @param config the tunnel configuration
   * @param options the tunnel options
   * @return the network
   * @throws IOException when the tunnel cannot be opened
   * @throws IllegalArgumentException when the options select an OS device, the interface has no
   *     address, or an MTU below {@link #MIN_MTU}
   */
  public static TunnelNetwork open(Config config, TunnelOptions options) throws IOException {
    Objects.requireNonNull(config, "config");
    if (options.deviceKind() != TunnelOptions.DeviceKind.IN_PROCESS) {
      throw new IllegalArgumentException(
          "a TunnelNetwork needs the in-process device (TunnelOptions.inProcessDevice()), not "
              + options.deviceKind());
    }
    if (config.iface().addresses().isEmpty()) {
      throw new IllegalArgumentException(
          "the [Interface] has no Address: the tunnel network needs at least one");
    }
    Tunnel tunnel = Tunnel.open(config, options);
    try {
      return new TunnelNetwork(tunnel, config.iface(), true);
    } catch (RuntimeException e) {
      tunnel.close();
      throw e;
    }
  }

  /**
   * Runs a stack over a tunnel the application opened with {@link TunnelOptions#inProcessDevice()}.
   * {@link #close()} closes the stack, not the tunnel. Nothing else may read the tunnel's packets
   * while the network is open.
   *
   * @param tunnel the tunnel
   * @param iface its interface settings: addresses, MTU, DNS
   * @return the network
   * @throws IllegalStateException when the tunnel has no in-process device
   * @throws IllegalArgumentException when the interface has no address, or an MTU below {@link
   *     #MIN_MTU}
   */
  public static TunnelNetwork attach(Tunnel tunnel, Interface iface) {
    return new TunnelNetwork(
        Objects.requireNonNull(tunnel, "tunnel"), Objects.requireNonNull(iface, "iface"), false);
  }

  /**
   * Opens a TCP connection through the tunnel. An unresolved address is resolved with the tunnel's
   * DNS and each address tried in turn within the timeout.
   *
   * @param to the server
   * @param timeout how long connecting may take; {@link Duration#ZERO} waits as long as the SYN
   *     retries last
   * @return the connected socket: a real {@code java.net.Socket}
   * @throws java.net.ConnectException when the server refused (RST) or SYN retries ran out
   * @throws java.net.SocketTimeoutException when the timeout passed
   * @throws java.net.NoRouteToHostException on ICMP unreachable, or when the interface has no
   *     address of that family
   * @throws java.net.UnknownHostException when the name cannot be resolved
   * @throws IOException when the network is closed
   */
  public Socket connect(InetSocketAddress to, Duration timeout) throws IOException {
    ensureOpen();
    Objects.requireNonNull(to, "to");
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("negative connect timeout: " + timeout);
    }
    Socket s = new TunnelSocket(sockets);
    long millis = timeout.toMillis();
    s.connect(to, timeout.isZero() ? 0 : (int) Math.max(1, Math.min(Integer.MAX_VALUE, millis)));
    return s;
  }

  /**
   * A socket factory over the tunnel, for libraries that take a {@code javax.net.SocketFactory}
   * (OkHttp, JDBC drivers, JavaMail). {@code createSocket()} returns an unconnected socket whose
   * {@code connect} goes through the tunnel; host names given to the factory are resolved with the
   * tunnel's DNS.
   *
   * @return the factory
   */
  public SocketFactory socketFactory() {
    return socketFactory;
  }

  /**
   * Listens for TCP connections on every interface address.
   *
   * @param port the port; 0 picks an ephemeral one
   * @return a real {@code java.net.ServerSocket}
   * @throws java.net.BindException when the port is taken
   * @throws IOException when the network is closed
   */
  public ServerSocket listen(int port) throws IOException {
    return listen(new InetSocketAddress(port), DEFAULT_BACKLOG);
  }

  /**
   * Listens for TCP connections on one interface address or on all (a wildcard address).
   *
   * @param local the address and port (port 0: ephemeral)
   * @param backlog how many established connections may wait for {@code accept}
   * @return a real {@code java.net.ServerSocket}
   * @throws java.net.BindException when the port is taken or the address is not an interface
   *     address
   * @throws IOException when the network is closed
   */
  public ServerSocket listen(InetSocketAddress local, int backlog) throws IOException {
    ensureOpen();
    Objects.requireNonNull(local, "local");
    if (local.isUnresolved()) {
      throw new IllegalArgumentException("cannot listen on an unresolved address: " + local);
    }
    return new TunnelServerSocket(sockets, local, backlog < 1 ? DEFAULT_BACKLOG : backlog);
  }

  /**
   * Opens a UDP socket on all the interface's addresses.
   *
   * @param port the local port, 0 for an ephemeral one
   * @return the socket
   * @throws java.net.BindException when the port is taken
   * @throws SocketException when the network is closed
   * @throws IllegalArgumentException when the port is out of range
   */
  public TunnelDatagramSocket openDatagram(int port) throws SocketException {
    ensureOpen();
    UdpEndpoint ep = stack.bindUdp(port);
    return new TunnelDatagramSocket(ep, new InetSocketAddress(ep.port()));
  }

  /**
   * Resolves a host name with the interface's DNS servers, through the tunnel; IP literals are
   * returned as they are, without a query. The host's own resolver is never asked.
   *
   * @param host a host name or an IP literal
   * @return the addresses, IPv4 first, at least one
   * @throws UnknownHostException when the name does not exist, has no address of a family the
   *     interface has, no DNS server answered, or the network is closed (the one exception type, so
   *     that {@code net::resolve} fits OkHttp's {@code Dns})
   */
  public List<InetAddress> resolve(String host) throws UnknownHostException {
    Objects.requireNonNull(host, "host");
    if (closed.get()) {
      throw new UnknownHostException(host + ": the tunnel network is closed");
    }
    return dns.resolve(host);
  }

  /**
   * Sends an ICMP (IPv4) or ICMPv6 echo request and waits for the reply.
   *
   * @param to the address to ping
   * @param timeout how long to wait for the reply
   * @return the round-trip time
   * @throws SocketTimeoutException when no reply came in time
   * @throws java.net.NoRouteToHostException when the interface has no address of that family
   * @throws IOException when the network is closed
   */
  public Duration ping(InetAddress to, Duration timeout) throws IOException {
    ensureOpen();
    Objects.requireNonNull(to, "to");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("ping timeout must be positive: " + timeout);
    }
    long rtt = stack.ping(to, timeout.toNanos());
    if (rtt < 0) {
      throw new SocketTimeoutException(
          "no echo reply from " + to.getHostAddress() + " within " + timeout.toMillis() + " ms");
    }
    return Duration.ofNanos(rtt);
  }

  /**
   * The interface's addresses.
   *
   * @return the addresses with their prefix lengths, as configured
   */
  public List<InetNetwork> addresses() {
    return addresses;
  }

  /**
   * The MTU of the stack: the interface's {@code MTU}, or 1420.
   *
   * @return the largest IP packet the stack sends
   */
  public int mtu() {
    return mtu;
  }

  /**
   * The tunnel carrying the network.
   *
   * @return the tunnel
   */
  public Tunnel tunnel() {
    return tunnel;
  }

  /**
   * The network's counters now.
   *
   * @return a snapshot
   */
  public NetworkStats stats() {
    StackCounters c = stack.counters();
    long dropped = 0;
    for (StackDrop d : StackDrop.values()) {
      if (d != StackDrop.FRAGMENT) { // fragments held for reassembly are not lost
        dropped += c.dropped(d);
      }
    }
    TcpStats t = tcp.stats();
    return new NetworkStats(
        c.packetsReceived(),
        c.packetsSent(),
        dropped,
        t.connections(),
        t.retransmittedSegments(),
        t.fastRetransmits(),
        t.retransmissionTimeouts(),
        t.dsacksReceived(),
        stack.udpBindings());
  }

  /**
   * Whether {@link #close()} was called.
   *
   * @return whether closed
   */
  public boolean isClosed() {
    return closed.get();
  }

  private void ensureOpen() throws SocketException {
    if (closed.get()) {
      throw new SocketException("The tunnel network is closed");
    }
  }

  /**
   * Closes every socket (connections are reset, listeners closed, UDP sockets released), stops the
   * stack's threads and, when the network was {@link #open opened} here, the tunnel.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    stack.close();
    thread.stop(s -> tcp.closeAll()); // the RSTs leave in the stop's final poll
    if (ownsTunnel) {
      try {
        tunnel.close();
      } catch (Exception e) {
        System.getLogger(TunnelNetwork.class.getName())
            .log(System.Logger.Level.DEBUG, "closing the tunnel failed", e);
      }
    }
  }

  @Override
  public String toString() {
    return "TunnelNetwork["
        + tunnel.name()
        + ", "
        + addresses
        + ", mtu="
        + mtu
        + (closed.get() ? ", closed" : "")
        + "]";
  }
}
