package io.wireguardjava.netstack.proxy;

import io.wireguardjava.Config;
import io.wireguardjava.Endpoint;
import io.wireguardjava.InetNetwork;
import io.wireguardjava.Interface;
import io.wireguardjava.Peer;
import io.wireguardjava.PrivateKey;
import io.wireguardjava.Tunnel;
import io.wireguardjava.TunnelOptions;
import io.wireguardjava.netstack.TunnelDatagramSocket;
import io.wireguardjava.netstack.TunnelNetwork;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Two tunnel networks in one JVM over loopback UDP: "a" (10.77.0.1, fd77::1), where the proxies
 * run, and "b" (10.77.0.2, fd77::2), the peer with the services: a TCP echo on port 7, a UDP echo
 * on port 7, and a DNS server on port 53 that knows one name, {@link #NAME}, which no resolver on
 * the host knows.
 */
final class TunnelPair implements AutoCloseable {
  static final String NAME = "svc.hpx-only-in-tunnel.test";
  static final InetAddress A4 = literal("10.77.0.1");
  static final InetAddress B4 = literal("10.77.0.2");
  static final InetAddress A6 = literal("fd77::1");
  static final InetAddress B6 = literal("fd77::2");
  private static final AtomicInteger N = new AtomicInteger();

  final Tunnel ta;
  final Tunnel tb;
  final TunnelNetwork a;
  final TunnelNetwork b;
  private final ServerSocket echo;
  private final TunnelDatagramSocket udpEcho;
  private final TunnelDatagramSocket dns;

  TunnelPair() throws IOException {
    PrivateKey ka = PrivateKey.generate();
    PrivateKey kb = PrivateKey.generate();
    Interface ia =
        Interface.builder()
            .privateKey(ka)
            .addAddress(InetNetwork.of(A4, 32))
            .addAddress(InetNetwork.of(A6, 128))
            .addDnsServer(B4)
            .build();
    Interface ib =
        Interface.builder()
            .privateKey(kb)
            .addAddress(InetNetwork.of(B4, 32))
            .addAddress(InetNetwork.of(B6, 128))
            .build();
    int n = N.incrementAndGet();
    ta = open(ia, "hpxa" + n);
    tb = open(ib, "hpxb" + n);
    ta.addPeer(peer(kb, B4, B6, tb));
    tb.addPeer(peer(ka, A4, A6, ta));
    a = TunnelNetwork.attach(ta, ia);
    b = TunnelNetwork.attach(tb, ib);
    echo = b.listen(7);
    udpEcho = b.openDatagram(7);
    dns = b.openDatagram(53);
    daemon("hpx-echo", this::serveEcho);
    daemon("hpx-udp-echo", () -> serveUdp(udpEcho, false));
    daemon("hpx-dns", () -> serveUdp(dns, true));
  }

  private static Tunnel open(Interface iface, String name) throws IOException {
    TunnelOptions o =
        TunnelOptions.builder()
            .inProcessDevice()
            .interfaceName(name)
            .bindAddress(InetAddress.getLoopbackAddress())
            .build();
    return Tunnel.open(Config.builder().iface(iface.withoutWgQuickSettings()).build(), o);
  }

  private static Peer peer(PrivateKey key, InetAddress v4, InetAddress v6, Tunnel at) {
    return Peer.builder()
        .publicKey(key.publicKey())
        .addAllowedIp(InetNetwork.of(v4, 32))
        .addAllowedIp(InetNetwork.of(v6, 128))
        .endpoint(
            Endpoint.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), at.listenPort())))
        .build();
  }

  private static void daemon(String name, Runnable r) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.start();
  }

  private void serveEcho() {
    while (true) {
      Socket s;
      try {
        s = echo.accept();
      } catch (IOException e) {
        return;
      }
      daemon(
          "hpx-echo-conn",
          () -> {
            try (s) {
              InputStream in = s.getInputStream();
              OutputStream out = s.getOutputStream();
              byte[] buf = new byte[16384];
              int n;
              while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
              }
              s.shutdownOutput();
            } catch (IOException e) {
              // reset by the test
            }
          });
    }
  }

  private static void serveUdp(TunnelDatagramSocket socket, boolean dnsServer) {
    ByteBuffer buf = ByteBuffer.allocate(65535);
    while (true) {
      buf.clear();
      InetSocketAddress from;
      try {
        from = socket.receive(buf);
      } catch (IOException e) {
        return;
      }
      buf.flip();
      ByteBuffer reply = dnsServer ? dnsAnswer(buf) : buf;
      try {
        socket.send(reply, from);
      } catch (IOException e) {
        // the client went away
      }
    }
  }

  /**
   * A DNS answer (RFC 1035 §4.1): {@link #NAME} A is {@link #B4}, its AAAA has no data, anything
   * else is NXDOMAIN.
   */
  static ByteBuffer dnsAnswer(ByteBuffer query) {
    byte[] q = new byte[query.remaining()];
    query.get(q);
    int i = 12;
    StringBuilder name = new StringBuilder();
    while (q[i] != 0) {
      int len = q[i] & 0xff;
      if (name.length() > 0) {
        name.append('.');
      }
      name.append(new String(q, i + 1, len, java.nio.charset.StandardCharsets.US_ASCII));
      i += len + 1;
    }
    int questionEnd = i + 5;
    int qtype = ((q[i + 1] & 0xff) << 8) | (q[i + 2] & 0xff);
    boolean known = name.toString().equalsIgnoreCase(NAME);
    boolean answer = known && qtype == 1;
    ByteBuffer r = ByteBuffer.allocate(questionEnd + (answer ? 16 : 0));
    r.put(q, 0, 2); // ID
    r.putShort((short) (0x8180 | (known ? 0 : 3))); // response, RD, RA, NOERROR/NXDOMAIN
    r.putShort((short) 1)
        .putShort((short) (answer ? 1 : 0))
        .putShort((short) 0)
        .putShort((short) 0);
    r.put(q, 12, questionEnd - 12);
    if (answer) {
      r.putShort((short) 0xc00c)
          .putShort((short) 1)
          .putShort((short) 1)
          .putInt(60)
          .putShort((short) 4)
          .put(B4.getAddress());
    }
    return r.flip();
  }

  static InetAddress literal(String s) {
    try {
      return InetAddress.getByName(s);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    try {
      echo.close();
    } catch (IOException e) {
      // closing anyway
    }
    udpEcho.close();
    dns.close();
    a.close();
    b.close();
    ta.close();
    tb.close();
  }
}
