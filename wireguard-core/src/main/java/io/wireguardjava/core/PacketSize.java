package io.wireguardjava.core;

import io.wireguardjava.crypto.Protocol;

/**
 * The one rule that sizes the data path: an inner IP packet is at most the tunnel's MTU, and a
 * transport message carrying it is {@link Protocol#transportLength} of that (header, padding to a
 * multiple of 16, tag). Every send buffer is {@link #datagramLength(int)} of the current MTU, every
 * staging buffer {@link #stagingLength(int)}; a packet over the MTU is dropped as {@code TOO_LARGE}
 * on every path (send, receive, forward) before it reaches a buffer.
 */
final class PacketSize {
  private PacketSize() {}

  /** The largest IPv4 or IPv6 packet (the 16-bit total/payload length field). */
  static final int MAX_IP_PACKET = 65535;

  /** The smallest MTU accepted: IPv4's minimum datagram every host must take (RFC 791). */
  static final int MIN_MTU = 576;

  /**
   * The largest MTU accepted: a sealed packet of that size, padding included, must still fit in one
   * UDP datagram over IPv4 (65,535 minus 28 bytes of IPv4 and UDP headers).
   */
  static final int MAX_MTU =
      (65535 - 28 - Protocol.transportLength(0)) & -Protocol.PADDING_MULTIPLE;

  /** Bytes a send buffer needs for any packet of at most {@code mtu} bytes, sealed. */
  static int datagramLength(int mtu) {
    return Protocol.transportLength(mtu);
  }

  /** Bytes a staged (not yet sealed) packet of at most {@code mtu} bytes needs. */
  static int stagingLength(int mtu) {
    return mtu;
  }

  /** Whether an inner packet of {@code length} bytes may cross a tunnel of {@code mtu}. */
  static boolean fits(int length, int mtu) {
    return length <= mtu;
  }

  /**
   * Checks an MTU given by an application or the OS.
   *
   * @throws IllegalArgumentException naming the bounds when {@code mtu} is outside them
   */
  static int checkMtu(int mtu) {
    if (mtu < MIN_MTU || mtu > MAX_MTU) {
      throw new IllegalArgumentException(
          "MTU must be in " + MIN_MTU + ".." + MAX_MTU + ", not " + mtu);
    }
    return mtu;
  }
}
