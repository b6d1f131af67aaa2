package io.wireguardjava.netstack.internal.wire;

/** Big-endian reads and writes of header fields in caller-owned arrays. */
public final class Bytes {
  private Bytes() {}

  /**
   * Reads an unsigned 16-bit field.
   *
   * @param b the array
   * @param i the field's offset
   * @return the value, in [0, 0xffff]
   */
  public static int u16(byte[] b, int i) {
    return ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
  }

  /**
   * Reads a 32-bit field.
   *
   * @param b the array
   * @param i the field's offset
   * @return the value (as a signed int; use {@link Integer#toUnsignedLong} for the unsigned one)
   */
  public static int i32(byte[] b, int i) {
    return ((b[i] & 0xff) << 24)
        | ((b[i + 1] & 0xff) << 16)
        | ((b[i + 2] & 0xff) << 8)
        | (b[i + 3] & 0xff);
  }

  /**
   * Writes a 16-bit field.
   *
   * @param b the array
   * @param i the field's offset
   * @param v the value (low 16 bits used)
   */
  public static void put16(byte[] b, int i, int v) {
    b[i] = (byte) (v >>> 8);
    b[i + 1] = (byte) v;
  }

  /**
   * Writes a 32-bit field.
   *
   * @param b the array
   * @param i the field's offset
   * @param v the value
   */
  public static void put32(byte[] b, int i, int v) {
    b[i] = (byte) (v >>> 24);
    b[i + 1] = (byte) (v >>> 16);
    b[i + 2] = (byte) (v >>> 8);
    b[i + 3] = (byte) v;
  }

  /**
   * Compares {@code length} bytes of two arrays without allocating.
   *
   * @param a the first array
   * @param aOffset where to start in it
   * @param b the second array
   * @param bOffset where to start in it
   * @param length how many bytes
   * @return whether they are equal
   */
  public static boolean equal(byte[] a, int aOffset, byte[] b, int bOffset, int length) {
    return java.util.Arrays.equals(a, aOffset, aOffset + length, b, bOffset, bOffset + length);
  }
}
