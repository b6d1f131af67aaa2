package io.wireguardjava.core;

import io.wireguardjava.Config;
import io.wireguardjava.Tunnel;
import io.wireguardjava.TunnelOptions;
import java.io.IOException;
import java.time.Duration;

/**
 * Engines sharing one manual clock, for tests outside this package (the UAPI tests): session ages
 * and handshake timestamps move only when {@link #advance} is called, so a test can let sessions
 * expire (REJECT_AFTER_TIME) in microseconds. Timers do not fire by themselves on this clock.
 */
public final class ManualClockTunnels {
  private final ManualClock clock = new ManualClock();

  /** An engine on this clock (no UAPI socket: serve it with ServedTunnel if needed). */
  public Tunnel open(Config config, TunnelOptions options) throws IOException {
    return CoreTunnelProvider.open(config, options, clock);
  }

  /** Moves both the monotonic and the wall clock forward. */
  public void advance(Duration d) {
    clock.advance(d);
  }
}
