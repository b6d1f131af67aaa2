package io.wireguardjava.netstack;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny authoritative DNS server for tests, run on a tunnel network: UDP and TCP on port 53. Names
 * map to addresses with a TTL; unknown names get NXDOMAIN, names without records of the asked type
 * an empty answer, both with an SOA (negative TTL 60). Names in {@link #truncateOverUdp} are
 * answered over UDP with TC set and no records, so the resolver must ask again over TCP.
 */
final class ScriptedDnsServer implements AutoCloseable {
  record Entry(List<InetAddress> addresses, int ttl) {}

  final Map<String, Entry> names = new ConcurrentHashMap<>();
  final Set<String> truncateOverUdp = ConcurrentHashMap.newKeySet();
  final AtomicInteger udpQueries = new AtomicInteger();
  final AtomicInteger tcpQueries = new AtomicInteger();
  final Map<String, AtomicInteger> queriesByName = new ConcurrentHashMap<>();
  private final TunnelDatagramSocket udp;
  private final ServerSocket tcp;
  private final Thread udpThread;
  private final Thread tcpThread;

  ScriptedDnsServer(TunnelNetwork net) throws Exception {
    udp = net.openDatagram(53);
    tcp = net.listen(53);
    udpThread = new Thread(this::serveUdp, "hip-dns-udp");
    tcpThread = new Thread(this::serveTcp, "hip-dns-tcp");
    udpThread.setDaemon(true);
    tcpThread.setDaemon(true);
    udpThread.start();
    tcpThread.start();
  }

  void add(String name, int ttl, InetAddress... addresses) {
    names.put(name.toLowerCase(Locale.ROOT), new Entry(List.of(addresses), ttl));
  }

  int queries(String name) {
    AtomicInteger n = queriesByName.get(name.toLowerCase(Locale.ROOT));
    return n == null ? 0 : n.get();
  }

  private void serveUdp() {
    ByteBuffer buf = ByteBuffer.allocate(1500);
    while (!udp.isClosed()) {
      try {
        buf.clear();
        InetSocketAddress from = udp.receive(buf);
        udpQueries.incrementAndGet();
        byte[] q = new byte[buf.position()];
        buf.flip();
        buf.get(q);
        udp.send(ByteBuffer.wrap(answer(q, true)), from);
      } catch (Exception e) {
        return;
      }
    }
  }

  private void serveTcp() {
    while (!tcp.isClosed()) {
      try (Socket s = tcp.accept()) {
        tcpQueries.incrementAndGet();
        DataInputStream in = new DataInputStream(s.getInputStream());
        byte[] q = new byte[in.readUnsignedShort()];
        in.readFully(q);
        byte[] a = answer(q, false);
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        out.writeShort(a.length);
        out.write(a);
        out.flush();
      } catch (Exception e) {
        if (tcp.isClosed()) {
          return;
        }
      }
    }
  }

  /** Builds the answer to a one-question query, by hand, independently of the resolver's codec. */
  byte[] answer(byte[] q, boolean overUdp) throws Exception {
    int at = 12;
    StringBuilder name = new StringBuilder();
    while (q[at] != 0) {
      int len = q[at];
      if (name.length() > 0) {
        name.append('.');
      }
      name.append(new String(q, at + 1, len, StandardCharsets.US_ASCII));
      at += 1 + len;
    }
    at++;
    int qtype = (q[at] & 0xff) << 8 | (q[at + 1] & 0xff);
    int questionEnd = at + 4;
    String key = name.toString().toLowerCase(Locale.ROOT);
    queriesByName.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    Entry e = names.get(key);
    boolean truncate = overUdp && truncateOverUdp.contains(key);
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(b);
    out.write(q, 0, 2); // id
    out.writeShort(0x8180 | (truncate ? 0x0200 : 0) | (e == null ? 3 : 0));
    out.writeShort(1);
    List<InetAddress> records =
        e == null || truncate
            ? List.of()
            : e.addresses().stream()
                .filter(a -> a.getAddress().length == (qtype == 28 ? 16 : 4))
                .toList();
    out.writeShort(records.size());
    boolean soa = records.isEmpty() && !truncate; // NXDOMAIN or NODATA: SOA for negative caching
    out.writeShort(soa ? 1 : 0);
    out.writeShort(0);
    out.write(q, 12, questionEnd - 12);
    for (InetAddress a : records) {
      out.writeShort(0xc00c); // pointer to the question's name
      out.writeShort(qtype);
      out.writeShort(1);
      out.writeInt(e.ttl());
      out.writeShort(a.getAddress().length);
      out.write(a.getAddress());
    }
    if (soa) {
      out.writeShort(0xc00c);
      out.writeShort(6); // SOA
      out.writeShort(1);
      out.writeInt(3600);
      byte[] mname = {2, 'n', 's', 0};
      byte[] rname = {1, 'h', 0};
      out.writeShort(mname.length + rname.length + 20);
      out.write(mname);
      out.write(rname);
      out.writeInt(1); // serial
      out.writeInt(7200);
      out.writeInt(900);
      out.writeInt(86400);
      out.writeInt(60); // minimum: the negative TTL
    }
    return b.toByteArray();
  }

  @Override
  public void close() throws java.io.IOException {
    udp.close();
    tcp.close();
    try {
      udpThread.join(5000);
      tcpThread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
