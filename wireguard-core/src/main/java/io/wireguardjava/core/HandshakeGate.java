package io.wireguardjava.core;

import io.wireguardjava.DropReason;
import io.wireguardjava.crypto.CookieChecker;
import io.wireguardjava.crypto.Protocol;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * The cheap checks of a handshake message, run on the receive thread so that a flood costs the
 * handshake thread nothing (the kernel's {@code receive.c} and {@code cookie.c}, and wireguard-go's
 * {@code RoutineHandshake} checks, moved in front of the queue):
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
 * Used by the receive thread only: the rate limiter and the reply buffer are its own. Allocates
 * nothing of its own per message (the cookie checker's scratch arrays are the crypto module's).
 */
final class HandshakeGate implements HandshakeInbox {

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
  private final SendContext reply = new SendContext(Protocol.COOKIE_REPLY_LENGTH);

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

  @Override
  public boolean offer(byte[] buf, int off, int len, InetSocketAddress from) {
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
        if (!rateLimiter.allow(from.getAddress())) {
          events.drop(DropReason.RATE_LIMITED, null);
          return true;
        }
        return admission.admit(true, buf, off, len, from);
      }
    }
    return true;
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
