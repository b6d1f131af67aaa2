package io.wireguardjava.core;

import io.wireguardjava.crypto.Protocol;
import java.util.random.RandomGenerator;

/**
 * The five timers of one peer, after the kernel's {@code timers.c}:
 *
 * <ul>
 *   <li><b>retransmit handshake</b>: if no response arrives {@code REKEY_TIMEOUT} + jitter after an
 *       initiation, send another; after {@code REKEY_ATTEMPT_TIME / REKEY_TIMEOUT} tries, give up,
 *       drop the staged packets and schedule key zeroing.
 *   <li><b>send keepalive</b>: if a data packet was received and nothing was sent back within
 *       {@code KEEPALIVE_TIMEOUT}, send an empty authenticated packet (passive keepalive).
 *   <li><b>new handshake</b>: if data was sent and nothing at all came back within {@code
 *       KEEPALIVE_TIMEOUT + REKEY_TIMEOUT} + jitter, start a new handshake.
 *   <li><b>zero key material</b>: {@code 3 * REJECT_AFTER_TIME} after the last session was derived,
 *       wipe every key and handshake state.
 *   <li><b>persistent keepalive</b>: if configured, an empty authenticated packet every interval
 *       seconds after the last authenticated packet in either direction.
 * </ul>
 *
 * The hooks are named after the events that arm them and say when to call them; data-path threads
 * call them per packet (a volatile read or write each, no allocation). The timers' actions run on
 * the handshake thread, through {@link Actions}.
 */
final class Timers {
  /** Random jitter added to the handshake and new-handshake timers (MAX_TIMER_JITTER). */
  private static final long MAX_JITTER_NANOS = Protocol.REKEY_TIMEOUT_JITTER_MAX.toNanos();

  /** What the timers make a peer do; always called on the handshake thread. */
  interface Actions {
    /** Send a handshake initiation; {@code isRetry} keeps the attempt counter. */
    void sendHandshakeInitiation(boolean isRetry);

    /** A retry is due; attempt {@code attempt} (2 for the first retry). */
    void beforeRetry(int attempt);

    /** Send a keepalive (or the staged packets, which then serve as one). */
    void sendKeepalive();

    /** Handshake attempts gave up: drop staged packets, report the peer stale. */
    void handshakeGaveUp();

    /** Wipe sessions and handshake state. */
    void zeroKeyMaterial();
  }

  private final Scheduler.Timer retransmitHandshake;
  private final Scheduler.Timer sendKeepalive;
  private final Scheduler.Timer newHandshake;
  private final Scheduler.Timer zeroKeyMaterial;
  private final Scheduler.Timer persistentKeepalive;
  private final Scheduler scheduler;
  private final Actions actions;
  private final RandomGenerator random;
  private volatile int handshakeAttempts;
  private volatile boolean needAnotherKeepalive;
  private volatile int persistentKeepaliveSeconds;
  private volatile boolean stopped;

  Timers(Scheduler scheduler, Actions actions, RandomGenerator random) {
    this.scheduler = scheduler;
    this.actions = actions;
    this.random = random;
    this.retransmitHandshake = scheduler.newTimer(this::expiredRetransmitHandshake);
    this.sendKeepalive = scheduler.newTimer(this::expiredSendKeepalive);
    this.newHandshake = scheduler.newTimer(this::expiredNewHandshake);
    this.zeroKeyMaterial = scheduler.newTimer(this::expiredZeroKeyMaterial);
    this.persistentKeepalive = scheduler.newTimer(this::expiredPersistentKeepalive);
  }

  // ---- expiry actions (handshake thread) ----

  private void expiredRetransmitHandshake() {
    if (handshakeAttempts > Protocol.MAX_TIMER_HANDSHAKES) {
      sendKeepalive.del();
      actions.handshakeGaveUp();
      // Destroy whatever a partial exchange left behind.
      if (!zeroKeyMaterial.pending()) {
        mod(zeroKeyMaterial, Protocol.REJECT_AFTER_TIME_NANOS * 3);
      }
    } else {
      handshakeAttempts++;
      actions.beforeRetry(handshakeAttempts + 1);
      actions.sendHandshakeInitiation(true);
    }
  }

  private void expiredSendKeepalive() {
    actions.sendKeepalive();
    if (needAnotherKeepalive) {
      needAnotherKeepalive = false;
      mod(sendKeepalive, Protocol.KEEPALIVE_TIMEOUT_NANOS);
    }
  }

  private void expiredNewHandshake() {
    actions.sendHandshakeInitiation(false);
  }

  private void expiredZeroKeyMaterial() {
    actions.zeroKeyMaterial();
  }

  private void expiredPersistentKeepalive() {
    if (persistentKeepaliveSeconds > 0) {
      actions.sendKeepalive();
    }
  }

  // ---- hooks ----

  /** Call after an authenticated data packet (not a keepalive) is sent. */
  void onDataSent() {
    if (!newHandshake.pending()) {
      mod(newHandshake, Protocol.KEEPALIVE_TIMEOUT_NANOS + Protocol.REKEY_TIMEOUT_NANOS + jitter());
    }
  }

  /** Call after an authenticated data packet (not a keepalive) is received. */
  void onDataReceived() {
    if (!sendKeepalive.pending()) {
      mod(sendKeepalive, Protocol.KEEPALIVE_TIMEOUT_NANOS);
    } else {
      needAnotherKeepalive = true;
    }
  }

  /** Call after any authenticated packet is sent: keepalive, data or handshake. */
  void onAnyAuthenticatedPacketSent() {
    sendKeepalive.del();
  }

  /** Call after any authenticated packet is received: keepalive, data or handshake. */
  void onAnyAuthenticatedPacketReceived() {
    newHandshake.del();
  }

  /** Call before an authenticated packet is sent, and after one is received. */
  void onAnyAuthenticatedPacketTraversal() {
    int seconds = persistentKeepaliveSeconds;
    if (seconds > 0) {
      mod(persistentKeepalive, seconds * 1_000_000_000L);
    }
  }

  /** Call after a handshake initiation is sent. */
  void onHandshakeInitiated() {
    mod(retransmitHandshake, Protocol.REKEY_TIMEOUT_NANOS + jitter());
  }

  /**
   * Call after a handshake response is received and processed, or when the first data packet
   * confirms a session this side responded to.
   */
  void onHandshakeComplete() {
    retransmitHandshake.del();
    handshakeAttempts = 0;
  }

  /** Call after session keys are derived: before sending a response, after receiving one. */
  void onSessionDerived() {
    mod(zeroKeyMaterial, Protocol.REJECT_AFTER_TIME_NANOS * 3);
  }

  /** Call when an initiation starts a new attempt sequence (not a retransmission). */
  void resetHandshakeAttempts() {
    handshakeAttempts = 0;
  }

  int handshakeAttempts() {
    return handshakeAttempts;
  }

  /**
   * Call when the persistent keepalive interval is configured ({@code 0} = off). Switching it on,
   * or to another interval, sends a keepalive at once (it starts a handshake when there is no
   * session); the next ones follow the new interval. wireguard-go does the same when it is switched
   * on from off.
   */
  void setPersistentKeepalive(int seconds) {
    int old = persistentKeepaliveSeconds;
    persistentKeepaliveSeconds = seconds;
    if (seconds == 0) {
      persistentKeepalive.del();
    } else if (seconds != old) {
      mod(persistentKeepalive, 0);
    }
  }

  int persistentKeepaliveSeconds() {
    return persistentKeepaliveSeconds;
  }

  /** Whether a handshake retransmission is pending (a handshake is in flight). */
  boolean handshakeInFlight() {
    return retransmitHandshake.pending();
  }

  /** Disarms and unregisters every timer; hooks do nothing afterwards. */
  void stop() {
    stopped = true;
    scheduler.remove(
        retransmitHandshake, sendKeepalive, newHandshake, zeroKeyMaterial, persistentKeepalive);
  }

  private void mod(Scheduler.Timer t, long delayNanos) {
    if (!stopped) {
      t.mod(delayNanos);
    }
  }

  private long jitter() {
    return random.nextLong(MAX_JITTER_NANOS);
  }
}
