package io.wireguardjava.netstack.proxy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;

/**
 * A running port forward, {@code ssh -L} / {@code -R} style (see {@link ForwardSpec}): TCP
 * connections are spliced to a new connection to the destination (bounded buffers, half-close and
 * resets passed on; a destination that refuses or cannot be reached resets the client's
 * connection); UDP datagrams travel in flows, one per client address, each closed after {@link
 * Builder#udpIdleTimeout} without a datagram either way.
 *
 * <p>For {@code -L} the destination's name is resolved by the tunnel's DNS; for {@code -R} by the
 * host's.
 *
 * <p>Threads: daemon threads named {@code wg-forward-<spec>-N}: two per TCP connection, one per UDP
 * flow plus a listener and a sweeper (platform threads: the code targets Java 17).
 */
public final class PortForward implements AutoCloseable {
  private final ForwardSpec spec;
  private final Counters counters = new Counters();
  private final Dialer dialer;
  private final AutoCloseable running;
  private final InetSocketAddress address;

  private PortForward(Builder b) throws IOException {
    this.spec = b.spec;
    boolean toTunnel = spec.direction() == ForwardSpec.Direction.LOCAL_TO_TUNNEL;
    Network listenSide = toTunnel ? b.host : b.tunnel;
    Network connectSide = toTunnel ? b.tunnel : b.host;
    this.dialer = new Dialer(connectSide, a -> true, b.connectTimeout);
    String name = "wg-forward-" + spec.toString().replace(' ', '-');
    if (spec.protocol() == ForwardSpec.Protocol.TCP) {
      TcpService service =
          new TcpService(
              name,
              listenSide.listen(spec.listen(), 512),
              b.maxConnections,
              this::handle,
              counters);
      this.running = service;
      this.address = service.localAddress();
    } else {
      UdpForward udp =
          new UdpForward(
              name,
              listenSide.openDatagram(spec.listen()),
              dialer,
              spec.targetHost(),
              spec.targetPort(),
              b.udpIdleTimeout,
              b.maxConnections,
              counters,
              System::nanoTime);
      this.running = udp;
      this.address = udp.localAddress();
    }
  }

  /**
   * A builder of a forward between the host's sockets and {@code network}.
   *
   * @param network the tunnel's network; the forward does not close it
   * @param spec what to forward, which way
   * @return a builder with the defaults
   */
  public static Builder builder(io.wireguardjava.netstack.TunnelNetwork network, ForwardSpec spec) {
    return new Builder(new TunnelNetworkAdapter(network), HostNetwork.INSTANCE, spec);
  }

  /** A builder over a tunnel side and a host side (the tests' fakes). */
  static Builder builder(Network tunnel, Network host, ForwardSpec spec) {
    return new Builder(tunnel, host, spec);
  }

  /**
   * What it forwards.
   *
   * @return the forward's specification
   */
  public ForwardSpec spec() {
    return spec;
  }

  /**
   * Where it listens: on the host for -L, in the tunnel for -R (the chosen port when 0 was asked
   * for).
   *
   * @return the bound address
   */
  public InetSocketAddress address() {
    return address;
  }

  /**
   * The counters since the start ({@code accepted}/{@code active} count TCP connections or UDP
   * flows).
   *
   * @return a snapshot
   */
  public ProxyStats stats() {
    return counters.snapshot();
  }

  /** Stops listening and closes every connection (with a reset) and flow. */
  @Override
  public void close() {
    try {
      running.close();
    } catch (Exception e) {
      throw new IllegalStateException("closing " + spec + " failed", e);
    }
  }

  private void handle(Socket client, Connection connection, ExecutorService executor)
      throws IOException {
    Socket upstream;
    try {
      upstream = dialer.dial(spec.targetHost(), spec.targetPort());
    } catch (DialException e) {
      counters.failed.increment();
      // as a refused connection would: a reset, not a clean close
      Sockets.abort(client);
      throw e;
    }
    if (connection.track(upstream)) {
      new Splice(client, client.getInputStream(), upstream, counters).run(executor);
    }
  }

  /**
   * Settings of a {@link PortForward}; {@link #start()} opens it. Defaults: 10 s connect timeout,
   * UDP flows closed after 60 s idle, 1,024 connections or flows.
   */
  public static final class Builder {
    private final Network tunnel;
    private final Network host;
    private final ForwardSpec spec;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration udpIdleTimeout = Duration.ofSeconds(60);
    private int maxConnections = 1024;

    private Builder(Network tunnel, Network host, ForwardSpec spec) {
      this.tunnel = Objects.requireNonNull(tunnel);
      this.host = Objects.requireNonNull(host);
      this.spec = Objects.requireNonNull(spec);
    }

    /**
     * How long a TCP connection to the destination may take to open.
     *
     * @param timeout positive, or zero for no limit
     * @return this builder
     * @throws IllegalArgumentException when negative
     */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = Timeouts.check(timeout, "connectTimeout");
      return this;
    }

    /**
     * How long a UDP flow lives without a datagram either way.
     *
     * @param timeout positive
     * @return this builder
     * @throws IllegalArgumentException when not positive
     */
    public Builder udpIdleTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("udpIdleTimeout must be positive: " + timeout);
      }
      this.udpIdleTimeout = timeout;
      return this;
    }

    /**
     * The most TCP connections, or UDP flows, at once; more are closed (TCP) or dropped (UDP).
     *
     * @param max at least 1
     * @return this builder
     * @throws IllegalArgumentException when below 1
     */
    public Builder maxConnections(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxConnections must be at least 1: " + max);
      }
      this.maxConnections = max;
      return this;
    }

    /**
     * Binds and starts forwarding.
     *
     * @return the running forward
     * @throws IOException when the listening address cannot be bound
     */
    public PortForward start() throws IOException {
      return new PortForward(this);
    }
  }
}
