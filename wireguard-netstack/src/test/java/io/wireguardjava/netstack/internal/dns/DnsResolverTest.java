package io.wireguardjava.netstack.internal.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The resolver with a scripted transport and a manual clock. */
class DnsResolverTest {
  private long now;
  private final List<String> asked = new ArrayList<>(); // "server name type"
  private final Map<String, byte[]> a = new ConcurrentHashMap<>(); // name -> IPv4 (TTL 100)
  private InetSocketAddress deadServer;

  private static InetAddress ip(String s) {
    try {
      return InetAddress.getByName(s);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  /** Answers from {@link #a}; NXDOMAIN with SOA minimum 30 otherwise. */
  private final DnsTransport transport =
      new DnsTransport() {
        @Override
        public byte[] exchangeUdp(InetSocketAddress server, byte[] q, long timeoutNanos)
            throws IOException {
          String name = qname(q);
          int type = (q[q.length - 4] & 0xff) << 8 | (q[q.length - 3] & 0xff);
          asked.add(server.getAddress().getHostAddress() + " " + name + " " + type);
          if (server.equals(deadServer)) {
            throw new SocketTimeoutException("no answer");
          }
          byte[] addr = a.get(name);
          ByteArrayOutputStream b = new ByteArrayOutputStream();
          DataOutputStream o = new DataOutputStream(b);
          o.write(q, 0, 2);
          boolean found = addr != null && type == DnsMessage.TYPE_A;
          o.writeShort(0x8180 | (addr == null ? 3 : 0));
          o.writeShort(1);
          o.writeShort(found ? 1 : 0);
          o.writeShort(found ? 0 : 1);
          o.writeShort(0);
          o.write(q, 12, q.length - 12);
          o.writeShort(0xc00c);
          o.writeShort(found ? 1 : 6);
          o.writeShort(1);
          o.writeInt(found ? 100 : 600);
          if (found) {
            o.writeShort(4);
            o.write(addr);
          } else {
            o.writeShort(2 + 20);
            o.write(new byte[] {0, 0}); // root mname and rname
            o.write(new byte[16]);
            o.writeInt(30);
          }
          return b.toByteArray();
        }

        @Override
        public byte[] exchangeTcp(InetSocketAddress server, byte[] query, long timeoutNanos)
            throws IOException {
          throw new IOException("not used");
        }
      };

  private static String qname(byte[] q) {
    StringBuilder sb = new StringBuilder();
    for (int at = 12; q[at] != 0; at += 1 + q[at]) {
      if (sb.length() > 0) {
        sb.append('.');
      }
      sb.append(new String(q, at + 1, q[at], StandardCharsets.US_ASCII));
    }
    return sb.toString();
  }

  private DnsResolver resolver(List<InetAddress> servers, List<String> search) {
    return new DnsResolver(
        servers, search, true, false, transport, () -> now, new SplittableRandom(3));
  }

  @Test
  void ttlIsHonoured() throws Exception {
    a.put("x.test", new byte[] {1, 2, 3, 4});
    DnsResolver r = resolver(List.of(ip("10.0.0.53")), List.of());
    assertThat(r.resolve("x.test")).containsExactly(ip("1.2.3.4"));
    now += TimeUnit.SECONDS.toNanos(99);
    r.resolve("x.test");
    assertThat(asked).hasSize(1);
    now += TimeUnit.SECONDS.toNanos(1);
    r.resolve("x.test");
    assertThat(asked).hasSize(2);
  }

  @Test
  void negativeAnswersAreCachedForTheSoaMinimum() throws Exception {
    DnsResolver r = resolver(List.of(ip("10.0.0.53")), List.of());
    assertThatThrownBy(() -> r.resolve("gone.test")).isInstanceOf(UnknownHostException.class);
    now += TimeUnit.SECONDS.toNanos(29);
    assertThatThrownBy(() -> r.resolve("gone.test")).isInstanceOf(UnknownHostException.class);
    assertThat(asked).hasSize(1);
    now += TimeUnit.SECONDS.toNanos(1);
    assertThatThrownBy(() -> r.resolve("gone.test")).isInstanceOf(UnknownHostException.class);
    assertThat(asked).hasSize(2);
  }

  @Test
  void searchOrderFollowsNdotsOne() throws Exception {
    DnsResolver r = resolver(List.of(ip("10.0.0.53")), List.of("one.test", "two.test."));
    a.put("host.two.test", new byte[] {9, 9, 9, 9});
    assertThat(r.resolve("host")).containsExactly(ip("9.9.9.9"));
    assertThat(asked).containsExactly("10.0.0.53 host.one.test 1", "10.0.0.53 host.two.test 1");
    asked.clear();
    assertThatThrownBy(() -> r.resolve("a.b")).isInstanceOf(UnknownHostException.class);
    assertThat(asked)
        .containsExactly("10.0.0.53 a.b 1", "10.0.0.53 a.b.one.test 1", "10.0.0.53 a.b.two.test 1");
    asked.clear();
    assertThatThrownBy(() -> r.resolve("abs.")).isInstanceOf(UnknownHostException.class);
    assertThat(asked).containsExactly("10.0.0.53 abs 1");
  }

  @Test
  void aDeadServerIsSkipped() throws Exception {
    deadServer = new InetSocketAddress(ip("10.0.0.1"), 53);
    a.put("x.test", new byte[] {1, 1, 1, 1});
    DnsResolver r = resolver(List.of(ip("10.0.0.1"), ip("10.0.0.2")), List.of());
    assertThat(r.resolve("x.test")).containsExactly(ip("1.1.1.1"));
    assertThat(asked).containsExactly("10.0.0.1 x.test 1", "10.0.0.2 x.test 1");
  }

  @Test
  void noServersNoAnswerAndBadNamesFailClearly() {
    assertThatThrownBy(() -> resolver(List.of(), List.of()).resolve("x.test"))
        .isInstanceOf(UnknownHostException.class)
        .hasMessageContaining("no DNS servers");
    deadServer = new InetSocketAddress(ip("10.0.0.1"), 53);
    assertThatThrownBy(() -> resolver(List.of(ip("10.0.0.1")), List.of()).resolve("x.test"))
        .isInstanceOf(UnknownHostException.class)
        .hasMessageContaining("no answer")
        .hasCauseInstanceOf(SocketTimeoutException.class);
    assertThatThrownBy(() -> resolver(List.of(ip("10.0.0.53")), List.of()).resolve("bad name"))
        .isInstanceOf(UnknownHostException.class)
        .hasMessageContaining("not a valid host name");
    assertThat(asked).hasSize(DnsResolver.ATTEMPTS);
  }

  @Test
  void literalsAreNeverQueried() throws Exception {
    DnsResolver r = resolver(List.of(ip("10.0.0.53")), List.of("one.test"));
    assertThat(r.resolve("192.0.2.1")).containsExactly(ip("192.0.2.1"));
    assertThat(r.resolve("2001:db8::1")).containsExactly(ip("2001:db8::1"));
    assertThat(asked).isEmpty();
  }
}
