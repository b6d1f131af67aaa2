package io.wireguardjava.core;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/** Minimal IPv4 and IPv6 packets for tests (protocol 253, "experimental"; no checksums needed). */
final class TestPackets {
  private TestPackets() {}

  static byte[] ip(String src, String dst, byte[] payload) {
    InetAddress s = addr(src);
    InetAddress d = addr(dst);
    if (s.getAddress().length == 4) {
      ByteBuffer b = ByteBuffer.allocate(20 + payload.length);
      b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + payload.length));
      b.putInt(0).put((byte) 64).put((byte) 253).putShort((short) 0);
      b.put(s.getAddress()).put(d.getAddress()).put(payload);
      return b.array();
    }
    ByteBuffer b = ByteBuffer.allocate(40 + payload.length);
    b.putInt(0x6000_0000).putShort((short) payload.length).put((byte) 253).put((byte) 64);
    b.put(s.getAddress()).put(d.getAddress()).put(payload);
    return b.array();
  }

  /** The payload of a packet made by {@link #ip}. */
  static byte[] payload(byte[] packet, int length) {
    int h = (packet[0] >> 4) == 4 ? 20 : 40;
    byte[] p = new byte[length - h];
    System.arraycopy(packet, h, p, 0, p.length);
    return p;
  }

  static InetAddress addr(String s) {
    try {
      return InetAddress.getByName(s);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
