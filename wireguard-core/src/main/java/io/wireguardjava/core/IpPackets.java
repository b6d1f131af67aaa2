package io.wireguardjava.core;

/**
 * Reading the few IPv4 and IPv6 header fields the engine routes on, in place, without allocation.
 * Offsets are relative to the packet's first byte.
 */
final class IpPackets {
  private IpPackets() {}

  static final int IPV4_HEADER = 20;
  static final int IPV6_HEADER = 40;

  /** 4 or 6 for a well-formed packet of {@code length} bytes, else 0. */
  static int version(byte[] buf, int off, int length) {
    if (length < 1) {
      return 0;
    }
    int v = (buf[off] & 0xFF) >>> 4;
    if (v == 4 && length >= IPV4_HEADER) {
      return 4;
    }
    if (v == 6 && length >= IPV6_HEADER) {
      return 6;
    }
    return 0;
  }

  /** The total length the header claims (IPv4 total length, IPv6 payload length + 40). */
  static int declaredLength(byte[] buf, int off, int version) {
    if (version == 4) {
      return ((buf[off + 2] & 0xFF) << 8) | (buf[off + 3] & 0xFF);
    }
    return (((buf[off + 4] & 0xFF) << 8) | (buf[off + 5] & 0xFF)) + IPV6_HEADER;
  }

  /** Offset of the source address. */
  static int sourceOffset(int version) {
    return version == 4 ? 12 : 8;
  }

  /** Offset of the destination address. */
  static int destinationOffset(int version) {
    return version == 4 ? 16 : 24;
  }

  /** Length of an address: 4 or 16 bytes. */
  static int addressLength(int version) {
    return version == 4 ? 4 : 16;
  }
}
