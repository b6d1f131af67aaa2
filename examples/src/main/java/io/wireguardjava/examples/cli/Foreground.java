package io.wireguardjava.examples.cli;

import io.wireguardjava.Key;
import io.wireguardjava.TunnelListener;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What {@code proxy} and {@code forward} share: timestamped lines (one per listener, one per
 * handshake), and staying in the foreground until SIGINT/SIGTERM (a shutdown hook) or {@link
 * #stop()}.
 */
final class Foreground {
  private final PrintWriter out;
  private final CountDownLatch stop = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);

  Foreground(PrintWriter out) {
    this.out = out;
  }

  /** Prints {@code HH:MM:SS line}, flushed at once so a test or script reading it sees it. */
  void log(String line) {
    out.println(LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + " " + line);
    out.flush();
  }

  /**
   * One line per completed handshake, endpoint change and stale peer: a listener for {@link
   * io.wireguardjava.TunnelOptions.Builder#listener}, so that it is there from the first packet.
   */
  TunnelListener handshakeLog() {
    return new TunnelListener() {
      @Override
      public void onHandshakeCompleted(Key peer, Duration took) {
        log(
            "handshake completed with peer "
                + peer.toBase64()
                + (took.isZero() ? " (initiated by the peer)" : " in " + took.toMillis() + " ms"));
      }

      @Override
      public void onEndpointChanged(Key peer, InetSocketAddress endpoint) {
        log("peer " + peer.toBase64() + " endpoint is now " + format(endpoint));
      }

      @Override
      public void onPeerStale(Key peer) {
        log("peer " + peer.toBase64() + " is stale: no handshake");
      }
    };
  }

  /**
   * Blocks until SIGINT/SIGTERM or {@link #stop()}, then runs {@code shutdown} once and prints
   * "stopped"; the hook waits for both, so a signal's exit does not cut them short.
   */
  void runUntilStopped(Runnable shutdown) {
    Thread hook =
        new Thread(
            () -> {
              stop.countDown();
              try {
                stopped.await(5, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "wg-java-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      stop.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      try {
        shutdown.run();
        log("stopped");
      } finally {
        // only now may a signal's JVM exit go on: the last line is out
        stopped.countDown();
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
          // the JVM is shutting down: the hook is running
        }
      }
    }
  }

  /** Ends {@link #runUntilStopped} as a signal would (tests). */
  void stop() {
    stop.countDown();
  }

  /** {@code host:port}, {@code [v6]:port}. */
  static String format(InetSocketAddress a) {
    String host = a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
  }
}
