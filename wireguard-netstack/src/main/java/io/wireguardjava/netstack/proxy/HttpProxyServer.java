package io.wireguardjava.netstack.proxy;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.function.Predicate;

/**
 * An HTTP proxy on the host whose requests go through the tunnel: {@code CONNECT host:port} (what
 * browsers, curl and the JDK's {@code HttpClient} use for HTTPS, and any TCP protocol) and
 * absolute-form requests such as {@code GET http://host/path} for plain HTTP, with keep-alive on
 * both sides. Names are resolved by the tunnel's DNS, never by the host.
 *
 * <p>Errors are answered with a status and a one-line text body, then the connection closes: 400
 * for a malformed request (or an origin-form one: this is a proxy), 431 for a head over 64 KiB, 505
 * for another HTTP version, 403 for a destination the {@link Builder#allow} policy refuses, 502
 * when the destination refuses, is unreachable or unknown, 504 when it does not answer in time. No
 * proxy authentication is offered: bind it to loopback, as by default.
 *
 * <p>Threads: an accept thread and a pool of daemon threads named {@code wg-http-<address>-N}, two
 * per connection, at most {@link Builder#maxConnections} connections at once (platform threads: the
 * code targets Java 17).
 */
public final class HttpProxyServer implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(HttpProxyServer.class.getName());

  private final Dialer dialer;
  private final Duration handshakeTimeout;
  private final Duration idleTimeout;
  private final Counters counters = new Counters();
  private final TcpService service;

  private HttpProxyServer(Builder b) throws IOException {
    this.dialer = new Dialer(b.upstream, b.allow, b.connectTimeout);
    this.handshakeTimeout = b.handshakeTimeout;
    this.idleTimeout = b.idleTimeout;
    java.net.ServerSocket server = b.listenSide.listen(b.bind, b.backlog);
    this.service =
        new TcpService(
            "wg-http-" + Sockets.format((InetSocketAddress) server.getLocalSocketAddress()),
            server,
            b.maxConnections,
            this::handle,
            counters);
  }

  /**
   * A builder of a proxy whose clients reach their destinations through {@code network}.
   *
   * @param network the tunnel's network; the proxy does not close it
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
   * The address and port the proxy listens on (the chosen port when port 0 was asked for).
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

  /** Stops listening and closes every connection (with a reset). */
  @Override
  public void close() {
    service.close();
  }

  private void handle(Socket client, Connection connection, ExecutorService executor)
      throws IOException {
    InputStream in = new BufferedInputStream(client.getInputStream(), 8192);
    OutputStream out = new BufferedOutputStream(client.getOutputStream(), 8192);
    try (HttpExchange exchange =
        new HttpExchange(dialer, client, in, out, connection, executor, counters)) {
      boolean first = true;
      while (true) {
        client.setSoTimeout(Timeouts.millis(first ? handshakeTimeout : idleTimeout));
        Optional<HttpHead> head;
        try {
          head = HttpHeadReader.read(in, true);
        } catch (HttpException e) {
          counters.malformed.increment();
          reply(out, e);
          return;
        } catch (SocketTimeoutException | EOFException e) {
          if (first) {
            counters.malformed.increment();
          }
          return;
        }
        if (head.isEmpty()) {
          return; // closed between requests
        }
        first = false;
        // a request body may take its time between reads, as a keep-alive wait may
        client.setSoTimeout(Timeouts.millis(idleTimeout));
        try {
          if (head.get().first.equals("CONNECT")) {
            connect(client, in, out, head.get(), connection, executor);
            return;
          }
          if (!exchange.forward(head.get())) {
            return;
          }
        } catch (HttpException e) {
          if (e.status() == 400 || e.status() == 431) {
            counters.malformed.increment();
          }
          LOG.log(
              System.Logger.Level.DEBUG,
              () ->
                  "HTTP proxy, "
                      + Sockets.remote(client)
                      + ": "
                      + e.status()
                      + " "
                      + e.getMessage());
          reply(out, e);
          return;
        }
      }
    }
  }

  private void connect(
      Socket client,
      InputStream in,
      OutputStream out,
      HttpHead head,
      Connection connection,
      ExecutorService executor)
      throws IOException {
    HttpTarget target = HttpTarget.ofAuthority(head.second);
    Socket upstream;
    try {
      upstream = dialer.dial(target.host(), target.port());
    } catch (DialException e) {
      counters.failed.increment();
      throw new HttpException(
          HttpException.statusOf(e.failure()), String.valueOf(e.getMessage()), e);
    }
    if (!connection.track(upstream)) {
      return;
    }
    out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
    client.setSoTimeout(0);
    // bytes the client sent right behind its CONNECT (a TLS hello) are still in `in`
    new Splice(client, in, upstream, counters).run(executor);
  }

  /** The error status with a one-line text body, and Connection: close. */
  static void reply(OutputStream out, HttpException e) {
    byte[] body =
        (e.status() + " " + HttpException.reason(e.status()) + ": " + e.getMessage() + "\n")
            .getBytes(StandardCharsets.UTF_8);
    String head =
        "HTTP/1.1 "
            + e.status()
            + " "
            + HttpException.reason(e.status())
            + "\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\n"
            + "Content-Length: "
            + body.length
            + "\r\n"
            + "Connection: close\r\n\r\n";
    try {
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
    } catch (IOException ignored) {
      // the client is gone
    }
  }

  /**
   * Settings of an {@link HttpProxyServer}; {@link #start()} opens it. Defaults: listen on
   * 127.0.0.1:8080, every destination allowed, 10 s connect timeout and for the first request, 60 s
   * between keep-alive requests, 1,024 connections.
   */
  public static final class Builder {
    private final Network upstream;
    private Network listenSide = HostNetwork.INSTANCE;
    private InetSocketAddress bind = new InetSocketAddress(InetAddress.getLoopbackAddress(), 8080);
    private int backlog = 512;
    private Predicate<InetSocketAddress> allow = a -> true;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration handshakeTimeout = Duration.ofSeconds(10);
    private Duration idleTimeout = Duration.ofSeconds(60);
    private int maxConnections = 1024;

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
        throw new IllegalArgumentException(
            "the HTTP proxy listen address is unresolved: " + address);
      }
      this.bind = address;
      return this;
    }

    /** The network the proxy listens on; the host unless a test says otherwise. */
    Builder listenSide(Network network) {
      this.listenSide = Objects.requireNonNull(network);
      return this;
    }

    /**
     * Which resolved destinations clients may reach; the others get 403.
     *
     * @param policy tested from any thread, must not block
     * @return this builder
     */
    public Builder allow(Predicate<InetSocketAddress> policy) {
      this.allow = Objects.requireNonNull(policy);
      return this;
    }

    /**
     * How long a connection through the tunnel may take to open (then 504).
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
     * How long a new client may take to send its first request head.
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
     * How long a keep-alive connection may wait for its next request (or a request body for its
     * next bytes).
     *
     * @param timeout positive, or zero for no limit
     * @return this builder
     * @throws IllegalArgumentException when negative
     */
    public Builder idleTimeout(Duration timeout) {
      this.idleTimeout = Timeouts.check(timeout, "idleTimeout");
      return this;
    }

    /**
     * The most connections open at once; more are closed at once.
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
     * Binds and starts accepting.
     *
     * @return the running proxy
     * @throws IOException when the address cannot be bound (a {@link java.net.BindException})
     */
    public HttpProxyServer start() throws IOException {
      return new HttpProxyServer(this);
    }
  }
}
