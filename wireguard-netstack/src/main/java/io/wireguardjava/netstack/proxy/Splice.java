package io.wireguardjava.netstack.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Joins two connected sockets: one bounded buffer per direction, one thread per direction.
 *
 * <ol>
 *   <li>Back-pressure: a thread reads at most {@link #BUFFER_SIZE} bytes and blocks writing them
 *       until the other side takes them, so a slow reader slows the writer and memory stays at two
 *       buffers per connection, whatever the rates.
 *   <li>Half-close: the end of one direction (FIN) becomes {@code shutdownOutput} (FIN) on the
 *       other socket; the other direction goes on until its own end.
 *   <li>Reset: a failed read or write on either side (a reset, or the listener closing) aborts both
 *       sockets with SO_LINGER 0, so a reset is passed on as a reset and not as a clean FIN.
 * </ol>
 */
final class Splice {
  /** Bytes in flight per direction held by the proxy itself. */
  static final int BUFFER_SIZE = 32 * 1024;

  private final Socket client;
  private final InputStream clientIn;
  private final Socket server;
  private final Counters counters;
  private final AtomicBoolean aborted = new AtomicBoolean();

  /**
   * @param clientIn the client's input, which may still hold bytes a protocol parser read ahead
   */
  Splice(Socket client, InputStream clientIn, Socket server, Counters counters) {
    this.client = client;
    this.clientIn = clientIn;
    this.server = server;
    this.counters = counters;
  }

  /**
   * Copies client to server on the calling thread and server to client on one thread of {@code
   * executor}; returns when both directions ended, with both sockets closed.
   */
  void run(Executor executor) {
    CountDownLatch downDone = new CountDownLatch(1);
    try {
      executor.execute(
          () -> {
            try {
              pump(input(server), server, client, counters.bytesIn);
            } finally {
              downDone.countDown();
            }
          });
    } catch (RejectedExecutionException e) {
      abortBoth();
      return;
    }
    pump(clientIn, client, server, counters.bytesOut);
    try {
      downDone.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      abortBoth();
    }
    Sockets.closeQuietly(client);
    Sockets.closeQuietly(server);
  }

  private InputStream input(Socket s) {
    try {
      return s.getInputStream();
    } catch (IOException e) {
      return InputStream.nullInputStream();
    }
  }

  /** One direction: until EOF (passed on as FIN) or an error (both sides reset). */
  private void pump(InputStream in, Socket from, Socket to, LongAdder bytes) {
    byte[] buffer = new byte[BUFFER_SIZE];
    OutputStream out;
    try {
      out = to.getOutputStream();
    } catch (IOException e) {
      abortBoth();
      return;
    }
    while (true) {
      int n;
      try {
        n = in.read(buffer);
      } catch (IOException e) {
        abortBoth();
        return;
      }
      if (n < 0) {
        Sockets.shutdownOutput(to);
        return;
      }
      bytes.add(n); // before the write: whoever sees the bytes sees them counted
      try {
        out.write(buffer, 0, n);
      } catch (IOException e) {
        abortBoth();
        return;
      }
    }
  }

  private void abortBoth() {
    if (aborted.compareAndSet(false, true)) {
      counters.resets.increment();
      Sockets.abort(client);
      Sockets.abort(server);
    }
  }
}
