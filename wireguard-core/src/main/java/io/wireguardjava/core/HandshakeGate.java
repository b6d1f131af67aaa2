package io.wireguardjava.core;

import io.wireguardjava.DropReason;
import io.wireguardjava.crypto.CookieChecker;
import io.wireguardjava.crypto.Protocol;
import io.wireguardjava.spi.DatagramAddress;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The cheap checks of a handshake message, on threads of their own (the gate threads, {@link
 * Limits#HANDSHAKE_GATE_THREADS}: one per CPU, at most four, as wireguard-go's handshake workers)
 * so that a flood costs neither the handshake thread's Diffie-Hellmans nor the receive thread's
 * data path: the receive thread only copies a handshake message and its addresses into this gate's
 * ring ({@link #offer}, copies into preallocated slots) and goes on with the next datagram. Then,
 * as the kernel's {@code receive.c} and {@code cookie.c} and wireguard-go's {@code
 * RoutineHandshake} check, in front of the handshake queue:
 *
 * <ol>
 *   <li>cookie replies are queued as they are (they are for our own initiations);
 *   <li>MAC1 must be valid, else the message is dropped ({@code HANDSHAKE_INVALID});
 *   <li>not under load ({@link HandshakeLoad}): queued for the handshake thread;
 *   <li>under load: without a valid MAC2 it is answered with a cookie reply (one BLAKE2s and one
 *       XChaCha20-Poly1305) and dropped ({@code COOKIE_SENT}); with one, the per-source rate limit
 *       applies ({@code RATE_LIMITED}) and the message goes into the verified queue, which the
 *       handshake thread serves first and which messages without a cookie never enter.
 * </ol>
 *
 * Cookie replies leave from the local address the message arrived on (a multi-homed host answers
 * from the address the peer wrote to), as the handshake thread's responses do. Each gate thread has
 * its own message, address and reply buffers; the rate limiter is shared under a lock (it is
 * consulted only for messages with a valid MAC2 under load). Allocates nothing of its own per
 * message (the cookie checker's scratch arrays are the crypto module's). When the gate falls
 * behind, its ring is full and the receive thread drops the message ({@code HANDSHAKE_QUEUE_FULL}):
 * a flood then loses its own datagrams, not data.
 */
final class HandshakeGate implements HandshakeInbox {
  private static final System.Logger LOG = System.getLogger(HandshakeGate.class.getName());

  /** Where admitted messages go: copied into the verified or the MAC1-only queue. */
  interface Admission {
    /**
     * Copies {@code buf[off..off+len)} and {@code from} into a queue and wakes the handshake
     * thread.
     *
     * @return false when that queue is full
     */
    boolean admit(boolean verified, byte[] buf, int off, int len, DatagramAddress from);
  }

  private final Admission admission;
  private final HandshakeLoad load;
  private final Handshakes handshakes;
  private final Events events;
  private final DatagramSender sender;
  private final RateLimiter rateLimiter;
  private final ReentrantLock rateLimiterLock = new ReentrantLock();
  private final HandshakeQueue incoming = new HandshakeQueue(Limits.MAX_QUEUED_INCOMING_HANDSHAKES);

  /**
   * @param admission the handshake thread's queues
   * @param load whether the tunnel is under load
   * @param handshakes the identity's cookie checker
   * @param events counts what is dropped or answered with a cookie
   * @param sender where cookie replies go
   * @param rateLimiter the per-source limit under load
   */
  HandshakeGate(
      Admission admission,
      HandshakeLoad load,
      Handshakes handshakes,
      Events events,
      DatagramSender sender,
      RateLimiter rateLimiter) {
    this.admission = admission;
    this.load = load;
    this.handshakes = handshakes;
    this.events = events;
    this.sender = sender;
    this.rateLimiter = rateLimiter;
  }

  /**
   * Receive thread: copies the message and its addresses into the gate's ring; false when the ring
   * is full.
   */
  @Override
  public boolean offer(byte[] buf, int off, int len, DatagramAddress from) {
    return incoming.offer(buf, off, len, from);
  }

  /**
   * The body of one gate thread: checks each message the receive thread handed over, until {@link
   * #stop}. Each call makes a runnable with its own buffers.
   */
  Runnable newThread() {
    return this::run;
  }

  private void run() {
    byte[] message = new byte[HandshakeQueue.SLOT];
    int[] length = new int[1];
    SendContext reply = new SendContext(Protocol.COOKIE_REPLY_LENGTH);
    DatagramAddress from = new DatagramAddress();
    CookieSource source = new CookieSource();
    try {
      while (incoming.take(message, length, from)) {
        try {
          if (!check(message, 0, length[0], from, reply, source)) {
            events.drop(DropReason.HANDSHAKE_QUEUE_FULL, null);
          }
        } catch (RuntimeException e) { // a bug must not stop the gate
          events.drop(DropReason.INTERNAL_ERROR, null);
          LOG.log(System.Logger.Level.WARNING, "handshake gate: a message failed; carrying on", e);
        }
      }
    } catch (InterruptedException e) {
      // closing
    } finally {
      Arrays.fill(message, (byte) 0);
      Arrays.fill(reply.datagram, (byte) 0);
    }
  }

  /**
   * Checks every message now in the ring on the calling thread, as a gate thread would (tests: the
   * gate's work without its threads).
   *
   * @param reply the calling thread's buffer for cookie replies
   * @return how many messages were taken
   */
  int checkQueued(SendContext reply) {
    byte[] message = new byte[HandshakeQueue.SLOT];
    int[] length = new int[1];
    DatagramAddress from = new DatagramAddress();
    CookieSource source = new CookieSource();
    int n = 0;
    while (incoming.poll(message, length, from)) {
      n++;
      if (!check(message, 0, length[0], from, reply, source)) {
        events.drop(DropReason.HANDSHAKE_QUEUE_FULL, null);
      }
    }
    return n;
  }

  /** Ends {@link #run}: the ring refuses messages and the thread wakes. */
  void stop() {
    incoming.close();
  }

  /** After the threads ended: wipe the queued messages. */
  void destroy() {
    incoming.clear();
  }

  /** As {@link #check(byte[], int, int, DatagramAddress, SendContext, CookieSource)}, for tests. */
  boolean check(byte[] buf, int off, int len, InetSocketAddress from, SendContext reply) {
    return check(buf, off, len, DatagramAddress.of(from), reply, new CookieSource());
  }

  /**
   * The checks for one message {@code buf[off..off+len)} from {@code from}: dropped and counted,
   * answered with a cookie reply (from {@code from}'s local address), or admitted to the handshake
   * thread's queues.
   *
   * @param reply the calling thread's buffer for a cookie reply
   * @param source the calling thread's scratch for the source address bytes
   * @return false when the handshake thread's queue for it is full (the caller counts it)
   */
  boolean check(
      byte[] buf, int off, int len, DatagramAddress from, SendContext reply, CookieSource source) {
    if ((buf[off] & 0xFF) == Protocol.TYPE_COOKIE_REPLY) {
      return admission.admit(false, buf, off, len, from);
    }
    CookieChecker checker = handshakes.cookieChecker();
    if (checker == null) { // no private key: nothing can be answered
      events.drop(DropReason.HANDSHAKE_INVALID, null);
      return true;
    }
    boolean underLoad = load.underLoad();
    byte[] address = source.bytesOf(from);
    switch (checker.check(buf, off, len, address, from.port(), underLoad)) {
      case INVALID_MAC1 -> events.drop(DropReason.HANDSHAKE_INVALID, null);
      case NEEDS_COOKIE -> {
        sendCookieReply(checker, buf, off, len, address, from, reply, sender);
        events.drop(DropReason.COOKIE_SENT, null);
      }
      case VALID -> {
        if (!underLoad) {
          return admission.admit(false, buf, off, len, from);
        }
        if (!allow(from)) {
          events.drop(DropReason.RATE_LIMITED, null);
          return true;
        }
        return admission.admit(true, buf, off, len, from);
      }
    }
    return true;
  }

  private boolean allow(DatagramAddress from) {
    rateLimiterLock.lock();
    try {
      return rateLimiter.allow(from.toInetSocketAddress().getAddress()); // cached: no allocation
    } finally {
      rateLimiterLock.unlock();
    }
  }

  /**
   * Answers a handshake message that needs a cookie, best effort (the caller counts it as {@code
   * COOKIE_SENT}), from the local address it arrived on. Shared with the handshake thread, which
   * re-checks what waited in its queue.
   */
  static void sendCookieReply(
      CookieChecker checker,
      byte[] msg,
      int off,
      int len,
      byte[] address,
      DatagramAddress from,
      SendContext ctx,
      DatagramSender sender) {
    int n = checker.writeCookieReply(msg, off, len, address, from.port(), ctx.datagram, 0);
    try {
      sender.send(ctx.datagram, 0, n, from);
    } catch (IOException e) {
      // best effort: the initiator retries after REKEY_TIMEOUT anyway
    }
  }
}
