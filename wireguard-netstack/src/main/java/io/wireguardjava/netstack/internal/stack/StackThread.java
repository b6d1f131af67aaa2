package io.wireguardjava.netstack.internal.stack;

import io.wireguardjava.TunnelPackets;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Drives a {@link Stack} from a tunnel with two threads that take turns on it under one lock (the
 * stack itself is single-threaded: whoever holds {@code stackLock} is "the stack thread"):
 *
 * <ol>
 *   <li>the receiver ({@code wg-java-<name>-netstack-rx}) blocks in {@link TunnelPackets#receive}
 *       into its one buffer, then, holding the stack, hands that packet and every packet already
 *       queued behind it (up to {@link #MAX_BATCH}) to {@link Stack#onPacket} as one batch and ends
 *       it with {@link Stack#poll}. A packet goes from the tunnel into TCP on the thread that
 *       received it: no hand-over queue, no second copy, no wake-up per packet;
 *   <li>the timer thread ({@code wg-java-<name>-netstack}) waits on one condition for {@link #wake}
 *       (application work) or for the stack's next deadline, then runs queued tasks and {@link
 *       Stack#poll}.
 * </ol>
 *
 * The timer thread publishes the deadline it sleeps towards while still holding the stack; a
 * receiver batch that leaves an earlier one wakes it, so no deadline is slept through.
 *
 * <p>Outbound packets are written to the tunnel by whichever thread holds the stack (through the
 * stack's {@link PacketOutput}), so a full tunnel queue slows the stack, not the application's
 * threads directly.
 */
public final class StackThread implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(StackThread.class.getName());

  /** Inbound packets handled between two polls at most. */
  static final int MAX_BATCH = 64;

  private static final Duration READ_POLL = Duration.ofMillis(200);

  private final Stack stack;
  private final TunnelPackets packets;
  private final byte[] inbound;

  /** Held by whichever thread runs the stack. */
  private final ReentrantLock stackLock = new ReentrantLock();

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition work = lock.newCondition();
  private final ArrayBlockingQueue<Runnable> tasks = new ArrayBlockingQueue<>(1024);
  private final Thread reader;
  private final Thread runner;
  private boolean woken;

  /** The deadline the timer thread sleeps towards; written with the stack held. */
  private volatile long timerDeadline = Long.MIN_VALUE;

  private volatile boolean stopping;

  /** Creates the threads (not started). */
  private StackThread(
      java.util.function.Function<Runnable, Stack> stackFactory,
      TunnelPackets packets,
      String name,
      java.util.concurrent.ThreadFactory threads) {
    this.stack = stackFactory.apply(this::wake);
    this.packets = packets;
    this.inbound = new byte[Math.max(packets.mtu(), stack.mtu())];
    this.reader = threads.newThread(this::readLoop);
    this.reader.setName("wg-java-" + name + "-netstack-rx");
    this.runner = threads.newThread(this::runLoop);
    this.runner.setName("wg-java-" + name + "-netstack");
  }

  /**
   * Creates the stack and starts its threads.
   *
   * @param stackFactory builds the stack from the wake hook to give it
   * @param packets the tunnel's packets
   * @param name the tunnel's name, for thread names
   * @return the running thread pair
   */
  public static StackThread start(
      java.util.function.Function<Runnable, Stack> stackFactory,
      TunnelPackets packets,
      String name) {
    StackThread t =
        new StackThread(
            stackFactory,
            packets,
            name,
            r -> {
              Thread th = new Thread(r);
              th.setDaemon(true);
              return th;
            });
    t.reader.start();
    t.runner.start();
    return t;
  }

  /**
   * The stack this thread drives.
   *
   * @return the stack
   */
  public Stack stack() {
    return stack;
  }

  /** Asks the stack thread to poll soon. Any thread. */
  public void wake() {
    lock.lock();
    try {
      woken = true;
      work.signal();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Runs {@code task} on the stack thread, with the stack, at its next turn.
   *
   * @param task the work
   * @throws IllegalStateException when stopped or too many tasks are queued
   */
  public void execute(Consumer<Stack> task) {
    if (stopping || !tasks.offer(() -> task.accept(stack))) {
      throw new IllegalStateException("the tunnel network's stack thread is not accepting work");
    }
    wake();
  }

  private void readLoop() {
    try {
      while (!stopping) {
        int n = packets.receive(inbound, 0, inbound.length, READ_POLL);
        if (n < 0) {
          break; // the tunnel closed
        }
        if (n > 0 && !stopping) {
          takeBatch(n);
        }
      }
    } catch (IOException | RuntimeException e) {
      if (!stopping) {
        LOG.log(Level.DEBUG, "tunnel read failed; the tunnel network stops receiving", e);
      }
    }
  }

  /** The packet of {@code first} bytes in {@link #inbound}, and those queued behind it. */
  private void takeBatch(int first) throws IOException {
    long deadline;
    stackLock.lock();
    try {
      long now = System.nanoTime();
      stack.beginBatch(); // the poll below ends it
      int n = first;
      for (int i = 0; i < MAX_BATCH && n > 0; i++) {
        try {
          stack.onPacket(inbound, 0, n, now);
        } catch (RuntimeException e) {
          // A bug on one packet must not stop the stack: counted as malformed, logged at DEBUG.
          stack.counters().drop(StackDrop.MALFORMED);
          LOG.log(Level.DEBUG, "packet handling failed", e);
        }
        n = i + 1 < MAX_BATCH ? packets.receive(inbound, 0, inbound.length, Duration.ZERO) : 0;
      }
      stack.poll(System.nanoTime());
      deadline = stack.nextDeadline();
    } finally {
      stackLock.unlock();
    }
    if (deadline < timerDeadline) {
      wake(); // the batch armed a timer before the one the timer thread sleeps towards
    }
  }

  private void runLoop() {
    try {
      while (!stopping) {
        long deadline;
        stackLock.lock();
        try {
          for (Runnable task; (task = tasks.poll()) != null; ) {
            task.run();
          }
          stack.poll(System.nanoTime());
          deadline = stack.nextDeadline();
          timerDeadline = deadline;
        } finally {
          stackLock.unlock();
        }
        awaitWork(deadline);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "the tunnel network's stack thread failed", e);
    }
  }

  private void awaitWork(long deadline) throws InterruptedException {
    lock.lock();
    try {
      while (!woken && !stopping) {
        long wait = deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime();
        if (wait <= 0) {
          break;
        }
        work.awaitNanos(Math.min(wait, TimeUnit.SECONDS.toNanos(1)));
      }
      woken = false;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Runs {@code last} on the stack thread (closing connections), then stops both threads and waits
   * for them.
   *
   * @param last the final work, run before stopping
   */
  public void stop(Consumer<Stack> last) {
    if (stopping) {
      return;
    }
    java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
    try {
      execute(
          s -> {
            try {
              last.accept(s);
              s.poll(System.nanoTime());
            } finally {
              done.countDown();
            }
          });
      done.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IllegalStateException e) {
      // already stopping
    }
    stopping = true;
    wake();
    try {
      runner.join(5000);
      reader.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stop(s -> {});
  }

  /**
   * Whether both threads have ended (for leak checks).
   *
   * @return whether stopped
   */
  public boolean isStopped() {
    return !runner.isAlive() && !reader.isAlive();
  }
}
