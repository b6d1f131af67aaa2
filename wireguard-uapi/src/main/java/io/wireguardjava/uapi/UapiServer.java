package io.wireguardjava.uapi;

import io.wireguardjava.Tunnel;
import java.io.Closeable;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Serves the UAPI of one {@link Tunnel} on {@code <directory>/<name>.sock}, as wireguard-go does on
 * {@code /var/run/wireguard/<name>.sock}, so that {@code wg} and {@code wg-quick} manage it.
 *
 * <p>The socket is owner-only (mode 0600, bound in a private directory and renamed into place); a
 * socket file left by a dead process is replaced, one that still answers is not ("unix socket in
 * use"). {@link #close()} removes the socket file if it is still ours.
 *
 * <p>Each connection is served by its own short-lived thread, at most {@link Limits#maxClients} at
 * once (more get {@code errno=-11} and are closed). A client may not stay silent (mid-request, or
 * before one) for longer than {@link Limits#requestTimeout}; a request has lines of at most {@link
 * Limits#maxLineBytes} and at most {@link Limits#maxRequestBytes} in all; otherwise the client gets
 * an errno ({@code -110}, {@code -5}, {@code -90}) and is closed, and nothing is changed. A {@code
 * set} applies whole or not at all, one at a time; a {@code get} does not wait for them.
 */
public final class UapiServer implements Closeable {

  /** Where wireguard-go and {@code wg} look for sockets. */
  public static final Path DEFAULT_DIRECTORY = Path.of("/var/run/wireguard");

  private static final System.Logger LOG = System.getLogger(UapiServer.class.getName());

  /** Bounds on what one client may send and how long it may take. */
  public record Limits(
      int maxLineBytes, int maxRequestBytes, Duration requestTimeout, int maxClients) {

    /**
     * 4 KiB lines (a valid line is under 200 bytes), requests as large as an eighth of the heap (at
     * least 16 MiB; 24 MB carry a peer with a million prefixes, 12 MB a {@code setconf} of 65,536
     * peers), 10 seconds (also for a client that sends nothing), 1,024 clients at once. Idle
     * clients cost a parked thread each until their deadline, so a few hundred of them cannot lock
     * {@code wg show} out (with 32, forty did for 10 s). Only the socket's owner can connect (mode
     * 0600), so the request size is bounded by what the owner sends and the memory it gave the JVM,
     * not by a small constant; a request is still parsed whole before anything is applied.
     */
    public static final Limits DEFAULT =
        new Limits(
            4096,
            requestBytesForHeap(Runtime.getRuntime().maxMemory()),
            Duration.ofSeconds(10),
            1024);

    /** An eighth of {@code maxHeap}, at least 16 MiB, at most 1 GiB. */
    static int requestBytesForHeap(long maxHeap) {
      return (int) Math.max(16L << 20, Math.min(1L << 30, maxHeap / 8));
    }

    /**
     * Checks that the limits leave room for a valid request.
     *
     * @param maxLineBytes the longest line accepted
     * @param maxRequestBytes the largest request accepted
     * @param requestTimeout how long a client may send nothing (before or within a request), and
     *     how long one slice of a reply may wait for the client to read
     * @param maxClients how many clients are served at once
     * @throws IllegalArgumentException when a limit is too small for a valid request
     */
    public Limits {
      if (maxLineBytes < 128 || maxRequestBytes < maxLineBytes || maxClients < 1) {
        throw new IllegalArgumentException("limits too small");
      }
      Objects.requireNonNull(requestTimeout);
    }
  }

  private final SocketFile socket;
  private final AcceptLoop clients;
  private volatile boolean closed;

  private UapiServer(SocketFile socket, AcceptLoop clients) {
    this.socket = socket;
    this.clients = clients;
  }

  /**
   * Starts serving {@code tunnel} on {@code <directory>/<tunnel.name()>.sock} with the default
   * limits. Closing the server removes the socket; the tunnel stays open.
   *
   * @param directory the socket directory, created (mode 0755) if missing
   * @param tunnel the tunnel to serve
   * @return the running server
   * @throws IOException when the directory cannot be created, the name is not a valid interface
   *     name, or another live process serves that socket ("unix socket in use")
   */
  public static UapiServer start(Path directory, Tunnel tunnel) throws IOException {
    return start(directory, tunnel, Limits.DEFAULT);
  }

  /**
   * Starts serving {@code tunnel} on {@code <directory>/<tunnel.name()>.sock}.
   *
   * @param directory the socket directory, created (mode 0755) if missing
   * @param tunnel the tunnel to serve
   * @param limits the bounds on each client
   * @return the running server; closing it removes the socket
   * @throws IOException when the directory cannot be created, the name is not a valid interface
   *     name, or another live process serves that socket ("unix socket in use")
   */
  public static UapiServer start(Path directory, Tunnel tunnel, Limits limits) throws IOException {
    Objects.requireNonNull(tunnel, "tunnel");
    Objects.requireNonNull(limits, "limits");
    SocketFile socket = SocketFile.bind(directory, tunnel.name(), 64);
    AcceptLoop clients =
        new AcceptLoop(tunnel.name(), socket.channel, limits, new Requests(tunnel));
    clients.start();
    LOG.log(Level.DEBUG, "UAPI listening on {0}", socket.path);
    return new UapiServer(socket, clients);
  }

  /**
   * The socket file, {@code <directory>/<name>.sock}.
   *
   * @return the socket file
   */
  public Path socketPath() {
    return socket.path;
  }

  /**
   * Whether our socket file is still in place: false once someone removed or replaced it, which
   * newer {@code wg-quick down} does to stop a userspace daemon.
   *
   * @return whether our socket file is still in place
   */
  public boolean isSocketPresent() {
    return socket.isPresent();
  }

  /** Stops accepting, disconnects every client, and removes the socket file if it is ours. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      socket.close();
    } catch (IOException e) {
      LOG.log(Level.DEBUG, "closing UAPI socket " + socket.path, e);
    }
    clients.close();
  }
}
