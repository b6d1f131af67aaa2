package io.wireguardjava.uapi;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Accepts clients on the listening socket and gives each its own short-lived thread, at most {@link
 * UapiServer.Limits#maxClients} at once; one more thread turns the rest away with {@code
 * errno=-11}, a few at a time.
 */
final class AcceptLoop {
  private static final System.Logger LOG = System.getLogger(UapiServer.class.getName());

  /** A handler's stack: reading lines and parsing needs little; many idle ones must be cheap. */
  private static final long HANDLER_STACK_BYTES = 256 * 1024;

  private final String name;
  private final ServerSocketChannel server;
  private final UapiServer.Limits limits;
  private final Requests requests;
  private final Thread acceptor;
  private final Semaphore slots;
  private final Set<Connection> clients = ConcurrentHashMap.newKeySet();
  private final AtomicInteger connectionCount = new AtomicInteger();
  private final ThreadPoolExecutor busyResponder;
  private volatile boolean closed;

  AcceptLoop(String name, ServerSocketChannel server, UapiServer.Limits limits, Requests requests) {
    this.name = name;
    this.server = server;
    this.limits = limits;
    this.requests = requests;
    this.slots = new Semaphore(limits.maxClients());
    this.acceptor = new Thread(this::run, "wg-uapi-" + name + "-accept");
    acceptor.setDaemon(true);
    this.busyResponder =
        new ThreadPoolExecutor(
            1,
            1,
            10,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(16),
            r -> {
              Thread t = new Thread(r, "wg-uapi-" + name + "-busy");
              t.setDaemon(true);
              return t;
            });
    busyResponder.allowCoreThreadTimeOut(true);
  }

  void start() {
    acceptor.start();
  }

  boolean closed() {
    return closed;
  }

  /**
   * Stops accepting (the caller closes the listening socket) and disconnects every client; waits a
   * moment for the accept thread.
   */
  void close() {
    closed = true;
    for (Connection c : clients) {
      c.abort(); // closes its channel and wakes its selector
    }
    busyResponder.shutdownNow();
    if (Thread.currentThread() != acceptor) {
      try {
        acceptor.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void run() {
    while (!closed) {
      SocketChannel c;
      try {
        c = server.accept();
      } catch (IOException e) {
        if (!closed) {
          LOG.log(Level.WARNING, "UAPI accept failed on " + name, e);
        }
        return;
      }
      if (!slots.tryAcquire()) {
        turnAway(c);
        continue;
      }
      Connection conn = new Connection(c, false, limits, requests, this::closed);
      clients.add(conn);
      Thread t =
          new Thread(
              null,
              () -> {
                try {
                  conn.serve();
                } finally {
                  clients.remove(conn);
                  Connection.closeQuietly(c);
                  slots.release();
                }
              },
              "wg-uapi-" + name + "-" + connectionCount.incrementAndGet(),
              HANDLER_STACK_BYTES);
      t.setDaemon(true);
      t.start();
      if (closed) {
        conn.abort();
      }
    }
  }

  private void turnAway(SocketChannel c) {
    Connection busy = new Connection(c, true, limits, requests, this::closed);
    try {
      busyResponder.execute(
          () -> {
            try {
              busy.serve();
            } finally {
              Connection.closeQuietly(c);
            }
          });
    } catch (RejectedExecutionException e) {
      Connection.closeQuietly(c); // even the queue of clients to turn away is full
    }
  }
}
