package io.wireguardjava.netstack.proxy;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * The absolute-form requests of one client connection ({@code GET http://host/path}), each sent on
 * in origin-form over an upstream connection kept open between requests to the same host and port.
 *
 * <ol>
 *   <li>The request head loses its hop-by-hop fields (RFC 9110 §7.6.1), gets {@code Host} from the
 *       URL, and goes out; a request body is copied on a second thread, so that a server's {@code
 *       100 Continue} can come back while the client waits for it.
 *   <li>Interim 1xx responses are passed on; the final response's head is passed on without
 *       hop-by-hop fields and with this proxy's own {@code Connection}; its body is copied with its
 *       framing (de-chunked for an HTTP/1.0 client, who then gets a close).
 *   <li>A request sent on a reused connection that the server had closed meanwhile (no byte of
 *       response) is sent once more on a new connection, when it has no body.
 * </ol>
 */
final class HttpExchange implements AutoCloseable {
  /**
   * How long a request body may still be on its way after the whole response went out (a server
   * that answered early, 413 say); then the client connection is given up.
   */
  private static final long BODY_FINISH_WAIT_MILLIS = 5_000;

  private static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection",
          "keep-alive",
          "proxy-connection",
          "proxy-authorization",
          "proxy-authenticate",
          "te",
          "upgrade");

  private final Dialer dialer;
  private final Socket client;
  private final InputStream clientIn;
  private final OutputStream clientOut;
  private final Connection connection;
  private final ExecutorService executor;
  private final Counters counters;

  /** The server connection kept between requests, or null before the first and after errors. */
  private @Nullable Upstream upstream;

  /** One connection to a server, with buffered streams, for one host and port. */
  private static final class Upstream {
    final Socket socket;
    final InputStream in;
    final OutputStream out;
    final String key;

    Upstream(Socket socket, String key) throws IOException {
      this.socket = socket;
      this.in = new BufferedInputStream(socket.getInputStream(), 8192);
      this.out = new BufferedOutputStream(socket.getOutputStream(), 8192);
      this.key = key;
    }
  }

  HttpExchange(
      Dialer dialer,
      Socket client,
      InputStream clientIn,
      OutputStream clientOut,
      Connection connection,
      ExecutorService executor,
      Counters counters) {
    this.dialer = dialer;
    this.client = client;
    this.clientIn = clientIn;
    this.clientOut = clientOut;
    this.connection = connection;
    this.executor = executor;
    this.counters = counters;
  }

  /**
   * Forwards one request and its response.
   *
   * @return whether the client connection may carry another request
   * @throws HttpException before any response byte went to the client: the caller answers it
   */
  boolean forward(HttpHead request) throws IOException {
    HttpTarget target = HttpTarget.ofAbsolute(request.second);
    HttpBody requestBody = HttpBody.ofRequest(request);
    boolean http10 = request.third.equals("HTTP/1.0");
    boolean clientKeepAlive =
        http10
            ? request.hasToken("Connection", "keep-alive")
                || request.hasToken("Proxy-Connection", "keep-alive")
            : !request.hasToken("Connection", "close")
                && !request.hasToken("Proxy-Connection", "close");
    byte[] head = requestHead(request, target, requestBody, http10 && clientKeepAlive);

    String key = target.host().toLowerCase(Locale.ROOT) + " " + target.port();
    Upstream current = upstream;
    boolean reused = current != null && key.equals(current.key);
    Upstream u = reused && current != null ? current : open(target, key);
    BodyPump pump = null;
    HttpHead response;
    try {
      send(u, head);
      if (requestBody != HttpBody.NONE) {
        pump = new BodyPump(requestBody, u);
      }
      Optional<HttpHead> first = readFinalResponse(u, http10);
      if (first.isEmpty() && reused && pump == null) {
        // the server closed the idle connection before it saw this request: once more
        u = open(target, key);
        send(u, head);
        first = readFinalResponse(u, http10);
      }
      if (first.isEmpty()) {
        throw new HttpException(502, "the server closed the connection without a response");
      }
      response = first.get();
    } catch (HttpException e) {
      closeUpstream();
      throw e.status() == 400
          ? new HttpException(502, "bad response from the server: " + e.getMessage(), e)
          : e;
    } catch (IOException e) {
      closeUpstream();
      HttpException fault = pump == null ? null : pump.clientFault();
      if (fault != null) {
        throw fault; // the body was malformed, which is why the server went away
      }
      throw new HttpException(502, "the server connection failed: " + e.getMessage(), e);
    }

    int status = Integer.parseInt(response.second);
    HttpBody body;
    try {
      body = HttpBody.ofResponse(response, request.first, status);
    } catch (HttpException e) {
      closeUpstream();
      throw new HttpException(502, "bad response from the server: " + e.getMessage(), e);
    }
    boolean dechunk = http10 && body.framing == HttpBody.Framing.CHUNKED;
    boolean upstreamKeepAlive =
        body.framing != HttpBody.Framing.UNTIL_CLOSE
            && (response.first.equals("HTTP/1.1")
                ? !response.hasToken("Connection", "close")
                : response.hasToken("Connection", "keep-alive"));
    boolean keepAlive = clientKeepAlive && body.framing != HttpBody.Framing.UNTIL_CLOSE && !dechunk;

    List<String[]> fields = endToEnd(response);
    if (dechunk) {
      fields.removeIf(f -> f[0].equalsIgnoreCase("Transfer-Encoding"));
    }
    fields.add(new String[] {"Connection", keepAlive ? "keep-alive" : "close"});
    try {
      clientOut.write(
          HttpHead.serialize("HTTP/1.1 " + response.second + " " + response.third, fields));
      body.copy(u.in, clientOut, dechunk, counters.bytesIn);
      clientOut.flush();
    } catch (IOException e) {
      // half a response already went out: only a reset tells the client it is cut short
      counters.resets.increment();
      closeUpstream();
      Sockets.abort(client);
      return false;
    }
    boolean requestDone = pump == null || pump.finishedWell();
    if (!upstreamKeepAlive || !requestDone) {
      closeUpstream();
    }
    return keepAlive && requestDone;
  }

  private Upstream open(HttpTarget target, String key) throws IOException {
    closeUpstream();
    Socket s;
    try {
      s = dialer.dial(target.host(), target.port());
    } catch (DialException e) {
      counters.failed.increment();
      throw new HttpException(
          HttpException.statusOf(e.failure()), String.valueOf(e.getMessage()), e);
    }
    if (!connection.track(s)) {
      throw new IOException("the proxy is closing");
    }
    Upstream u = new Upstream(s, key);
    upstream = u;
    return u;
  }

  private static void send(Upstream u, byte[] head) throws IOException {
    u.out.write(head);
    u.out.flush();
  }

  /** Passes 1xx responses on (not to an HTTP/1.0 client) and returns the final one. */
  private Optional<HttpHead> readFinalResponse(Upstream u, boolean http10) throws IOException {
    while (true) {
      Optional<HttpHead> r = HttpHeadReader.read(u.in, false);
      if (r.isEmpty()) {
        return r;
      }
      int status = Integer.parseInt(r.get().second);
      if (status == 101) {
        throw new HttpException(502, "the server switched protocols, which is not proxied");
      }
      if (status / 100 != 1) {
        return r;
      }
      if (!http10) {
        clientOut.write(
            HttpHead.serialize(
                "HTTP/1.1 " + r.get().second + " " + r.get().third, endToEnd(r.get())));
        clientOut.flush();
      }
    }
  }

  private static byte[] requestHead(
      HttpHead request, HttpTarget target, HttpBody body, boolean keepAliveHttp10) {
    List<String[]> fields = new ArrayList<>();
    fields.add(new String[] {"Host", target.authority()});
    for (String[] f : endToEnd(request)) {
      boolean lengthBesideChunked =
          body.framing == HttpBody.Framing.CHUNKED && f[0].equalsIgnoreCase("Content-Length");
      if (!f[0].equalsIgnoreCase("Host") && !lengthBesideChunked) {
        fields.add(f);
      }
    }
    if (keepAliveHttp10) {
      fields.add(new String[] {"Connection", "keep-alive"});
    }
    return HttpHead.serialize(request.first + " " + target.path() + " " + request.third, fields);
  }

  /** The fields without the hop-by-hop ones, also those the Connection field names. */
  static List<String[]> endToEnd(HttpHead head) {
    List<String> named = head.tokens("Connection");
    List<String[]> kept = new ArrayList<>(head.fields().size());
    for (String[] f : head.fields()) {
      String name = f[0].toLowerCase(Locale.ROOT);
      if (!HOP_BY_HOP.contains(name) && !named.contains(name)) {
        kept.add(f);
      }
    }
    return kept;
  }

  private void closeUpstream() {
    Upstream u = upstream;
    if (u != null) {
      Sockets.closeQuietly(u.socket);
      connection.untrack(u.socket);
      upstream = null;
    }
  }

  @Override
  public void close() {
    closeUpstream();
  }

  /** The request body, copied client -> server on a pool thread. */
  private final class BodyPump {
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile boolean ok;
    private volatile @Nullable HttpException clientFault;

    BodyPump(HttpBody body, Upstream u) throws IOException {
      OutputStream out = u.out;
      Socket server = u.socket;
      try {
        executor.execute(
            () -> {
              try {
                body.copy(clientIn, out, false, counters.bytesOut);
                out.flush();
                ok = true;
              } catch (HttpException e) {
                clientFault = e;
                // the server waits for the rest of a body that will never come: stop waiting
                Sockets.abort(server);
              } catch (IOException e) {
                Sockets.abort(server);
              } finally {
                done.countDown();
              }
            });
      } catch (RejectedExecutionException e) {
        throw new IOException("the proxy is closing", e);
      }
    }

    /** The malformed body's error, once the pump has stopped on it. */
    @Nullable HttpException clientFault() {
      return clientFault;
    }

    /**
     * Whether the whole body went out. Called after the response: if the server answered before
     * reading it all, the client connection cannot be reused (its rest is unread).
     */
    boolean finishedWell() {
      // normally the pump finished before the server could answer; give it time to say so
      if (!awaitQuietly(BODY_FINISH_WAIT_MILLIS)) {
        Sockets.abort(client); // unblocks the pump; the connection cannot go on
        awaitQuietly(Long.MAX_VALUE);
        return false;
      }
      return ok;
    }

    private boolean awaitQuietly(long millis) {
      try {
        return done.await(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }
}
