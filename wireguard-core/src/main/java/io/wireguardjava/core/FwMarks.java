package io.wireguardjava.core;

import io.wireguardjava.Config;
import io.wireguardjava.InetNetwork;
import io.wireguardjava.Peer;
import io.wireguardjava.TunnelOptions;
import java.io.IOException;
import java.util.Optional;

/**
 * How a {@code FwMark} becomes real: {@code SO_MARK} on the tunnel's UDP socket, where the
 * transport can mark, and as wg-quick does for a full tunnel.
 *
 * <p>wg-quick routes a {@code /0} AllowedIP (with {@code Table} unset or {@code auto}) through its
 * own table <i>T</i> ({@code FwMark} when set, else 51820), marks the socket with <i>T</i> ({@code
 * wg set <if> fwmark T}) and adds {@code not fwmark T table T}: the tunnel's own UDP packets, being
 * marked, keep the main table. {@link #apply} does the marking half for an OS device (whose
 * provider adds the rules from the config's {@code FwMark}). A transport that cannot mark keeps
 * {@code FwMark} unset: the device then falls back to a rule on the UDP source port.
 */
final class FwMarks {
  /** wg-quick's first table (and mark) for a full tunnel. */
  static final int FULL_TUNNEL_TABLE = 51820;

  private FwMarks() {}

  /**
   * Refuses, before anything is opened, a {@code FwMark} that no transport here could apply.
   *
   * @throws IllegalArgumentException naming the setting
   */
  static void checkApplicable(Config config, TunnelOptions options) {
    int mark = config.iface().fwMark().orElse(0);
    if (mark != 0 && !UdpTransport.osTransportAvailable(options)) {
      throw new IllegalArgumentException(refusal(mark, "the portable JDK UDP transport"));
    }
  }

  /**
   * Marks {@code transport} as {@code config} asks, or as wg-quick would for a full tunnel on an OS
   * device; returns the config with the mark that is now in force.
   *
   * @throws IllegalArgumentException when the config has a mark the transport cannot apply
   * @throws IOException when the OS refuses the mark
   */
  static Config apply(Config config, TunnelOptions options, UdpTransport transport)
      throws IOException {
    int mark = config.iface().fwMark().orElse(0);
    if (mark != 0) {
      if (!transport.supportsMark()) {
        throw new IllegalArgumentException(refusal(mark, transport.description()));
      }
      transport.setMark(mark);
      return config;
    }
    if (options.deviceKind() != TunnelOptions.DeviceKind.OS
        || !transport.supportsMark()
        || !routesDefaultThroughOwnTable(config)) {
      return config;
    }
    transport.setMark(FULL_TUNNEL_TABLE);
    return config.toBuilder()
        .iface(config.iface().toBuilder().fwMark(FULL_TUNNEL_TABLE).build())
        .build();
  }

  /** Whether wg-quick would put a default route into a table of its own. */
  static boolean routesDefaultThroughOwnTable(Config config) {
    Optional<String> table = config.iface().table().map(String::trim);
    if (table.isPresent() && !table.get().equalsIgnoreCase("auto")) {
      return false;
    }
    for (Peer p : config.peers()) {
      for (InetNetwork n : p.allowedIps()) {
        if (n.prefixLength() == 0) {
          return true;
        }
      }
    }
    return false;
  }

  static String refusal(int mark, String transport) {
    return "FwMark = "
        + Integer.toUnsignedString(mark)
        + " cannot be applied: the UDP socket cannot be marked ("
        + transport
        + " has no SO_MARK); remove FwMark, or use the OS transport"
        + " (wireguard-tun-linux on the class path, without portableUdpTransport)";
  }
}
