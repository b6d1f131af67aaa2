package io.wireguardjava.netstack.internal.tcp;

/**
 * TCP options we understand (MSS, window scale, SACK-permitted, SACK blocks; RFC 9293, 7323, 2018),
 * parsed into this reusable holder and emitted into a caller's array. Timestamps and unknown
 * options are skipped.
 */
final class TcpOptions {
  static final int KIND_END = 0;
  static final int KIND_NOP = 1;
  static final int KIND_MSS = 2;
  static final int KIND_WSCALE = 3;
  static final int KIND_SACK_PERMITTED = 4;
  static final int KIND_SACK = 5;

  /** RFC 7323 §2.3: a shift above 14 is treated as 14. */
  static final int MAX_WSCALE = 14;

  static final int MAX_SACK_BLOCKS = 4;

  /** MSS option value, or -1 when absent. */
  int mss;

  /** Window-scale shift, or -1 when absent. */
  int windowScale;

  boolean sackPermitted;
  int sackCount;
  final int[] sackStart = new int[MAX_SACK_BLOCKS];
  final int[] sackEnd = new int[MAX_SACK_BLOCKS];

  /**
   * Parses the options of the header at {@code tcpOffset}.
   *
   * @return false if the option list is malformed (the segment is then dropped)
   */
  boolean parse(byte[] b, int tcpOffset, int headerLength) {
    mss = -1;
    windowScale = -1;
    sackPermitted = false;
    sackCount = 0;
    int i = tcpOffset + TcpHeader.LENGTH;
    int end = tcpOffset + headerLength;
    while (i < end) {
      int kind = b[i] & 0xff;
      if (kind == KIND_END) {
        break;
      }
      if (kind == KIND_NOP) {
        i++;
        continue;
      }
      if (i + 1 >= end) {
        return false;
      }
      int len = b[i + 1] & 0xff;
      if (len < 2 || i + len > end) {
        return false;
      }
      switch (kind) {
        case KIND_MSS -> {
          if (len != 4) {
            return false;
          }
          mss = TcpHeader.u16(b, i + 2);
        }
        case KIND_WSCALE -> {
          if (len != 3) {
            return false;
          }
          windowScale = Math.min(b[i + 2] & 0xff, MAX_WSCALE);
        }
        case KIND_SACK_PERMITTED -> {
          if (len != 2) {
            return false;
          }
          sackPermitted = true;
        }
        case KIND_SACK -> {
          if ((len - 2) % 8 != 0) {
            return false;
          }
          for (int p = i + 2; p < i + len && sackCount < MAX_SACK_BLOCKS; p += 8) {
            sackStart[sackCount] = TcpHeader.i32(b, p);
            sackEnd[sackCount] = TcpHeader.i32(b, p + 4);
            sackCount++;
          }
        }
        default -> {
          // Timestamps and anything else: not used.
        }
      }
      i += len;
    }
    return true;
  }

  /**
   * Writes the SYN options: MSS, then (when asked) NOP+window scale and NOP+NOP+SACK-permitted.
   *
   * @return bytes written, a multiple of 4
   */
  static int writeSynOptions(byte[] b, int off, int mss, int windowScale, boolean sackPermitted) {
    int p = off;
    b[p++] = KIND_MSS;
    b[p++] = 4;
    TcpHeader.putU16(b, p, mss);
    p += 2;
    if (windowScale >= 0) {
      b[p++] = KIND_NOP;
      b[p++] = KIND_WSCALE;
      b[p++] = 3;
      b[p++] = (byte) windowScale;
    }
    if (sackPermitted) {
      b[p++] = KIND_NOP;
      b[p++] = KIND_NOP;
      b[p++] = KIND_SACK_PERMITTED;
      b[p++] = 2;
    }
    return p - off;
  }

  /**
   * Writes NOP, NOP and a SACK option with {@code count} blocks.
   *
   * @return bytes written, a multiple of 4 (0 when count is 0)
   */
  static int writeSack(byte[] b, int off, int[] starts, int[] ends, int count) {
    if (count == 0) {
      return 0;
    }
    int p = off;
    b[p++] = KIND_NOP;
    b[p++] = KIND_NOP;
    b[p++] = KIND_SACK;
    b[p++] = (byte) (2 + 8 * count);
    for (int i = 0; i < count; i++) {
      TcpHeader.putI32(b, p, starts[i]);
      TcpHeader.putI32(b, p + 4, ends[i]);
      p += 8;
    }
    return p - off;
  }
}
