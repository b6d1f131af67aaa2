package io.wireguardjava.netstack.proxy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP listener with an accept thread and a pool of daemon threads named after it, at most {@code
 * maxConnections} connections at once (more are closed at once and counted as rejected). Closing it
 * closes the listening socket and every connection still open.
 *
 * <p>The pool grows as needed: its size is bounded by the connection limit times the threads one
 * connection uses (two for a splice, three for a UDP association).
 */
final class TcpService implements AutoCloseable {
  /** Handles one accepted connection on a pool thread; the service closes the client after. */
  interface Handler {
    /**
     * Serves {@code client}; may run more work on {@code executor} (for the second direction of a
     * splice) and must return only when the connection is done.
     */
    void handle(Socket client, Connection connection, ExecutorService executor) throws IOException;
  }

  private static final System.Logger LOG = System.getLogger(TcpService.class.getName());

  private final String name;
  private final ServerSocket server;
  private final Handler handler;
  private final Counters counters;
  private final Semaphore slots;
  private final ThreadPoolExecutor pool;
  private final Set<Connection> open = ConcurrentHashMap.newKeySet();
  private final Thread acceptor;
  private volatile boolean closed;

  /** Starts accepting on {@code server} at once. */
  TcpService(
      String name, ServerSocket server, int maxConnections, Handler handler, Counters counters) {
    this.name = name;
    this.server = server;
    this.handler = handler;
    this.counters = counters;
    this.slots = new Semaphore(maxConnections);
    this.pool =
        new ThreadPoolExecutor(
            0,
            Integer.MAX_VALUE,
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            daemonThreads(name));
    this.acceptor = new Thread(this::acceptLoop, name + "-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Daemon threads called {@code name-1}, {@code name-2}, ... */
  static ThreadFactory daemonThreads(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** The bound address (the port chosen when 0 was asked for). */
  InetSocketAddress localAddress() {
    return (InetSocketAddress) server.getLocalSocketAddress();
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        if (server.isClosed()) {
          return; // closed under us (the tunnel network went away)
        }
        if (!closed) {
          LOG.log(System.Logger.Level.DEBUG, () -> name + ": accept failed: " + e);
          pauseAfterAcceptFailure();
        }
        continue;
      }
      if (!slots.tryAcquire()) {
        counters.rejected.increment();
        Sockets.abort(client);
        continue;
      }
      counters.accepted.increment();
      counters.active.increment();
      Connection connection = new Connection(client);
      open.add(connection);
      try {
        pool.execute(() -> serve(client, connection));
      } catch (RuntimeException e) {
        // the pool was shut down by close()
        finish(connection);
      }
    }
  }

  /** Out of file descriptors, say: do not spin on the error. */
  private static void pauseAfterAcceptFailure() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void serve(Socket client, Connection connection) {
    try {
      handler.handle(client, connection, pool);
    } catch (IOException | RuntimeException e) {
      LOG.log(
          System.Logger.Level.DEBUG,
          () -> name + ": connection from " + Sockets.remote(client) + " ended: " + e);
    } finally {
      Sockets.closeQuietly(client);
      finish(connection);
    }
  }

  private void finish(Connection connection) {
    if (open.remove(connection)) {
      connection.closeAll();
      counters.active.decrement();
      slots.release();
    }
  }

  /** Stops accepting and closes every open connection; waits briefly for the threads. */
  @Override
  public void close() {
    closed = true;
    Sockets.closeQuietly(server);
    for (Connection c : open) {
      c.closeAll();
    }
    pool.shutdown();
    try {
      acceptor.join(TimeUnit.SECONDS.toMillis(2));
      pool.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
