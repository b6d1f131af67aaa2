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
 * Drives a {@link Stack} from a tunnel with two threads:
 *
 * <ol>
 *   <li>the reader ({@code wg-java-<name>-netstack-rx}) blocks in {@link TunnelPackets#receive}
 *       into a free buffer of a preallocated pool and hands the filled buffer over;
 *   <li>the stack thread ({@code wg-java-<name>-netstack}) owns all protocol state: it waits on one
 *       condition for packets, for {@link #wake} (application work) or for the stack's next
 *       deadline, then feeds the packets to {@link Stack#onPacket}, recycles the buffers, runs
 *       queued tasks and calls {@link Stack#poll}.
 * </ol>
 *
 * Outbound packets are written to the tunnel by the stack thread (through the stack's {@link
 * PacketOutput}), so a full tunnel queue slows the stack, not the application's threads directly.
 */
public final class StackThread implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(StackThread.class.getName());

  /** Inbound packets buffered between the reader and the stack thread. */
  public static final int INBOUND_SLOTS = 512;

  /** Inbound packets handled between two polls at most. */
  static final int MAX_BATCH = 64;

  private static final Duration READ_POLL = Duration.ofMillis(200);

  private final Stack stack;
  private final TunnelPackets packets;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition work = lock.newCondition();
  private final ArrayBlockingQueue<byte[]> free;
  private final ArrayBlockingQueue<byte[]> ready;
  private final ArrayBlockingQueue<Runnable> tasks = new ArrayBlockingQueue<>(1024);
  private final Thread reader;
  private final Thread runner;
  private boolean woken;
  private volatile boolean stopping;

  /**
   * Creates the threads (not started). Each inbound buffer carries the packet's length in its first
   * four bytes, so the hand-over queue needs no wrapper objects.
   */
  private StackThread(
      java.util.function.Function<Runnable, Stack> stackFactory,
      TunnelPackets packets,
      String name,
      java.util.concurrent.ThreadFactory threads) {
    this.stack = stackFactory.apply(this::wake);
    this.packets = packets;
    int size = Math.max(packets.mtu(), stack.mtu()) + 4;
    this.free = new ArrayBlockingQueue<>(INBOUND_SLOTS);
    this.ready = new ArrayBlockingQueue<>(INBOUND_SLOTS);
    for (int i = 0; i < INBOUND_SLOTS; i++) {
      free.add(new byte[size]);
    }
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
        byte[] buf = free.poll(READ_POLL.toMillis(), TimeUnit.MILLISECONDS);
        if (buf == null) {
          continue; // the stack thread is behind: tunnel packets wait in the tunnel's queue
        }
        int n = packets.receive(buf, 4, buf.length - 4, READ_POLL);
        if (n < 0) {
          break; // the tunnel closed
        }
        if (n == 0) {
          free.offer(buf);
          continue;
        }
        buf[0] = (byte) (n >>> 24);
        buf[1] = (byte) (n >>> 16);
        buf[2] = (byte) (n >>> 8);
        buf[3] = (byte) n;
        ready.offer(buf);
        wake();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException | RuntimeException e) {
      if (!stopping) {
        LOG.log(Level.DEBUG, "tunnel read failed; the tunnel network stops receiving", e);
      }
    }
  }

  private void runLoop() {
    try {
      while (!stopping) {
        awaitWork();
        long now = System.nanoTime();
        if (!ready.isEmpty()) {
          stack.beginBatch(); // the poll below ends it
        }
        // A bounded batch: the poll that ends it sends its ACKs and runs timers even in a flood.
        byte[] buf;
        for (int i = 0; i < MAX_BATCH && (buf = ready.poll()) != null; i++) {
          int n =
              (buf[0] & 0xff) << 24
                  | (buf[1] & 0xff) << 16
                  | (buf[2] & 0xff) << 8
                  | (buf[3] & 0xff);
          try {
            stack.onPacket(buf, 4, n, now);
          } catch (RuntimeException e) {
            // A bug on one packet must not stop the stack: counted as malformed, logged at DEBUG.
            stack.counters().drop(StackDrop.MALFORMED);
            LOG.log(Level.DEBUG, "packet handling failed", e);
          }
          free.offer(buf);
        }
        for (Runnable task; (task = tasks.poll()) != null; ) {
          task.run();
        }
        stack.poll(System.nanoTime());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "the tunnel network's stack thread failed", e);
    }
  }

  private void awaitWork() throws InterruptedException {
    lock.lock();
    try {
      while (!woken && ready.isEmpty() && !stopping) {
        long deadline = stack.nextDeadline();
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
