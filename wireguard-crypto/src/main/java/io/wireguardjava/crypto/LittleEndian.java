package io.wireguardjava.crypto;

/** Little-endian integers in byte arrays: WireGuard's message fields and ChaCha20's words. */
final class LittleEndian {
  private LittleEndian() {}

  static int le32(byte[] b, int off) {
    return (b[off] & 0xff)
        | (b[off + 1] & 0xff) << 8
        | (b[off + 2] & 0xff) << 16
        | (b[off + 3] & 0xff) << 24;
  }

  static long le64(byte[] b, int off) {
    return (le32(b, off) & 0xffffffffL) | ((long) le32(b, off + 4)) << 32;
  }

  static void putLe32(byte[] b, int off, int v) {
    b[off] = (byte) v;
    b[off + 1] = (byte) (v >>> 8);
    b[off + 2] = (byte) (v >>> 16);
    b[off + 3] = (byte) (v >>> 24);
  }

  static void putLe64(byte[] b, int off, long v) {
    putLe32(b, off, (int) v);
    putLe32(b, off + 4, (int) (v >>> 32));
  }
}
