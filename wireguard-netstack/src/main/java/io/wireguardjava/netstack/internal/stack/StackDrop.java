package io.wireguardjava.netstack.internal.stack;

/** Why the stack dropped an inbound packet or could not send one; each is counted. */
public enum StackDrop {
  /** A header failed its checks (length, version, checksum). */
  MALFORMED,
  /** The destination is not one of the stack's addresses. */
  NOT_FOR_US,
  /** A transport protocol the stack does not speak, or an unsupported IPv6 header. */
  UNSUPPORTED,
  /** An IPv4 fragment that is held for reassembly (counted, not lost) or was discarded. */
  FRAGMENT,
  /** A UDP datagram to a port nobody bound (answered with port unreachable when allowed). */
  NO_UDP_LISTENER,
  /** A UDP datagram for a socket whose receive queue was full. */
  UDP_QUEUE_FULL,
  /** A UDP datagram for a connected socket from another peer. */
  UDP_NOT_CONNECTED_PEER,
  /** An ICMP message the stack ignores (unknown type, a reply nobody waits for). */
  ICMP_IGNORED,
  /** A TCP segment while no TCP layer is attached. */
  NO_TCP,
  /** An ICMP error not sent because of the rate limit. */
  ICMP_RATE_LIMITED,
  /** The output refused a packet. */
  OUTPUT_FAILED
}
