package io.wireguardjava.tun.mac;

import java.util.Objects;

/**
 * The 4-byte header in front of every packet on a utun socket: the address family ({@code AF_INET}
 * = 2 or {@code AF_INET6} = 30 on macOS) as a 32-bit big-endian integer, as wireguard-go's
 * tun_darwin.go writes and strips it.
 */
final class UtunFraming {

  /** Length of the address-family header. */
  static final int HEADER_LENGTH = 4;

  private UtunFraming() {}

  /**
   * The macOS address family for the IP packet {@code packet[offset..offset+length)}, from its
   * version nibble.
   *
   * @throws IllegalArgumentException when the packet is empty or neither IPv4 nor IPv6
   */
  static int addressFamily(byte[] packet, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, packet.length);
    if (length == 0) {
      throw new IllegalArgumentException("empty packet");
    }
    int version = (packet[offset] >>> 4) & 0xf;
    switch (version) {
      case 4:
        return Darwin.AF_INET;
      case 6:
        return Darwin.AF_INET6;
      default:
        throw new IllegalArgumentException("not an IPv4 or IPv6 packet (version " + version + ")");
    }
  }

  /**
   * Writes the header and then the packet into {@code frame}.
   *
   * @return the frame length, {@code length + HEADER_LENGTH}
   * @throws IllegalArgumentException when the packet is not IP or does not fit in {@code frame}
   */
  static int frame(byte[] packet, int offset, int length, byte[] frame) {
    int family = addressFamily(packet, offset, length);
    if (length + HEADER_LENGTH > frame.length) {
      throw new IllegalArgumentException(
          "packet of " + length + " bytes is larger than " + (frame.length - HEADER_LENGTH));
    }
    frame[0] = (byte) (family >>> 24);
    frame[1] = (byte) (family >>> 16);
    frame[2] = (byte) (family >>> 8);
    frame[3] = (byte) family;
    System.arraycopy(packet, offset, frame, HEADER_LENGTH, length);
    return length + HEADER_LENGTH;
  }

  /** The address family in the header of {@code frame}. */
  static int family(byte[] frame) {
    return ((frame[0] & 0xff) << 24)
        | ((frame[1] & 0xff) << 16)
        | ((frame[2] & 0xff) << 8)
        | (frame[3] & 0xff);
  }

  /**
   * Strips the header of {@code frame[0..frameLength)} and copies the packet to {@code
   * dst[offset..offset+length)}.
   *
   * @return the packet length, or {@code -1} when the frame is not an IPv4/IPv6 frame whose header
   *     agrees with the packet's version, or the packet does not fit in {@code length}
   */
  static int unframe(byte[] frame, int frameLength, byte[] dst, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, dst.length);
    int packetLength = frameLength - HEADER_LENGTH;
    if (packetLength <= 0 || packetLength > length) {
      return -1;
    }
    int family = family(frame);
    int version = (frame[HEADER_LENGTH] >>> 4) & 0xf;
    boolean consistent =
        (family == Darwin.AF_INET && version == 4) || (family == Darwin.AF_INET6 && version == 6);
    if (!consistent) {
      return -1;
    }
    System.arraycopy(frame, HEADER_LENGTH, dst, offset, packetLength);
    return packetLength;
  }
}
