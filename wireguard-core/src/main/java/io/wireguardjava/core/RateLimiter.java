package io.wireguardjava.core;

import io.wireguardjava.crypto.TimeSource;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Per-source-address token bucket for handshake initiations, after the kernel's {@code
 * ratelimiter.c}: {@link Limits#SOURCE_INITIATIONS_PER_SECOND} per address with a burst of {@link
 * Limits#SOURCE_INITIATIONS_BURSTABLE}. IPv6 sources are grouped by /64, as the kernel does. Used
 * by the handshake thread only (not thread-safe).
 */
final class RateLimiter {
  private static final long PACKET_COST = 1_000_000_000L / Limits.SOURCE_INITIATIONS_PER_SECOND;
  private static final long TOKEN_MAX = PACKET_COST * Limits.SOURCE_INITIATIONS_BURSTABLE;

  private static final class Bucket {
    long lastNanos;
    long tokens;
  }

  private final TimeSource clock;
  private final Map<Long, Bucket> buckets = new HashMap<>();
  private long lastSweep;

  RateLimiter(TimeSource clock) {
    this.clock = clock;
    this.lastSweep = clock.nanoTime();
  }

  /** Whether one more initiation from {@code source} is allowed now (and takes its token). */
  boolean allow(InetAddress source) {
    long now = clock.nanoTime();
    if (now - lastSweep > 1_000_000_000L) {
      sweep(now);
    }
    long key = keyOf(source.getAddress());
    Bucket b = buckets.get(key);
    if (b == null) {
      if (buckets.size() >= Limits.RATELIMITER_MAX_ENTRIES) {
        return false;
      }
      b = new Bucket();
      b.lastNanos = now;
      b.tokens = TOKEN_MAX - PACKET_COST;
      buckets.put(key, b);
      return true;
    }
    long tokens = Math.min(TOKEN_MAX, b.tokens + (now - b.lastNanos));
    b.lastNanos = now;
    if (tokens >= PACKET_COST) {
      b.tokens = tokens - PACKET_COST;
      return true;
    }
    b.tokens = tokens;
    return false;
  }

  /** Forgets buckets idle for a second (they would be full again). */
  private void sweep(long now) {
    lastSweep = now;
    for (Iterator<Bucket> it = buckets.values().iterator(); it.hasNext(); ) {
      if (now - it.next().lastNanos > 1_000_000_000L) {
        it.remove();
      }
    }
  }

  private static long keyOf(byte[] a) {
    long k = 0;
    int n = a.length == 4 ? 4 : 8; // IPv6: the /64
    for (int i = 0; i < n; i++) {
      k = (k << 8) | (a[i] & 0xFF);
    }
    return a.length == 4 ? k : k ^ 0x8000_0000_0000_0000L;
  }
}
