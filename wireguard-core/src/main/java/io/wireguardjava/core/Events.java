package io.wireguardjava.core;

import io.wireguardjava.DropReason;
import io.wireguardjava.Key;
import io.wireguardjava.TunnelListener;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLongArray;
import org.jspecify.annotations.Nullable;

/**
 * Drop counters and the listener fan-out. Counting a drop is one atomic add; listeners are only
 * called (and their arguments only built) when some are registered. A listener that throws is
 * logged and otherwise ignored: it cannot break the data path.
 */
final class Events {
  private static final System.Logger LOG = System.getLogger(Events.class.getName());
  private static final DropReason[] REASONS = DropReason.values();

  private final AtomicLongArray drops = new AtomicLongArray(REASONS.length);
  private final CopyOnWriteArrayList<TunnelListener> listeners = new CopyOnWriteArrayList<>();

  void add(TunnelListener l) {
    listeners.add(l);
  }

  void remove(TunnelListener l) {
    listeners.remove(l);
  }

  /** Counts a dropped packet (and tells the listeners); allocation-free. */
  void drop(DropReason reason, @Nullable PeerState peer) {
    drops.incrementAndGet(reason.ordinal());
    if (!listeners.isEmpty()) {
      Optional<Key> p = peer == null ? Optional.empty() : peer.optionalKey;
      for (TunnelListener l : listeners) {
        try {
          l.onPacketDropped(reason, p);
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "listener failed", e);
        }
      }
    }
  }

  /** Counts {@code n} drops at once. */
  void drop(DropReason reason, @Nullable PeerState peer, int n) {
    for (int i = 0; i < n; i++) {
      drop(reason, peer);
    }
  }

  long dropped(DropReason reason) {
    return drops.get(reason.ordinal());
  }

  Map<DropReason, Long> dropCounts() {
    Map<DropReason, Long> m = new EnumMap<>(DropReason.class);
    for (DropReason r : REASONS) {
      m.put(r, drops.get(r.ordinal()));
    }
    return m;
  }

  void handshakeCompleted(Key peer, Duration took) {
    for (TunnelListener l : listeners) {
      try {
        l.onHandshakeCompleted(peer, took);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "listener failed", e);
      }
    }
  }

  void endpointChanged(Key peer, InetSocketAddress endpoint) {
    for (TunnelListener l : listeners) {
      try {
        l.onEndpointChanged(peer, endpoint);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "listener failed", e);
      }
    }
  }

  void closed(Optional<Throwable> cause) {
    for (TunnelListener l : listeners) {
      try {
        l.onClosed(cause);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "listener failed", e);
      }
    }
  }

  void peerStale(Key peer) {
    for (TunnelListener l : listeners) {
      try {
        l.onPeerStale(peer);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "listener failed", e);
      }
    }
  }
}
