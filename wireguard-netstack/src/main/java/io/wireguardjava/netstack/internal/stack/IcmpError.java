package io.wireguardjava.netstack.internal.stack;

/** The ICMP errors the stack passes to its transports, grouped as sockets report them. */
public enum IcmpError {
  /** Network, host or address unreachable (ICMP 3/0,1,6,7..., ICMPv6 1/0,2,3). */
  HOST_UNREACHABLE,
  /** Port or protocol unreachable: nothing listens there (ICMP 3/2,3, ICMPv6 1/4). */
  PORT_UNREACHABLE,
  /** Administratively prohibited (ICMP 3/9,10,13, ICMPv6 1/1,5,6). */
  PROHIBITED,
  /** Fragmentation needed (ICMP 3/4) or packet too big (ICMPv6 2), with the next-hop MTU. */
  PACKET_TOO_BIG;

  /**
   * Classifies an ICMPv4 destination-unreachable code.
   *
   * @param code the code
   * @return the kind
   */
  public static IcmpError ofV4Unreachable(int code) {
    switch (code) {
      case 2:
      case 3:
        return PORT_UNREACHABLE;
      case 4:
        return PACKET_TOO_BIG;
      case 9:
      case 10:
      case 13:
        return PROHIBITED;
      default:
        return HOST_UNREACHABLE;
    }
  }

  /**
   * Classifies an ICMPv6 destination-unreachable code.
   *
   * @param code the code
   * @return the kind
   */
  public static IcmpError ofV6Unreachable(int code) {
    switch (code) {
      case 4:
        return PORT_UNREACHABLE;
      case 1:
      case 5:
      case 6:
        return PROHIBITED;
      default:
        return HOST_UNREACHABLE;
    }
  }
}
