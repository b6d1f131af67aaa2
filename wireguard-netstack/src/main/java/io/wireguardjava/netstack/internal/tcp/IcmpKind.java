package io.wireguardjava.netstack.internal.tcp;

/** The ICMP/ICMPv6 errors the IP layer reports to TCP about one of our segments. */
public enum IcmpKind {
  /** Network or host unreachable (ICMP type 3 codes 0/1/6/7, ICMPv6 type 1 codes 0/3). */
  HOST_UNREACHABLE,
  /** Port unreachable (ICMP 3/3, ICMPv6 1/4). */
  PORT_UNREACHABLE,
  /** Administratively prohibited (ICMP 3/9/10/13, ICMPv6 1/1). */
  PROHIBITED,
  /** Fragmentation needed / packet too big: carries the next-hop MTU (ICMP 3/4, ICMPv6 type 2). */
  PACKET_TOO_BIG
}
