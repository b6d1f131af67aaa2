package io.wireguardjava.netstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Blocking calls of the API (accept, connect, read, write on a full buffer, a read timeout, UDP
 * receive, ping) made from virtual threads must not pin their carrier: they wait on locks and
 * conditions, never in {@code synchronized}. Checked with JFR's {@code jdk.VirtualThreadPinned}
 * event (threshold 0), after a control that does pin shows the recording sees pinning at all. The
 * module is Java 17 bytecode, so virtual threads are made by reflection; on a runtime without them
 * (JDK 17-20) the test is skipped for that reason only.
 */
class VirtualThreadPinningTest {
  private static final String PINNED = "jdk.VirtualThreadPinned";
  private static final Duration T = Duration.ofSeconds(30);

  /** Parks in its class initializer: a virtual thread doing that stays pinned (JEP 491). */
  private static final class PinsInInitializer {
    static final long PARKED;

    static {
      long t = System.nanoTime();
      LockSupport.parkNanos(20_000_000L);
      PARKED = System.nanoTime() - t;
    }
  }

  @Test
  void blockingCallsFromVirtualThreadsDoNotPinTheirCarrier() throws Exception {
    Method start = virtualThreadStarter(); // skipped here on a runtime without virtual threads
    try (NetworkPair pair = new NetworkPair()) {
      check(start, pair);
    }
  }

  private static void check(Method start, NetworkPair pair) throws Exception {

    List<RecordedEvent> control =
        record(
            () -> {
              joinAll(List.of(virtual(start, () -> PinsInInitializer.PARKED)));
              return null;
            });
    assertThat(control)
        .as(
            "the recording sees a virtual thread pinned in a class initializer (else it proves nothing)")
        .isNotEmpty();

    List<RecordedEvent> pinned = record(() -> workload(start, pair));
    assertThat(pinned)
        .as("pinned virtual threads in our blocking calls:%n%s", describe(pinned))
        .isEmpty();
  }

  /** Every blocking call of the API once, each on its own virtual thread. */
  private static Void workload(Method start, NetworkPair pair) throws Exception {
    byte[] payload = new byte[4 * 1024 * 1024]; // more than the buffers: writes block on the window
    new Random(7).nextBytes(payload);
    List<CompletableFuture<?>> all = new ArrayList<>();
    try (ServerSocket server = pair.b.listen(9100)) {
      all.add(
          virtual(
              start,
              () -> {
                try (Socket s = server.accept()) { // blocks until the client connects
                  byte[] got = s.getInputStream().readAllBytes(); // blocks on every read
                  s.getOutputStream().write(MessageDigest.getInstance("SHA-256").digest(got));
                  return got.length;
                }
              }));
      all.add(
          virtual(
              start,
              () -> {
                try (Socket c = pair.a.connect(new InetSocketAddress(NetworkPair.B4, 9100), T)) {
                  OutputStream out = c.getOutputStream();
                  out.write(payload); // blocks while the send buffer is full
                  c.shutdownOutput();
                  byte[] sha = c.getInputStream().readAllBytes();
                  assertThat(sha).isEqualTo(MessageDigest.getInstance("SHA-256").digest(payload));
                  return sha.length;
                }
              }));
      all.add(
          virtual(
              start,
              () -> {
                try (ServerSocket idle = pair.b.listen(9101);
                    Socket c = pair.a.connect(new InetSocketAddress(NetworkPair.B4, 9101), T);
                    Socket quiet = idle.accept()) {
                  c.setSoTimeout(200);
                  InputStream in = c.getInputStream();
                  assertThatThrownBy(in::read).isInstanceOf(SocketTimeoutException.class);
                  return quiet.isConnected();
                }
              }));
      try (TunnelDatagramSocket rx = pair.b.openDatagram(9102);
          TunnelDatagramSocket tx = pair.a.openDatagram(0)) {
        rx.setSoTimeout(T);
        CompletableFuture<InetSocketAddress> received =
            virtual(start, () -> rx.receive(ByteBuffer.allocate(100))); // blocks until it comes
        Thread.sleep(100);
        tx.send(ByteBuffer.wrap(new byte[] {1, 2, 3}), new InetSocketAddress(NetworkPair.B4, 9102));
        all.add(received);
        all.add(virtual(start, () -> pair.a.ping(NetworkPair.B4, T)));
        joinAll(all);
      }
    }
    return null;
  }

  /** Runs {@code body} inside a JFR recording of pinned virtual threads; returns the events. */
  private static List<RecordedEvent> record(Callable<?> body) throws Exception {
    Path file = Files.createTempFile("pinning", ".jfr");
    try (Recording r = new Recording()) {
      r.enable(PINNED).withThreshold(Duration.ZERO).withStackTrace();
      r.start();
      body.call();
      r.stop();
      r.dump(file);
      return RecordingFile.readAllEvents(file).stream()
          .filter(e -> e.getEventType().getName().equals(PINNED))
          .collect(Collectors.toList());
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static String describe(List<RecordedEvent> events) {
    StringBuilder b = new StringBuilder();
    for (RecordedEvent e : events) {
      b.append("pinned for ").append(e.getDuration()).append(" at\n");
      if (e.getStackTrace() != null) {
        for (RecordedFrame f : e.getStackTrace().getFrames()) {
          b.append("    ").append(f.getMethod().getType().getName()).append('.');
          b.append(f.getMethod().getName()).append(':').append(f.getLineNumber()).append('\n');
        }
      }
    }
    return b.toString();
  }

  private static void joinAll(List<? extends CompletableFuture<?>> futures) throws Exception {
    for (CompletableFuture<?> f : futures) {
      f.get(T.toSeconds(), TimeUnit.SECONDS);
    }
  }

  /** {@code Thread.startVirtualThread} of JDK 21+, or the test is skipped for lack of it. */
  private static Method virtualThreadStarter() {
    try {
      return Thread.class.getMethod("startVirtualThread", Runnable.class);
    } catch (NoSuchMethodException e) {
      Assumptions.abort("this runtime (JDK " + Runtime.version() + ") has no virtual threads");
      throw new AssertionError(e);
    }
  }

  /** Runs {@code c} on a new virtual thread. */
  private static <V> CompletableFuture<V> virtual(Method start, Callable<V> c) throws Exception {
    CompletableFuture<V> f = new CompletableFuture<>();
    Runnable r =
        () -> {
          try {
            f.complete(c.call());
          } catch (Throwable e) {
            f.completeExceptionally(e);
          }
        };
    start.invoke(null, r);
    return f;
  }
}
