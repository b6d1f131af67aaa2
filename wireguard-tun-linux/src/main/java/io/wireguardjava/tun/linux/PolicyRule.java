package io.wireguardjava.tun.linux;

/**
 * One routing policy rule ({@code ip rule}), as wg-quick adds them for a default route.
 *
 * @param ipv6 family: {@code ip -6 rule} when true
 * @param priority the rule's priority; 0 lets the kernel pick
 * @param table the table to look up
 * @param invert {@code not} before the selector
 * @param fwmark match packets with this mark (0: no mark selector)
 * @param udpSourcePort match UDP packets from this source port (0: no port selector)
 * @param suppressPrefixLength ignore routes with a prefix this short or shorter (-1: none)
 */
record PolicyRule(
    boolean ipv6,
    int priority,
    int table,
    boolean invert,
    int fwmark,
    int udpSourcePort,
    int suppressPrefixLength) {

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder(ipv6 ? "-6 " : "-4 ");
    if (priority > 0) {
      b.append("priority ").append(priority).append(' ');
    }
    if (invert) {
      b.append("not ");
    }
    if (fwmark != 0) {
      b.append("fwmark 0x").append(Integer.toHexString(fwmark)).append(' ');
    }
    if (udpSourcePort != 0) {
      b.append("ipproto udp sport ").append(udpSourcePort).append(' ');
    }
    b.append("table ").append(table == Netlink.RT_TABLE_MAIN ? "main" : Integer.toString(table));
    if (suppressPrefixLength >= 0) {
      b.append(" suppress_prefixlength ").append(suppressPrefixLength);
    }
    return b.toString();
  }
}
