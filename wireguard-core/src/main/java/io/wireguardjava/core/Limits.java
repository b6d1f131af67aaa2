package io.wireguardjava.core;

/**
 * Implementation limits of the engine: sizes of queues, pools and tables. The protocol's own
 * constants (REKEY_AFTER_TIME and friends) are in {@link io.wireguardjava.crypto.Protocol}, named
 * as in the whitepaper; these are our choices, named as in the kernel's {@code messages.h} where it
 * has a counterpart.
 */
final class Limits {
  private Limits() {}

  /** Packets kept per peer while waiting for a handshake (the kernel's MAX_STAGED_PACKETS). */
  static final int MAX_STAGED_PACKETS = 128;

  /** Handshake messages waiting for the handshake thread (MAX_QUEUED_INCOMING_HANDSHAKES). */
  static final int MAX_QUEUED_INCOMING_HANDSHAKES = 4096;

  /**
   * Handshake messages with a valid MAC2 (admitted under load) waiting for the handshake thread, in
   * their own queue that it serves first: a flood without cookies cannot fill it, and the
   * per-source rate limit bounds what one address with cookies can put in.
   */
  static final int MAX_QUEUED_VERIFIED_HANDSHAKES = 1024;

  /**
   * Threads doing the cheap checks of handshake messages (MAC1, MAC2, cookie replies): one per CPU,
   * at most four (wireguard-go runs one handshake worker per CPU).
   */
  static final int HANDSHAKE_GATE_THREADS =
      Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));

  /**
   * The handshake queue length from which the tunnel is "under load" and answers initiations
   * without a valid MAC2 with a cookie reply (the kernel: an eighth of the queue).
   */
  static final int UNDER_LOAD_QUEUE_LENGTH = MAX_QUEUED_INCOMING_HANDSHAKES / 8;

  /** How long the tunnel stays under load after the queue drops below the threshold (1 s). */
  static final long UNDER_LOAD_AFTER_NANOS = 1_000_000_000L;

  /**
   * Handshake initiations accepted per source address per second (ratelimiter.c's
   * INITIATIONS_PER_SECOND; not the per-peer {@code Protocol.PEER_INITIATIONS_PER_SECOND}).
   */
  static final int SOURCE_INITIATIONS_PER_SECOND = 20;

  /** Initiations a source may burst above the rate (ratelimiter.c's INITIATIONS_BURSTABLE). */
  static final int SOURCE_INITIATIONS_BURSTABLE = 5;

  /** Source addresses the rate limiter tracks; beyond it, new sources are refused. */
  static final int RATELIMITER_MAX_ENTRIES = 8192;

  /** Packets in each direction of an in-process device's queues. */
  static final int IN_PROCESS_QUEUE_PACKETS = 1024;

  /** Requested UDP socket buffer size (the kernel may cap it at net.core.[rw]mem_max). */
  static final int SOCKET_BUFFER_BYTES = 4 << 20;

  /** Failed attempts after which a peer's host-name endpoint is resolved again. */
  static final int RERESOLVE_AFTER_ATTEMPTS = 3;
}
