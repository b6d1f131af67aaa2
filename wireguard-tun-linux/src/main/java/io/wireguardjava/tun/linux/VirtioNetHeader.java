package io.wireguardjava.tun.linux;

/**
 * The {@code struct virtio_net_hdr} (linux/virtio_net.h) that starts every read and write of a TUN
 * opened with {@code IFF_VNET_HDR}: 10 bytes, little-endian, fields at fixed offsets (checked
 * against the C compiler in the tests). A mutable holder, reused for every packet of one thread.
 */
final class VirtioNetHeader {

  static final int LENGTH = 10;

  // offsets
  static final int FLAGS = 0;
  static final int GSO_TYPE = 1;
  static final int HDR_LEN = 2;
  static final int GSO_SIZE = 4;
  static final int CSUM_START = 6;
  static final int CSUM_OFFSET = 8;

  /** flags: the transport checksum is to be completed from csum_start, stored at csum_offset. */
  static final int F_NEEDS_CSUM = 1;

  static final int GSO_NONE = 0;
  static final int GSO_TCPV4 = 1;
  static final int GSO_TCPV6 = 4;
  static final int GSO_UDP_L4 = 5;

  /** gso_type bit: the TCP packet has ECN set (we do not ask for TSO_ECN, but mask it anyway). */
  static final int GSO_ECN = 0x80;

  /** csum_offset of the TCP and UDP checksum fields. */
  static final int TCP_CSUM_OFFSET = 16;

  static final int UDP_CSUM_OFFSET = 6;

  int flags;
  int gsoType;
  int hdrLen;
  int gsoSize;
  int csumStart;
  int csumOffset;

  /** Reads the header at {@code b[off..off+10)}. */
  VirtioNetHeader parse(byte[] b, int off) {
    flags = b[off + FLAGS] & 0xff;
    gsoType = b[off + GSO_TYPE] & 0xff;
    hdrLen = u16le(b, off + HDR_LEN);
    gsoSize = u16le(b, off + GSO_SIZE);
    csumStart = u16le(b, off + CSUM_START);
    csumOffset = u16le(b, off + CSUM_OFFSET);
    return this;
  }

  /** Writes the header at {@code b[off..off+10)}. */
  void write(byte[] b, int off) {
    b[off + FLAGS] = (byte) flags;
    b[off + GSO_TYPE] = (byte) gsoType;
    put16le(b, off + HDR_LEN, hdrLen);
    put16le(b, off + GSO_SIZE, gsoSize);
    put16le(b, off + CSUM_START, csumStart);
    put16le(b, off + CSUM_OFFSET, csumOffset);
  }

  /** Sets every field to zero: a plain packet, checksums complete. */
  VirtioNetHeader clear() {
    flags = 0;
    gsoType = GSO_NONE;
    hdrLen = 0;
    gsoSize = 0;
    csumStart = 0;
    csumOffset = 0;
    return this;
  }

  /** Writes ten zero bytes at {@code off}: the header of a plain packet. */
  static void writeNone(byte[] b, int off) {
    java.util.Arrays.fill(b, off, off + LENGTH, (byte) 0);
  }

  private static int u16le(byte[] b, int i) {
    return (b[i] & 0xff) | (b[i + 1] & 0xff) << 8;
  }

  private static void put16le(byte[] b, int i, int v) {
    b[i] = (byte) v;
    b[i + 1] = (byte) (v >> 8);
  }

  @Override
  public String toString() {
    return "virtio_net_hdr[flags "
        + flags
        + ", gso_type "
        + gsoType
        + ", hdr_len "
        + hdrLen
        + ", gso_size "
        + gsoSize
        + ", csum_start "
        + csumStart
        + ", csum_offset "
        + csumOffset
        + "]";
  }
}
