package io.wireguardjava.crypto;

/**
 * TAI64N timestamps (12 bytes: big-endian {@code 2^62 + 10 + seconds}, then big-endian
 * nanoseconds), as WireGuard and wireguard-go write them: the TAI offset is the constant 10 s of
 * libtai's "TAI64 label of 1970", and the nanoseconds are rounded down to a multiple of {@link
 * Protocol#TIMESTAMP_WHITENING_NANOS}. Compared as unsigned bytes, a later time is larger.
 */
final class Tai64n {

  /** {@code 2^62 + 10}: the TAI64 label of the Unix epoch (libtai convention). */
  public static final long BASE = (1L << 62) + 10;

  private Tai64n() {}

  /**
   * Writes the whitened timestamp of {@code epochNanos} (ns since 1970 UTC) at {@code out[off]}.
   */
  public static void write(long epochNanos, byte[] out, int off) {
    long seconds = Math.floorDiv(epochNanos, 1_000_000_000L);
    int nanos = (int) Math.floorMod(epochNanos, 1_000_000_000L);
    nanos -= nanos % Protocol.TIMESTAMP_WHITENING_NANOS;
    long s = BASE + seconds;
    for (int i = 0; i < 8; i++) {
      out[off + i] = (byte) (s >>> (56 - 8 * i));
    }
    for (int i = 0; i < 4; i++) {
      out[off + 8 + i] = (byte) (nanos >>> (24 - 8 * i));
    }
  }

  /** A new 12-byte whitened timestamp of {@code epochNanos}. */
  public static byte[] of(long epochNanos) {
    byte[] b = new byte[Protocol.TIMESTAMP_LENGTH];
    write(epochNanos, b, 0);
    return b;
  }

  /** Compares two 12-byte timestamps as unsigned big-endian numbers (not constant time). */
  public static int compare(byte[] a, int aOff, byte[] b, int bOff) {
    return java.util.Arrays.compareUnsigned(
        a, aOff, aOff + Protocol.TIMESTAMP_LENGTH, b, bOff, bOff + Protocol.TIMESTAMP_LENGTH);
  }

  /** The epoch nanoseconds a timestamp stands for (for logs and tests). */
  public static long toEpochNanos(byte[] t, int off) {
    long s = 0;
    for (int i = 0; i < 8; i++) {
      s = (s << 8) | (t[off + i] & 0xff);
    }
    long n = 0;
    for (int i = 0; i < 4; i++) {
      n = (n << 8) | (t[off + 8 + i] & 0xff);
    }
    return (s - BASE) * 1_000_000_000L + n;
  }
}
