package io.wireguardjava.tun.linux;

import java.util.Arrays;
import java.util.Random;

/**
 * Builds IPv4/IPv6 TCP and UDP packets for the offload tests, with checksums computed the slow way
 * (one 16-bit word at a time), independent of {@link Checksum}.
 */
final class SegmentBuilder {
  static final int FIN = 0x01;
  static final int SYN = 0x02;
  static final int RST = 0x04;
  static final int PSH = 0x08;
  static final int ACK = 0x10;
  static final int URG = 0x20;
  static final int ECE = 0x40;
  static final int CWR = 0x80;

  boolean v6;
  boolean tcp = true;
  byte[] src = {10, 0, 0, 1};
  byte[] dst = {10, 0, 0, 2};
  int srcPort = 40000;
  int dstPort = 5201;
  long seq;
  long ack = 1000;
  int flags = ACK;
  int ipId = 1;
  int ttl = 64;
  int tos;
  boolean df = true;
  byte[] options = new byte[0];

  static SegmentBuilder v4() {
    return new SegmentBuilder();
  }

  static SegmentBuilder v6() {
    SegmentBuilder b = new SegmentBuilder();
    b.v6 = true;
    b.src = new byte[16];
    b.dst = new byte[16];
    b.src[0] = (byte) 0xfd;
    b.src[15] = 1;
    b.dst[0] = (byte) 0xfd;
    b.dst[15] = 2;
    return b;
  }

  int ipLen() {
    return v6 ? 40 : 20;
  }

  int l4HeaderLen() {
    return tcp ? 20 + options.length : 8;
  }

  /** A complete packet carrying {@code payload}, all checksums valid. */
  byte[] build(byte[] payload) {
    int il = ipLen();
    int ll = l4HeaderLen();
    byte[] p = new byte[il + ll + payload.length];
    if (v6) {
      p[0] = (byte) (0x60 | (tos >> 4));
      p[1] = (byte) (tos << 4);
      put16(p, 4, p.length - 40);
      p[6] = (byte) (tcp ? 6 : 17);
      p[7] = (byte) ttl;
      System.arraycopy(src, 0, p, 8, 16);
      System.arraycopy(dst, 0, p, 24, 16);
    } else {
      p[0] = 0x45;
      p[1] = (byte) tos;
      put16(p, 2, p.length);
      put16(p, 4, ipId);
      p[6] = (byte) (df ? 0x40 : 0);
      p[8] = (byte) ttl;
      p[9] = (byte) (tcp ? 6 : 17);
      System.arraycopy(src, 0, p, 12, 4);
      System.arraycopy(dst, 0, p, 16, 4);
      put16(p, 10, ~fold(sum(p, 0, 20, 0)) & 0xffff);
    }
    put16(p, il, srcPort);
    put16(p, il + 2, dstPort);
    if (tcp) {
      put32(p, il + 4, seq);
      put32(p, il + 8, ack);
      p[il + 12] = (byte) ((ll / 4) << 4);
      p[il + 13] = (byte) flags;
      put16(p, il + 14, 65000);
      System.arraycopy(options, 0, p, il + 20, options.length);
    } else {
      put16(p, il + 4, p.length - il);
    }
    System.arraycopy(payload, 0, p, il + ll, payload.length);
    int at = il + (tcp ? 16 : 6);
    int c = ~fold(sum(p, il, p.length - il, pseudo(p))) & 0xffff;
    put16(p, at, c == 0 && !tcp ? 0xffff : c);
    return p;
  }

  /** The unfolded pseudo-header sum of {@code p}. */
  long pseudo(byte[] p) {
    int il = ipLen();
    long s = v6 ? sum(p, 8, 32, 0) : sum(p, 12, 8, 0);
    return s + (tcp ? 6 : 17) + (p.length - il);
  }

  static byte[] random(Random r, int n) {
    byte[] b = new byte[n];
    r.nextBytes(b);
    return b;
  }

  /** TCP options of {@code n} bytes (a multiple of 4): NOPs and a timestamp-like option. */
  static byte[] options(Random r, int n) {
    byte[] o = new byte[n];
    Arrays.fill(o, (byte) 1);
    if (n >= 12) {
      o[2] = 8;
      o[3] = 10;
      for (int i = 4; i < 12; i++) {
        o[i] = (byte) r.nextInt();
      }
    }
    return o;
  }

  static long sum(byte[] b, int off, int len, long s) {
    for (int i = 0; i < len; i += 2) {
      int hi = b[off + i] & 0xff;
      int lo = i + 1 < len ? b[off + i + 1] & 0xff : 0;
      s += hi << 8 | lo;
    }
    return s;
  }

  static int fold(long s) {
    while ((s >>> 16) != 0) {
      s = (s & 0xffff) + (s >>> 16);
    }
    return (int) s;
  }

  static boolean transportValid(byte[] p) {
    boolean v6 = (p[0] & 0xf0) == 0x60;
    int il = v6 ? 40 : (p[0] & 0x0f) * 4;
    int proto = v6 ? p[6] & 0xff : p[9] & 0xff;
    long s = v6 ? sum(p, 8, 32, 0) : sum(p, 12, 8, 0);
    s += proto + p.length - il;
    return fold(sum(p, il, p.length - il, s)) == 0xffff;
  }

  static void put16(byte[] b, int i, int v) {
    b[i] = (byte) (v >> 8);
    b[i + 1] = (byte) v;
  }

  static void put32(byte[] b, int i, long v) {
    put16(b, i, (int) (v >>> 16));
    put16(b, i + 2, (int) v);
  }

  static int u16(byte[] b, int i) {
    return (b[i] & 0xff) << 8 | (b[i + 1] & 0xff);
  }

  static long u32(byte[] b, int i) {
    return ((long) u16(b, i) << 16) | u16(b, i + 2);
  }
}
