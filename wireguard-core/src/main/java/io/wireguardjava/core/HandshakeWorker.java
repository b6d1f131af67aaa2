package io.wireguardjava.core;

import io.wireguardjava.DropReason;
import io.wireguardjava.crypto.CookieChecker;
import io.wireguardjava.crypto.Protocol;
import io.wireguardjava.crypto.StaticIdentity;
import io.wireguardjava.crypto.TimeSource;
import io.wireguardjava.spi.DatagramAddress;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.function.Consumer;

/**
 * The handshake thread: consumes the handshake messages the receive thread admitted, sends the
 * initiations peers asked for, and runs every peer's timers. The Diffie-Hellman work happens only
 * here (in {@link Handshakes}), so a flood of handshake messages costs this thread, never the data
 * path.
 *
 * <p>The cheap checks run before a message gets here, on the receive thread ({@link HandshakeGate}:
 * MAC1, the under-load decision, MAC2, cookie replies, the per-source rate limit). Two queues of
 * preallocated slots: messages that showed a valid MAC2 under load, served first, and messages
 * admitted on MAC1 alone (and cookie replies), whose length is the under-load signal ({@link
 * HandshakeLoad}). A MAC1-only message is checked again when it is taken (MAC1, and MAC2 if the
 * load began while it waited: a BLAKE2s beside a Diffie-Hellman), so a backlog queued before the
 * load is answered with cookies rather than with Diffie-Hellmans.
 */
final class HandshakeWorker implements Runnable, HandshakeRequests {
  private static final System.Logger LOG = System.getLogger(HandshakeWorker.class.getName());

  private final Handshakes handshakes;
  private final Scheduler scheduler;
  private final Events events;
  private final DatagramSender sender;
  private final HandshakeQueue verified = new HandshakeQueue(Limits.MAX_QUEUED_VERIFIED_HANDSHAKES);
  private final HandshakeQueue unverified =
      new HandshakeQueue(Limits.MAX_QUEUED_INCOMING_HANDSHAKES);
  private final ArrayBlockingQueue<PeerState> requests =
      new ArrayBlockingQueue<>(Limits.MAX_QUEUED_INCOMING_HANDSHAKES);
  private final HandshakeLoad load;
  private final HandshakeGate gate;
  private final byte[] message = new byte[HandshakeQueue.SLOT];
  private final int[] length = new int[1];
  private final DatagramAddress from = new DatagramAddress();
  private final CookieSource source = new CookieSource();

  /** Counts and logs a timer action that threw; created once, so the loop does not allocate. */
  private final Consumer<RuntimeException> timerFailed = e -> failed("a timer action", e);

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
    this.load = new HandshakeLoad(unverified, clock);
    this.gate =
        new HandshakeGate(this::admit, load, handshakes, events, sender, new RateLimiter(clock));
  }

  // ---- called by other threads ----

  /** The cheap checks in front of this thread's queues (run on a thread of their own). */
  HandshakeGate gate() {
    return gate;
  }

  /**
   * Copies a message into the verified or the MAC1-only queue and wakes this thread; the gate's way
   * in (tests put messages straight in).
   *
   * @return false when that queue is full
   */
  boolean admit(boolean isVerified, byte[] buf, int off, int len, DatagramAddress from) {
    if (!(isVerified ? verified : unverified).offer(buf, off, len, from)) {
      return false;
    }
    scheduler.wakeup();
    return true;
  }

  /** As {@link #admit(boolean, byte[], int, int, DatagramAddress)}, for tests. */
  boolean admit(boolean isVerified, byte[] buf, int off, int len, InetSocketAddress from) {
    return admit(isVerified, buf, off, len, DatagramAddress.of(from));
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
    while ((rounds < start + 2 || queued() > 0 || !requests.isEmpty())
        && System.nanoTime() < deadline
        && !stopped) {
      scheduler.wakeup();
      Thread.sleep(1);
    }
  }

  /** Messages waiting in both queues. */
  int queued() {
    return verified.size() + unverified.size();
  }

  void stop() {
    stopped = true;
    scheduler.wakeup();
  }

  /** After the thread ended: wipe the queued messages. */
  void destroy() {
    verified.clear();
    unverified.clear();
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
        for (int i = 0; i < 64 && !stopped && processNext(); i++) {
          worked = true;
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
   * Takes the next message, verified ones first, and processes it; an exception is counted and the
   * thread goes on.
   *
   * @return false when both queues were empty
   */
  boolean processNext() {
    boolean isVerified = verified.poll(message, length, from);
    if (!isVerified && !unverified.poll(message, length, from)) {
      return false;
    }
    try {
      process(message, length[0], from, isVerified);
    } catch (RuntimeException e) { // a bug must not stop the handshake thread
      failed("a handshake message", e);
    }
    return true;
  }

  /**
   * Counts an unexpected exception as an {@link DropReason#INTERNAL_ERROR} drop and logs it; the
   * thread carries on. The log names the exception only: no message bytes, no keys.
   */
  private void failed(String what, RuntimeException e) {
    events.drop(DropReason.INTERNAL_ERROR, null);
    LOG.log(Level.WARNING, "handshake thread: " + what + " failed; carrying on", e);
  }

  private void process(byte[] msg, int len, DatagramAddress from, boolean isVerified) {
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
    if (!isVerified) {
      CookieChecker checker = handshakes.cookieChecker();
      if (checker == null) {
        return;
      }
      byte[] address = source.bytesOf(from);
      switch (checker.check(msg, 0, len, address, from.port(), load.underLoad())) {
        case INVALID_MAC1 -> {
          events.drop(DropReason.HANDSHAKE_INVALID, null); // the private key changed meanwhile
          return;
        }
        case NEEDS_COOKIE -> {
          HandshakeGate.sendCookieReply(
              checker, msg, 0, len, address, from, handshakes.context(), sender);
          events.drop(DropReason.COOKIE_SENT, null);
          return;
        }
        case VALID -> {}
      }
    }
    if (type == Protocol.TYPE_INITIATION) {
      handshakes.consumeInitiation(id, msg, len, from);
    } else {
      handshakes.consumeResponse(msg, len, from);
    }
  }
}
