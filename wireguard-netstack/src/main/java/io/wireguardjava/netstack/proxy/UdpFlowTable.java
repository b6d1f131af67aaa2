package io.wireguardjava.netstack.proxy;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The UDP flows of a forward, by client address, with idle expiry; without I/O and clock, so expiry
 * is tested with made-up instants. Lookups and touches come from the data threads, the expiry from
 * the sweeper: all thread-safe.
 *
 * @param <F> what a flow holds (its socket towards the destination)
 */
final class UdpFlowTable<F> {
  /** One flow: the value and the instant of its last datagram either way. */
  static final class Entry<F> {
    final InetSocketAddress client;
    final F flow;
    private volatile long lastActiveNanos;

    Entry(InetSocketAddress client, F flow, long nowNanos) {
      this.client = client;
      this.flow = flow;
      this.lastActiveNanos = nowNanos;
    }

    /** A datagram went through the flow at {@code nowNanos}. */
    void touch(long nowNanos) {
      lastActiveNanos = nowNanos;
    }

    long lastActiveNanos() {
      return lastActiveNanos;
    }
  }

  private final Map<InetSocketAddress, Entry<F>> flows = new ConcurrentHashMap<>();
  private final long idleNanos;
  private final int maxFlows;

  UdpFlowTable(long idleNanos, int maxFlows) {
    this.idleNanos = idleNanos;
    this.maxFlows = maxFlows;
  }

  /** The flow of {@code client}, touched, or null. */
  @Nullable Entry<F> get(InetSocketAddress client, long nowNanos) {
    Entry<F> e = flows.get(client);
    if (e != null) {
      e.touch(nowNanos);
    }
    return e;
  }

  /** Whether another flow fits. */
  boolean hasRoom() {
    return flows.size() < maxFlows;
  }

  /** Adds a new flow (the caller checked {@link #hasRoom()} and that there was none). */
  Entry<F> add(InetSocketAddress client, F flow, long nowNanos) {
    Entry<F> e = new Entry<>(client, flow, nowNanos);
    flows.put(client, e);
    return e;
  }

  /** Removes and returns the flows idle for at least the idle timeout at {@code nowNanos}. */
  List<Entry<F>> expire(long nowNanos) {
    List<Entry<F>> expired = new ArrayList<>();
    for (Iterator<Entry<F>> it = flows.values().iterator(); it.hasNext(); ) {
      Entry<F> e = it.next();
      if (nowNanos - e.lastActiveNanos() >= idleNanos) {
        it.remove();
        expired.add(e);
      }
    }
    return expired;
  }

  /** Removes {@code e} if it is still the flow of its client. */
  boolean remove(Entry<F> e) {
    return flows.remove(e.client, e);
  }

  /** Removes and returns every flow. */
  List<Entry<F>> clear() {
    List<Entry<F>> all = new ArrayList<>(flows.values());
    flows.clear();
    return all;
  }

  int size() {
    return flows.size();
  }
}
