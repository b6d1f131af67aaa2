package io.wireguardjava;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Statistics of a whole tunnel.
 *
 * @param listenPort the UDP port in use
 * @param peers per-peer statistics, in the configuration's order
 * @param drops how many packets were dropped, per reason (every reason present, zeros included)
 */
public record TunnelStats(int listenPort, List<PeerStats> peers, Map<DropReason, Long> drops) {

  /**
   * Copies {@code peers}; fills {@code drops} in with a zero for every missing reason.
   *
   * @param listenPort the UDP port the tunnel listens on
   * @param peers the statistics of each peer
   * @param drops the number of dropped packets per reason
   */
  public TunnelStats {
    peers = List.copyOf(peers);
    EnumMap<DropReason, Long> all = new EnumMap<>(DropReason.class);
    for (DropReason r : DropReason.values()) {
      all.put(r, drops.getOrDefault(r, 0L));
    }
    drops = java.util.Collections.unmodifiableMap(all);
  }

  /**
   * The count for one reason.
   *
   * @param reason the reason
   * @return the count for one reason
   */
  public long dropped(DropReason reason) {
    return drops.getOrDefault(reason, 0L);
  }

  /**
   * Packets dropped for any reason.
   *
   * @return the sum over every reason
   */
  public long droppedTotal() {
    return drops.values().stream().mapToLong(Long::longValue).sum();
  }
}
