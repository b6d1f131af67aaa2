package io.wireguardjava.netstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The resolver against a scripted DNS server running on the other tunnel network. */
class DnsThroughTunnelTest {
  private static NetworkPair pair;
  private static ScriptedDnsServer dns;

  @BeforeAll
  static void open() throws Exception {
    pair = new NetworkPair();
    dns = new ScriptedDnsServer(pair.b);
    dns.add("db.corp.test", 300, NetworkPair.literal("10.9.0.2"), NetworkPair.literal("fd09::2"));
    dns.add("web.example", 300, NetworkPair.literal("192.0.2.80"));
    dns.add("short.example", 0, NetworkPair.literal("192.0.2.81"));
    dns.add(
        "big.example", 300, NetworkPair.literal("192.0.2.10"), NetworkPair.literal("192.0.2.11"));
    dns.truncateOverUdp.add("big.example");
  }

  @AfterAll
  static void close() throws Exception {
    dns.close();
    pair.close();
  }

  @Test
  void aAndAaaaIpv4First() throws Exception {
    assertThat(pair.a.resolve("db.corp.test"))
        .containsExactly(NetworkPair.literal("10.9.0.2"), NetworkPair.literal("fd09::2"));
    assertThat(pair.a.resolve("db.corp.test").get(0).getHostName()).isEqualTo("db.corp.test");
  }

  @Test
  void searchDomainCompletesASingleLabel() throws Exception {
    assertThat(pair.a.resolve("db")).contains(NetworkPair.literal("10.9.0.2"));
    assertThat(dns.queries("db.corp.test")).isPositive();
  }

  @Test
  void truncatedUdpAnswerIsAskedAgainOverTcp() throws Exception {
    int tcpBefore = dns.tcpQueries.get();
    assertThat(pair.a.resolve("big.example"))
        .containsExactly(NetworkPair.literal("192.0.2.10"), NetworkPair.literal("192.0.2.11"));
    assertThat(dns.tcpQueries.get()).isGreaterThan(tcpBefore);
  }

  @Test
  void answersAreCachedForTheirTtl() throws Exception {
    pair.a.resolve("web.example");
    int after = dns.queries("web.example");
    pair.a.resolve("web.example");
    pair.a.resolve("web.example.");
    assertThat(dns.queries("web.example")).isEqualTo(after);
    // TTL 0: never cached.
    pair.a.resolve("short.example");
    int s = dns.queries("short.example");
    pair.a.resolve("short.example");
    assertThat(dns.queries("short.example")).isGreaterThan(s);
  }

  @Test
  void unknownNamesFailAndAreNegativelyCached() throws Exception {
    assertThatThrownBy(() -> pair.a.resolve("nope.example."))
        .isInstanceOf(UnknownHostException.class)
        .hasMessageContaining("nope.example");
    int n = dns.queries("nope.example");
    assertThatThrownBy(() -> pair.a.resolve("nope.example."))
        .isInstanceOf(UnknownHostException.class);
    assertThat(dns.queries("nope.example")).isEqualTo(n);
  }

  @Test
  void literalsNeedNoQuery() throws Exception {
    int before = dns.udpQueries.get();
    assertThat(pair.a.resolve("10.1.2.3")).containsExactly(NetworkPair.literal("10.1.2.3"));
    assertThat(pair.a.resolve("[fd09::7]")).containsExactly(NetworkPair.literal("fd09::7"));
    assertThat(dns.udpQueries.get()).isEqualTo(before);
    assertThatThrownBy(() -> pair.a.resolve("1.2.3.999")).isInstanceOf(UnknownHostException.class);
  }

  @Test
  void connectByNameUsesTheTunnelDns() throws Exception {
    try (ServerSocket server = pair.b.listen(8100)) {
      Thread t =
          new Thread(
              () -> {
                try (Socket s = server.accept()) {
                  s.getOutputStream().write('!');
                } catch (Exception e) {
                  // the assertion below fails
                }
              });
      t.start();
      try (Socket c =
          pair.a.connect(InetSocketAddress.createUnresolved("db", 8100), Duration.ofSeconds(20))) {
        c.setSoTimeout(20_000);
        InputStream in = c.getInputStream();
        assertThat(in.read()).isEqualTo('!');
        assertThat(c.getInetAddress()).isEqualTo(InetAddress.getByName("10.9.0.2"));
      }
      t.join(20_000);
    }
  }
}
