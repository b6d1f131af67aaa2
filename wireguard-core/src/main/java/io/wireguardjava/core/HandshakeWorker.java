package io.wireguardjava.core;

import io.wireguardjava.DropReason;
import io.wireguardjava.crypto.CookieChecker;
import io.wireguardjava.crypto.Protocol;
import io.wireguardjava.crypto.StaticIdentity;
import io.wireguardjava.crypto.TimeSource;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.function.Consumer;

/**
 * The handshake thread: consumes the handshake messages the receive thread queued, sends the
 * initiations peers asked for, and runs every peer's timers. The Diffie-Hellman work happens only
 * here (in {@link Handshakes}), so a flood of handshake messages costs this thread, never the data
 * path.
 *
 * <p>Each message first passes the cheap gate: MAC1; then, when the queue holds {@link
 * Limits#UNDER_LOAD_QUEUE_LENGTH} messages or more (and for a second afterwards), a valid MAC2,
 * else a cookie reply is sent instead of a handshake; and a per-source rate limit (the kernel's
 * {@code receive.c} and {@code cookie.c}).
 */
final class HandshakeWorker implements Runnable, HandshakeInbox, HandshakeRequests {
  private static final System.Logger LOG = System.getLogger(HandshakeWorker.class.getName());

  private final Handshakes handshakes;
  private final Scheduler scheduler;
  private final Events events;
  private final DatagramSender sender;
  private final TimeSource clock;
  private final HandshakeQueue queue = new HandshakeQueue(Limits.MAX_QUEUED_INCOMING_HANDSHAKES);
  private final ArrayBlockingQueue<PeerState> requests =
      new ArrayBlockingQueue<>(Limits.MAX_QUEUED_INCOMING_HANDSHAKES);
  private final RateLimiter rateLimiter;
  private final byte[] message = new byte[HandshakeQueue.SLOT];
  private final int[] length = new int[1];

  /** Counts and logs a timer action that threw; created once, so the loop does not allocate. */
  private final Consumer<RuntimeException> timerFailed = e -> failed("a timer action", e);

  private long underLoadUntil;
  private volatile boolean stopped;

  /** Loop iterations completed; tests wait on it to know the thread caught up. */
  private volatile long rounds;

  /**
   * @param handshakes the protocol work
   * @param scheduler the timers this thread runs, and its wait point
   * @param events counts what is dropped
   * @param sender where cookie replies go
   * @param clock the tunnel's clock (the under-load window, the rate limiter)
   */
  HandshakeWorker(
      Handshakes handshakes,
      Scheduler scheduler,
      Events events,
      DatagramSender sender,
      TimeSource clock) {
    this.handshakes = handshakes;
    this.scheduler = scheduler;
    this.events = events;
    this.sender = sender;
    this.clock = clock;
    this.rateLimiter = new RateLimiter(clock);
  }

  // ---- called by other threads ----

  /** Receive thread: queues a handshake message; false when the queue is full. */
  @Override
  public boolean offer(byte[] buf, int off, int len, InetSocketAddress from) {
    if (!queue.offer(buf, off, len, from)) {
      return false;
    }
    scheduler.wakeup();
    return true;
  }

  /** Any thread: asks for an initiation to {@code peer}; repeated requests collapse. */
  @Override
  public void request(PeerState peer) {
    if (peer.handshakeRequested.compareAndSet(false, true)) {
      if (requests.offer(peer)) {
        scheduler.wakeup();
      } else {
        peer.handshakeRequested.set(false);
      }
    }
  }

  /** For tests: returns once the thread has run its timers and emptied its queues. */
  void awaitIdle() throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    long start = rounds;
    scheduler.wakeup();
    while ((rounds < start + 2 || queue.size() > 0 || !requests.isEmpty())
        && System.nanoTime() < deadline
        && !stopped) {
      scheduler.wakeup();
      Thread.sleep(1);
    }
  }

  void stop() {
    stopped = true;
    scheduler.wakeup();
  }

  /** After the thread ended: wipe the queued messages. */
  void destroy() {
    queue.clear();
    Arrays.fill(message, (byte) 0);
  }

  // ---- the thread ----

  @Override
  public void run() {
    try {
      while (!stopped) {
        long next = scheduler.runDue(timerFailed);
        boolean worked = false;
        // A bounded batch of messages, then timers and requests again: neither starves.
        for (int i = 0; i < 64 && !stopped; i++) {
          InetSocketAddress from = queue.poll(message, length);
          if (from == null) {
            break;
          }
          worked = true;
          try {
            processMessage(message, length[0], from);
          } catch (RuntimeException e) { // a bug must not stop the handshake thread
            failed("a handshake message", e);
          }
        }
        PeerState p;
        while (!stopped && (p = requests.poll()) != null) {
          worked = true;
          p.handshakeRequested.set(false);
          if (!p.removed) {
            try {
              handshakes.sendInitiation(p, false);
            } catch (RuntimeException e) {
              failed("an initiation", e);
            }
          }
        }
        rounds++;
        if (!worked) {
          scheduler.await(next);
        }
      }
    } catch (InterruptedException e) {
      // closing
    } catch (RuntimeException | Error e) {
      if (!stopped) {
        LOG.log(Level.ERROR, "handshake thread failed", e);
      }
    }
  }

  /**
   * Counts an unexpected exception as an {@link DropReason#INTERNAL_ERROR} drop and logs it; the
   * thread carries on. The log names the exception only: no message bytes, no keys.
   */
  private void failed(String what, RuntimeException e) {
    events.drop(DropReason.INTERNAL_ERROR, null);
    LOG.log(Level.WARNING, "handshake thread: " + what + " failed; carrying on", e);
  }

  private void processMessage(byte[] msg, int len, InetSocketAddress from) {
    int type = msg[0] & 0xFF;
    StaticIdentity id = handshakes.identity();
    if (id == null) {
      events.drop(DropReason.HANDSHAKE_INVALID, null);
      return;
    }
    if (type == Protocol.TYPE_COOKIE_REPLY) {
      handshakes.consumeCookieReply(msg, len);
      return;
    }
    boolean underLoad = underLoad();
    byte[] address = from.getAddress().getAddress();
    CookieChecker checker = handshakes.cookieChecker();
    if (checker == null) {
      return;
    }
    CookieChecker.Verdict v = checker.check(msg, 0, len, address, from.getPort(), underLoad);
    if (v == CookieChecker.Verdict.INVALID_MAC1) {
      events.drop(DropReason.HANDSHAKE_INVALID, null);
      return;
    }
    if (v == CookieChecker.Verdict.NEEDS_COOKIE) {
      SendContext ctx = handshakes.context();
      int n = checker.writeCookieReply(msg, 0, len, address, from.getPort(), ctx.datagram, 0);
      try {
        sender.send(ctx.frame(n), from);
      } catch (IOException e) {
        // best effort
      }
      events.drop(DropReason.COOKIE_SENT, null);
      return;
    }
    if (underLoad && !rateLimiter.allow(from.getAddress())) {
      events.drop(DropReason.RATE_LIMITED, null);
      return;
    }
    if (type == Protocol.TYPE_INITIATION) {
      handshakes.consumeInitiation(id, msg, len, from);
    } else {
      handshakes.consumeResponse(msg, len, from);
    }
  }

  private boolean underLoad() {
    long now = clock.nanoTime();
    if (queue.size() >= Limits.UNDER_LOAD_QUEUE_LENGTH) {
      underLoadUntil = now + Limits.UNDER_LOAD_AFTER_NANOS;
      return true;
    }
    return now - underLoadUntil < 0;
  }
}
