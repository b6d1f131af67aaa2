package io.wireguardjava.core;

import io.wireguardjava.crypto.DataPathWarmUp;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Once per JVM, when the first tunnel has bound its UDP socket: a short-lived daemon thread that
 * gets the JIT to compile the data path, so the first packets of a quiet tunnel are not run by the
 * interpreter. It sends {@value #ROUND_TRIPS} packets each way through a throwaway tunnel pair on
 * the loopback address ({@link LoopbackWarmUp}: the real loops, crypto and UDP transport); where
 * that pair cannot talk (no loopback), it seals and opens packets only ({@link DataPathWarmUp}). A
 * lone ping through a fresh tunnel took about 3 ms with no warm-up, through one warmed by traffic
 * about 1 ms. {@code -Dio.wireguardjava.core.warmUp=false} turns it off (the unit tests do).
 */
final class JitWarmUp {
  private static final System.Logger LOG = System.getLogger(JitWarmUp.class.getName());

  /** The system property that turns the warm-up off ({@code false}). */
  static final String PROPERTY = "io.wireguardjava.core.warmUp";

  /**
   * Seals and opens: enough for C2 to compile seal, open and the cipher's loops (tier 4 wants 5,000
   * invocations and 15,000 invocations plus loop iterations).
   */
  static final int ROUNDS = 10_000;

  /**
   * Packets each way through the loopback pair. Both tunnels of the pair run in this JVM, so a
   * method called once per packet is called twice per round trip: 6,000 calls, past the 5,000 after
   * which C2 compiles it (Tier4InvocationThreshold).
   */
  static final int ROUND_TRIPS = 3_000;

  private static final AtomicBoolean STARTED = new AtomicBoolean();

  private JitWarmUp() {}

  /**
   * Starts the warm-up thread unless it already ran in this JVM or the property says no.
   *
   * @param portableTransport whether the tunnel being started uses the JDK's portable UDP
   *     transport: the warm-up then uses it too
   */
  static void startOnce(boolean portableTransport) {
    if (!Boolean.parseBoolean(System.getProperty(PROPERTY, "true"))
        || !STARTED.compareAndSet(false, true)) {
      return;
    }
    Thread t = new Thread(() -> run(portableTransport), "wg-java-jit-warm-up");
    t.setDaemon(true);
    t.setPriority(Thread.MIN_PRIORITY);
    t.start();
  }

  private static void run(boolean portableTransport) {
    long start = System.nanoTime();
    try {
      int trips = LoopbackWarmUp.run(ROUND_TRIPS, portableTransport);
      LOG.log(
          System.Logger.Level.DEBUG,
          "JIT warm-up: {0} of {1} packets through a loopback tunnel pair and back in {2} ms",
          trips,
          ROUND_TRIPS,
          (System.nanoTime() - start) / 1_000_000);
      if (trips == ROUND_TRIPS) {
        return;
      }
    } catch (IOException | RuntimeException e) { // no loopback socket: the crypto alone below
      LOG.log(System.Logger.Level.DEBUG, "JIT warm-up on loopback failed", e);
    }
    try {
      int good = DataPathWarmUp.run(ROUNDS);
      LOG.log(
          System.Logger.Level.DEBUG,
          "JIT warm-up: {0} of {1} packets sealed and opened in {2} ms",
          good,
          ROUNDS,
          (System.nanoTime() - start) / 1_000_000);
    } catch (RuntimeException e) { // the cipher is broken: the tunnel's own packets will say so
      LOG.log(System.Logger.Level.DEBUG, "JIT warm-up failed", e);
    }
  }
}
