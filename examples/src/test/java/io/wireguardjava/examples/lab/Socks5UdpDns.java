package io.wireguardjava.examples.lab;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A DNS A query sent through a SOCKS5 proxy's UDP ASSOCIATE (RFC 1928 §7), as a SOCKS-aware
 * application would: the control connection asks for a relay, each datagram to the relay carries
 * the SOCKS UDP header with the real destination, and the answer comes back with the same header.
 * Written from the RFCs independently of the proxy under test.
 */
final class Socks5UdpDns {
  private Socks5UdpDns() {}

  /** The IPv4 addresses {@code dnsServer} answers for {@code name}, asked through the proxy. */
  static List<InetAddress> queryA(InetSocketAddress proxy, InetSocketAddress dnsServer, String name)
      throws IOException {
    try (Socket control = new Socket()) {
      control.connect(proxy, 10_000);
      control.setSoTimeout(10_000);
      OutputStream out = control.getOutputStream();
      DataInputStream in = new DataInputStream(control.getInputStream());
      out.write(new byte[] {5, 1, 0}); // version 5, one method: no authentication
      expect(in.readByte() == 5 && in.readByte() == 0, "method selection refused");
      // UDP ASSOCIATE; DST.ADDR/PORT 0.0.0.0:0 = "from wherever I send"
      out.write(new byte[] {5, 3, 0, 1, 0, 0, 0, 0, 0, 0});
      byte[] head = new byte[4];
      in.readFully(head);
      expect(head[0] == 5 && head[1] == 0, "UDP ASSOCIATE refused, reply " + head[1]);
      InetSocketAddress relay = readAddress(in, head[3]);
      if (relay.getAddress().isAnyLocalAddress()) {
        relay = new InetSocketAddress(proxy.getAddress(), relay.getPort());
      }
      try (DatagramSocket udp = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
        udp.setSoTimeout(3_000);
        byte[] query = dnsQuery(name);
        ByteBuffer dgram = ByteBuffer.allocate(10 + query.length);
        dgram
            .put(new byte[] {0, 0, 0, 1})
            .put(dnsServer.getAddress().getAddress())
            .putShort((short) dnsServer.getPort())
            .put(query);
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
          udp.send(new DatagramPacket(dgram.array(), dgram.position(), relay));
          byte[] buf = new byte[2048];
          DatagramPacket reply = new DatagramPacket(buf, buf.length);
          try {
            udp.receive(reply);
          } catch (IOException e) {
            last = e;
            continue;
          }
          ByteBuffer r = ByteBuffer.wrap(buf, 0, reply.getLength());
          expect(
              r.getShort() == 0 && r.get() == 0 && r.get() == 1,
              "reply without the SOCKS IPv4 header");
          byte[] from = new byte[4];
          r.get(from);
          expect(
              InetAddress.getByAddress(from).equals(dnsServer.getAddress())
                  && (r.getShort() & 0xffff) == dnsServer.getPort(),
              "reply not from the DNS server");
          return answers(r.slice());
        }
        throw last;
      }
    }
  }

  private static InetSocketAddress readAddress(DataInputStream in, byte type) throws IOException {
    byte[] addr =
        switch (type) {
          case 1 -> new byte[4];
          case 4 -> new byte[16];
          default -> throw new IOException("unexpected BND.ADDR type " + type);
        };
    in.readFully(addr);
    return new InetSocketAddress(InetAddress.getByAddress(addr), in.readUnsignedShort());
  }

  private static byte[] dnsQuery(String name) {
    ByteBuffer b = ByteBuffer.allocate(512);
    b.putShort((short) 0x4a11)
        .putShort((short) 0x0100)
        .putShort((short) 1)
        .putShort((short) 0)
        .putShort((short) 0)
        .putShort((short) 0); // id, RD, one question
    for (String label : name.split("\\.")) {
      byte[] l = label.getBytes(StandardCharsets.US_ASCII);
      b.put((byte) l.length).put(l);
    }
    b.put((byte) 0).putShort((short) 1).putShort((short) 1); // QTYPE A, QCLASS IN
    byte[] q = new byte[b.position()];
    b.flip().get(q);
    return q;
  }

  /** The A records of a DNS response (compression pointers skipped, not followed). */
  private static List<InetAddress> answers(ByteBuffer m) throws IOException {
    expect(m.getShort() == 0x4a11, "answer to another query");
    int flags = m.getShort() & 0xffff;
    expect(
        (flags & 0x8000) != 0 && (flags & 0xf) == 0,
        "DNS error, flags " + Integer.toHexString(flags));
    int qd = m.getShort() & 0xffff;
    int an = m.getShort() & 0xffff;
    m.getInt(); // NS and AR counts
    for (int i = 0; i < qd; i++) {
      skipName(m);
      m.getInt();
    }
    List<InetAddress> out = new ArrayList<>();
    for (int i = 0; i < an; i++) {
      skipName(m);
      int type = m.getShort() & 0xffff;
      m.getShort();
      m.getInt();
      byte[] data = new byte[m.getShort() & 0xffff];
      m.get(data);
      if (type == 1) {
        out.add(InetAddress.getByAddress(data));
      }
    }
    return out;
  }

  private static void skipName(ByteBuffer m) {
    while (true) {
      int len = m.get() & 0xff;
      if (len == 0) {
        return;
      }
      if ((len & 0xc0) == 0xc0) {
        m.get();
        return;
      }
      m.position(m.position() + len);
    }
  }

  private static void expect(boolean ok, String what) throws IOException {
    if (!ok) {
      throw new IOException(what);
    }
  }
}
