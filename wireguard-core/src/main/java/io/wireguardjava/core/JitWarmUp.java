package io.wireguardjava.core;

import io.wireguardjava.crypto.DataPathWarmUp;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Once per JVM, when the first tunnel starts: a short-lived daemon thread that gets the JIT to
 * compile the data path's crypto ({@link DataPathWarmUp}), so the first packets of a quiet tunnel
 * are not run by the interpreter. Measured on the netns bench (JDK 25, first 200 pings of a fresh
 * tunnel pair): the JIT compiler threads' CPU per ping fell from 0.9-1.2 ms to 0.55-0.65 ms. A lone
 * ping through a fresh tunnel takes about 3 ms, through one warmed by traffic about 1 ms; the rest
 * of the cold cost is our engine code and JNR's stubs, which only real packets warm. Costs one core
 * for a fraction of a second (10,000 seals and opens). {@code -Dio.wireguardjava.core.warmUp=false}
 * turns it off (the unit tests do).
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

  private static final AtomicBoolean STARTED = new AtomicBoolean();

  private JitWarmUp() {}

  /** Starts the warm-up thread unless it already ran in this JVM or the property says no. */
  static void startOnce() {
    if (!Boolean.parseBoolean(System.getProperty(PROPERTY, "true"))
        || !STARTED.compareAndSet(false, true)) {
      return;
    }
    Thread t = new Thread(JitWarmUp::run, "wg-java-jit-warm-up");
    t.setDaemon(true);
    t.setPriority(Thread.MIN_PRIORITY);
    t.start();
  }

  private static void run() {
    long start = System.nanoTime();
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
