package io.wireguardjava.netstack.internal.tcp;

/**
 * Reads and writes the fixed 20-byte TCP header (RFC 9293 §3.1) in place, in a caller's array: no
 * objects per segment.
 */
final class TcpHeader {
  static final int LENGTH = 20;
  static final int FIN = 0x01;
  static final int SYN = 0x02;
  static final int RST = 0x04;
  static final int PSH = 0x08;
  static final int ACK = 0x10;
  static final int URG = 0x20;

  private TcpHeader() {}

  static int srcPort(byte[] b, int off) {
    return u16(b, off);
  }

  static int dstPort(byte[] b, int off) {
    return u16(b, off + 2);
  }

  static int seq(byte[] b, int off) {
    return i32(b, off + 4);
  }

  static int ack(byte[] b, int off) {
    return i32(b, off + 8);
  }

  /** Header length in bytes, from the data-offset field. */
  static int headerLength(byte[] b, int off) {
    return ((b[off + 12] & 0xf0) >>> 4) * 4;
  }

  static int flags(byte[] b, int off) {
    return b[off + 13] & 0x3f;
  }

  static int window(byte[] b, int off) {
    return u16(b, off + 14);
  }

  /** Writes a header with a zero checksum and urgent pointer. */
  static void write(
      byte[] b,
      int off,
      int srcPort,
      int dstPort,
      int seq,
      int ack,
      int headerLength,
      int flags,
      int window) {
    putU16(b, off, srcPort);
    putU16(b, off + 2, dstPort);
    putI32(b, off + 4, seq);
    putI32(b, off + 8, ack);
    b[off + 12] = (byte) ((headerLength / 4) << 4);
    b[off + 13] = (byte) flags;
    putU16(b, off + 14, window);
    putU16(b, off + 16, 0);
    putU16(b, off + 18, 0);
  }

  static int u16(byte[] b, int off) {
    return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
  }

  static int i32(byte[] b, int off) {
    return ((b[off] & 0xff) << 24)
        | ((b[off + 1] & 0xff) << 16)
        | ((b[off + 2] & 0xff) << 8)
        | (b[off + 3] & 0xff);
  }

  static void putU16(byte[] b, int off, int v) {
    b[off] = (byte) (v >>> 8);
    b[off + 1] = (byte) v;
  }

  static void putI32(byte[] b, int off, int v) {
    b[off] = (byte) (v >>> 24);
    b[off + 1] = (byte) (v >>> 16);
    b[off + 2] = (byte) (v >>> 8);
    b[off + 3] = (byte) v;
  }
}
