package io.wireguardjava.netstack.proxy;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.function.Predicate;

/**
 * A SOCKS5 server (RFC 1928) on the host whose connections and UDP datagrams go through the tunnel:
 * {@code CONNECT} to IPv4, IPv6 and domain names, and {@code UDP ASSOCIATE}; {@code BIND} is
 * answered "command not supported". Domain names are resolved by the tunnel's DNS, never by the
 * host. With {@link Builder#credentials} set, clients must log in with RFC 1929 username/password;
 * otherwise no authentication is offered.
 *
 * <p>A destination that cannot be reached gets the RFC's reply code rather than a closed socket:
 * 0x02 not allowed (the {@link Builder#allow} policy), 0x03 network unreachable, 0x04 host
 * unreachable (also an unknown name or no answer in time), 0x05 connection refused, 0x07 command
 * not supported, 0x08 address type not supported. A client that breaks the protocol or stays silent
 * for {@link Builder#handshakeTimeout} is closed and counted as malformed.
 *
 * <p>Threads: an accept thread and a pool of daemon threads named {@code wg-socks5-<address>-N}:
 * two per connection, three per UDP association, at most {@link Builder#maxConnections} at once
 * (platform threads: the code targets Java 17).
 */
public final class Socks5Server implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Socks5Server.class.getName());

  private final Dialer dialer;
  private final Network listenSide;
  private final Optional<Socks5Credentials> credentials;
  private final Duration handshakeTimeout;
  private final boolean udpAssociate;
  private final Counters counters = new Counters();
  private final TcpService service;

  private Socks5Server(Builder b, Network upstream) throws IOException {
    this.dialer = new Dialer(upstream, b.allow, b.connectTimeout);
    this.listenSide = b.listenSide;
    this.credentials = b.credentials;
    this.handshakeTimeout = b.handshakeTimeout;
    this.udpAssociate = b.udpAssociate;
    java.net.ServerSocket server = b.listenSide.listen(b.bind, b.backlog);
    this.service =
        new TcpService(
            "wg-socks5-" + Sockets.format((InetSocketAddress) server.getLocalSocketAddress()),
            server,
            b.maxConnections,
            this::handle,
            counters);
  }

  /**
   * A builder of a server whose clients reach their destinations through {@code network}.
   *
   * @param network the tunnel's network; the server does not close it
   * @return a builder with the defaults
   */
  public static Builder builder(io.wireguardjava.netstack.TunnelNetwork network) {
    return new Builder(new TunnelNetworkAdapter(network));
  }

  /** A builder over any {@link Network} (the tests' fake tunnel). */
  static Builder builder(Network upstream) {
    return new Builder(upstream);
  }

  /**
   * The address and port the server listens on (the chosen port when port 0 was asked for).
   *
   * @return the bound address
   */
  public InetSocketAddress address() {
    return service.localAddress();
  }

  /**
   * The counters since the start.
   *
   * @return a snapshot
   */
  public ProxyStats stats() {
    return counters.snapshot();
  }

  /** Stops listening and closes every connection and association (with a reset). */
  @Override
  public void close() {
    service.close();
  }

  private void handle(Socket client, Connection connection, ExecutorService executor)
      throws IOException {
    client.setSoTimeout(Timeouts.millis(handshakeTimeout));
    InputStream in = new BufferedInputStream(client.getInputStream(), 512);
    OutputStream out = client.getOutputStream();
    Socks5Request request;
    try {
      if (!negotiate(in, out)) {
        return;
      }
      request = Socks5Codec.readRequest(in);
    } catch (Socks5Exception e) {
      counters.malformed.increment();
      if (e.reply() != Socks5Exception.CLOSE) {
        Socks5Codec.writeFailure(out, e.reply());
      }
      throw e;
    } catch (IOException e) {
      // truncated or silent (timeout): nothing to reply to
      counters.malformed.increment();
      throw e;
    }
    switch (request.command()) {
      case Socks5.CMD_CONNECT:
        connect(client, in, out, request, connection, executor);
        return;
      case Socks5.CMD_UDP_ASSOCIATE:
        if (udpAssociate) {
          new Socks5UdpAssociation(client, in, request, dialer, listenSide, counters)
              .run(connection, executor);
          return;
        }
        Socks5Codec.writeFailure(out, Socks5.REP_COMMAND_NOT_SUPPORTED);
        return;
      default:
        Socks5Codec.writeFailure(out, Socks5.REP_COMMAND_NOT_SUPPORTED);
    }
  }

  /** Method selection and, when configured, RFC 1929; false when the client was turned away. */
  private boolean negotiate(InputStream in, OutputStream out) throws IOException {
    int[] methods = Socks5Codec.readGreeting(in);
    int wanted = credentials.isPresent() ? Socks5.METHOD_USER_PASS : Socks5.METHOD_NO_AUTH;
    if (Arrays.stream(methods).noneMatch(m -> m == wanted)) {
      counters.failed.increment(); // before the reply: whoever sees it sees the count
      Socks5Codec.writeMethod(out, Socks5.METHOD_NONE_ACCEPTABLE);
      return false;
    }
    Socks5Codec.writeMethod(out, wanted);
    if (credentials.isEmpty()) {
      return true;
    }
    byte[][] userPass = Socks5Codec.readUserPass(in);
    try {
      boolean ok = credentials.get().matches(userPass[0], userPass[1]);
      if (!ok) {
        counters.failed.increment();
        LOG.log(System.Logger.Level.DEBUG, "SOCKS5 login failed");
      }
      Socks5Codec.writeUserPassStatus(
          out, ok ? Socks5.USER_PASS_SUCCESS : Socks5.USER_PASS_FAILURE);
      return ok;
    } finally {
      Arrays.fill(userPass[1], (byte) 0);
    }
  }

  private void connect(
      Socket client,
      InputStream in,
      OutputStream out,
      Socks5Request request,
      Connection connection,
      ExecutorService executor)
      throws IOException {
    Socket upstream;
    try {
      upstream = dialer.dial(request.host(), request.port());
    } catch (DialException e) {
      counters.failed.increment();
      LOG.log(
          System.Logger.Level.DEBUG,
          () -> "SOCKS5 CONNECT from " + Sockets.remote(client) + ": " + e.getMessage());
      Socks5Codec.writeFailure(out, Socks5.reply(e.failure()));
      return;
    }
    if (!connection.track(upstream)) {
      return;
    }
    InetAddress local = upstream.getLocalAddress();
    Socks5Codec.writeReply(
        out, Socks5.REP_SUCCEEDED, new InetSocketAddress(local, upstream.getLocalPort()));
    client.setSoTimeout(0);
    new Splice(client, in, upstream, counters).run(executor);
  }

  /**
   * Settings of a {@link Socks5Server}; {@link #start()} opens it. Defaults: listen on
   * 127.0.0.1:1080, no authentication, every destination allowed, 10 s connect and handshake
   * timeouts, 1,024 connections, UDP ASSOCIATE on.
   */
  public static final class Builder {
    private final Network upstream;
    private Network listenSide = HostNetwork.INSTANCE;
    private InetSocketAddress bind = new InetSocketAddress(InetAddress.getLoopbackAddress(), 1080);
    private int backlog = 512;
    private Optional<Socks5Credentials> credentials = Optional.empty();
    private Predicate<InetSocketAddress> allow = a -> true;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration handshakeTimeout = Duration.ofSeconds(10);
    private int maxConnections = 1024;
    private boolean udpAssociate = true;

    private Builder(Network upstream) {
      this.upstream = upstream;
    }

    /**
     * Where to listen on the host.
     *
     * @param address a resolved address (a wildcard allowed) and port (0 for any free port)
     * @return this builder
     * @throws IllegalArgumentException when the address is unresolved
     */
    public Builder bind(InetSocketAddress address) {
      if (address.isUnresolved()) {
        throw new IllegalArgumentException("the SOCKS5 listen address is unresolved: " + address);
      }
      this.bind = address;
      return this;
    }

    /** The network the server listens on; the host unless a test says otherwise. */
    Builder listenSide(Network network) {
      this.listenSide = Objects.requireNonNull(network);
      return this;
    }

    /**
     * Require RFC 1929 username/password authentication with these credentials.
     *
     * @param credentials the one username and password accepted
     * @return this builder
     */
    public Builder credentials(Socks5Credentials credentials) {
      this.credentials = Optional.of(credentials);
      return this;
    }

    /**
     * Which resolved destinations clients may reach; the others get reply 0x02 (not allowed). Names
     * are resolved before the check.
     *
     * @param policy tested from any thread, must not block
     * @return this builder
     */
    public Builder allow(Predicate<InetSocketAddress> policy) {
      this.allow = Objects.requireNonNull(policy);
      return this;
    }

    /**
     * How long a connection through the tunnel may take to open.
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
     * How long a client may take for each step before its request is complete.
     *
     * @param timeout positive, or zero for no limit
     * @return this builder
     * @throws IllegalArgumentException when negative
     */
    public Builder handshakeTimeout(Duration timeout) {
      this.handshakeTimeout = Timeouts.check(timeout, "handshakeTimeout");
      return this;
    }

    /**
     * The most connections and associations open at once; more are closed at once.
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
     * Whether to serve UDP ASSOCIATE (on by default); off, it is answered 0x07.
     *
     * @param enabled whether UDP is relayed
     * @return this builder
     */
    public Builder udpAssociate(boolean enabled) {
      this.udpAssociate = enabled;
      return this;
    }

    /**
     * Binds and starts accepting.
     *
     * @return the running server
     * @throws IOException when the address cannot be bound (a {@link java.net.BindException})
     */
    public Socks5Server start() throws IOException {
      return new Socks5Server(this, upstream);
    }
  }
}
