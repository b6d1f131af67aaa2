package io.wireguardjava.core;

import io.wireguardjava.DropReason;
import io.wireguardjava.crypto.CookieChecker;
import io.wireguardjava.crypto.Protocol;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The cheap checks of a handshake message, on threads of their own (the gate threads, {@link
 * Limits#HANDSHAKE_GATE_THREADS}: one per CPU, at most four, as wireguard-go's handshake workers)
 * so that a flood costs neither the handshake thread's Diffie-Hellmans nor the receive thread's
 * data path: the receive thread only copies a handshake message into this gate's ring ({@link
 * #offer}, a copy into a preallocated slot) and goes on with the next datagram. Then, as the
 * kernel's {@code receive.c} and {@code cookie.c} and wireguard-go's {@code RoutineHandshake}
 * check, in front of the handshake queue:
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
 * Each gate thread has its own message and reply buffers; the rate limiter is shared under a lock
 * (it is consulted only for messages with a valid MAC2 under load). Allocates nothing of its own
 * per message (the cookie checker's scratch arrays are the crypto module's). When the gate falls
 * behind, its ring is full and the receive thread drops what does not carry a valid MAC2 ({@code
 * HANDSHAKE_QUEUE_FULL}): a flood then loses its own datagrams, not data, and not the retry of a
 * peer that got its cookie.
 */
final class HandshakeGate implements HandshakeInbox {
  private static final System.Logger LOG = System.getLogger(HandshakeGate.class.getName());

  /** Where admitted messages go: copied into the verified or the MAC1-only queue. */
  interface Admission {
    /**
     * Copies {@code buf[off..off+len)} into a queue and wakes the handshake thread.
     *
     * @return false when that queue is full
     */
    boolean admit(boolean verified, byte[] buf, int off, int len, InetSocketAddress from);
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
   * Receive thread: copies the message into the gate's ring. When the ring is full the gate threads
   * are behind a flood; then only a message that proves a cookie (a valid MAC2, checked here for
   * two BLAKE2s) goes on, straight to the verified queue, so a flood cannot crowd out a peer that
   * got its cookie; anything else is refused without a reply.
   *
   * @return false when the message was refused for a full ring (the caller counts it)
   */
  @Override
  public boolean offer(byte[] buf, int off, int len, InetSocketAddress from) {
    return incoming.offer(buf, off, len, from) || admitIfProvenCookie(buf, off, len, from);
  }

  private boolean admitIfProvenCookie(byte[] buf, int off, int len, InetSocketAddress from) {
    CookieChecker checker = handshakes.cookieChecker();
    if (checker == null || (buf[off] & 0xFF) == Protocol.TYPE_COOKIE_REPLY) {
      return false;
    }
    byte[] address = from.getAddress().getAddress();
    if (checker.check(buf, off, len, address, from.getPort(), true)
        != CookieChecker.Verdict.VALID) {
      return false;
    }
    if (!allow(from)) {
      events.drop(DropReason.RATE_LIMITED, null);
      return true;
    }
    return admission.admit(true, buf, off, len, from);
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
    try {
      InetSocketAddress from;
      while ((from = incoming.take(message, length)) != null) {
        try {
          if (!check(message, 0, length[0], from, reply)) {
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

  /** Ends {@link #run}: the ring refuses messages and the thread wakes. */
  void stop() {
    incoming.close();
  }

  /** After the threads ended: wipe the queued messages. */
  void destroy() {
    incoming.clear();
  }

  /**
   * The checks for one message {@code buf[off..off+len)} from {@code from}: dropped and counted,
   * answered with a cookie reply, or admitted to the handshake thread's queues.
   *
   * @param reply the calling thread's buffer for a cookie reply
   * @return false when the handshake thread's queue for it is full (the caller counts it)
   */
  boolean check(byte[] buf, int off, int len, InetSocketAddress from, SendContext reply) {
    if ((buf[off] & 0xFF) == Protocol.TYPE_COOKIE_REPLY) {
      return admission.admit(false, buf, off, len, from);
    }
    CookieChecker checker = handshakes.cookieChecker();
    if (checker == null) { // no private key: nothing can be answered
      events.drop(DropReason.HANDSHAKE_INVALID, null);
      return true;
    }
    boolean underLoad = load.underLoad();
    byte[] address = from.getAddress().getAddress();
    switch (checker.check(buf, off, len, address, from.getPort(), underLoad)) {
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

  private boolean allow(InetSocketAddress from) {
    rateLimiterLock.lock();
    try {
      return rateLimiter.allow(from.getAddress());
    } finally {
      rateLimiterLock.unlock();
    }
  }

  /**
   * Answers a handshake message that needs a cookie, best effort (the caller counts it as {@code
   * COOKIE_SENT}). Shared with the handshake thread, which re-checks what waited in its queue.
   */
  static void sendCookieReply(
      CookieChecker checker,
      byte[] msg,
      int off,
      int len,
      byte[] address,
      InetSocketAddress from,
      SendContext ctx,
      DatagramSender sender) {
    int n = checker.writeCookieReply(msg, off, len, address, from.getPort(), ctx.datagram, 0);
    try {
      sender.send(ctx.frame(n), from);
    } catch (IOException e) {
      // best effort: the initiator retries after REKEY_TIMEOUT anyway
    }
  }
}
