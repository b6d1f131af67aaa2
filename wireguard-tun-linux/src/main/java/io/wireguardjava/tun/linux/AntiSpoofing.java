package io.wireguardjava.tun.linux;

import io.wireguardjava.InetNetwork;
import java.util.ArrayList;
import java.util.List;

/**
 * The rule wg-quick adds for a full tunnel ({@code add_default}): in the raw prerouting hook, drop
 * a packet addressed to one of the interface's own addresses that did not arrive on the interface
 * and does not come from this host, so nobody on the local network can reach the tunnel's address
 * from outside the tunnel. One nftables table per address family, {@code ip} or {@code ip6} {@code
 * wg-java-<interface>} (wg-quick names its own {@code wg-quick-<if>}), removed when the interface
 * goes down. With a FwMark (the socket is marked, the default-route rule selects on the mark) also
 * wg-quick's connmark pair: the mark of the tunnel's outgoing UDP packets is saved in conntrack and
 * restored on the replies, so the reverse-path filter ({@code src_valid_mark}) routes them as the
 * socket's own, through the main table. Without a mark (the source-port rule) they are not needed.
 */
final class AntiSpoofing {
  private AntiSpoofing() {}

  /** The nftables table for one family ({@code ip} or {@code ip6}). */
  record Table(String family, String name) {
    @Override
    public String toString() {
      return family + " " + name;
    }
  }

  /** The tables {@link #script} creates, for {@code nft delete table}. */
  static List<Table> tables(String ifName, boolean v4, boolean v6) {
    List<Table> l = new ArrayList<>();
    if (v4) {
      l.add(new Table("ip", "wg-java-" + ifName));
    }
    if (v6) {
      l.add(new Table("ip6", "wg-java-" + ifName));
    }
    return l;
  }

  /**
   * The {@code nft -f -} script for the families that have a default route through the tunnel
   * ({@code v4}, {@code v6}), one drop rule per interface address of that family, and with {@code
   * fwMark} (0: none) the connmark save and restore rules.
   */
  static String script(
      String ifName, List<InetNetwork> addresses, boolean v4, boolean v6, int fwMark) {
    StringBuilder sb = new StringBuilder();
    for (Table t : tables(ifName, v4, v6)) {
      boolean ipv4 = t.family().equals("ip");
      sb.append("add table ").append(t).append('\n');
      sb.append("add chain ")
          .append(t)
          .append(" preraw { type filter hook prerouting priority -300; }\n");
      if (fwMark != 0) {
        sb.append("add chain ")
            .append(t)
            .append(" premangle { type filter hook prerouting priority -150; }\n");
        sb.append("add chain ")
            .append(t)
            .append(" postmangle { type filter hook postrouting priority -150; }\n");
      }
      for (InetNetwork a : addresses) {
        if (a.isIpv4() == ipv4) {
          sb.append("add rule ")
              .append(t)
              .append(" preraw iifname != \"")
              .append(ifName)
              .append("\" ")
              .append(t.family())
              .append(" daddr ")
              .append(InetNetwork.addressText(a.address()))
              .append(" fib saddr type != local drop\n");
        }
      }
      if (fwMark != 0) {
        sb.append("add rule ")
            .append(t)
            .append(" postmangle meta l4proto udp mark ")
            .append(Integer.toUnsignedString(fwMark))
            .append(" ct mark set mark\n");
        sb.append("add rule ")
            .append(t)
            .append(" premangle meta l4proto udp meta mark set ct mark\n");
      }
    }
    return sb.toString();
  }
}
