package io.wireguardjava.netstack.internal.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Many connections, one after another and all at once: nothing may be left behind. */
class ManyConnectionsTest {
  private static final InetSocketAddress SERVER = new InetSocketAddress(SimNetwork.ADDRESS_B, 443);
  private static final InetSocketAddress CLIENT = new InetSocketAddress(SimNetwork.ADDRESS_A, 0);

  private static SimNetwork.Faults fast() {
    return new SimNetwork.Faults().delayMillis(1).rate(125_000_000);
  }

  private static TcpSocket accept(SimNetwork net, TcpListener l) throws Exception {
    TcpSocket[] s = new TcpSocket[1];
    boolean ok =
        net.run(
            () -> false,
            () -> {
              try {
                l.acceptNow().ifPresent(x -> s[0] = x);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
              return s[0] != null;
            },
            10_000_000_000L);
    assertThat(ok).isTrue();
    return s[0];
  }

  /** One request/response exchange, both sides close. */
  @Test
  void tenThousandSequentialConnectionsLeaveNothingBehind() throws Exception {
    TcpSettings settings = TcpSettings.builder().msl(java.time.Duration.ofSeconds(10)).build();
    SimNetwork net = new SimNetwork(settings, fast(), fast(), 3);
    TcpListener listener = net.b.listen(SERVER, 64);
    int peakConnections = 0;
    for (int i = 0; i < 10_000; i++) {
      TcpSocket client = net.a.connect(CLIENT, SERVER);
      TcpSocket server = accept(net, listener);
      Streams.Source request = new Streams.Source(client, 1000, i);
      Streams.Sink requestSink = new Streams.Sink(server);
      Streams.Source response = new Streams.Source(server, 3000, -i);
      Streams.Sink responseSink = new Streams.Sink(client);
      boolean ok =
          net.run(
              () -> request.step() | requestSink.step() | response.step() | responseSink.step(),
              () -> requestSink.eof && responseSink.eof,
              10_000_000_000L);
      assertThat(ok).as("exchange %d", i).isTrue();
      assertThat(responseSink.hash()).isEqualTo(response.hash());
      assertThat(requestSink.hash()).isEqualTo(request.hash());
      client.close();
      server.close();
      peakConnections = Math.max(peakConnections, (int) net.a.stats().connections());
    }
    listener.close();
    net.advance(25_000_000_000L);
    for (TcpLayer layer : List.of(net.a, net.b)) {
      TcpStats s = layer.stats();
      assertThat(s.connections()).as("%s", s).isZero();
      assertThat(s.bufferBytes()).isZero();
      assertThat(layer.tableSize()).isZero();
      assertThat(layer.nextDeadlineNanos()).isEqualTo(Long.MAX_VALUE);
    }
    assertThat(net.a.stats().activeOpens()).isEqualTo(10_000);
    assertThat(net.b.stats().passiveOpens()).isEqualTo(10_000);
    assertThat(net.a.stats().resetsSent() + net.b.stats().resetsSent()).isZero();
    System.out.printf(
        "10,000 sequential connections: %.1f s simulated, peak %d in TIME-WAIT or open%n",
        (net.now - 1e9) / 1e9, peakConnections);
  }

  @Test
  void thousandConcurrentConnections() throws Exception {
    TcpSettings settings = TcpSettings.builder().synBacklog(1024).build();
    SimNetwork net = new SimNetwork(settings, fast().loss(0.01), fast().loss(0.01), 5);
    net.tickNanos = 1_000_000;
    TcpListener listener = net.b.listen(SERVER, 1024);
    int n = 1000;
    List<TcpSocket> clients = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      clients.add(net.a.connect(CLIENT, SERVER));
    }
    List<TcpSocket> servers = new ArrayList<>();
    boolean accepted =
        net.run(
            () -> false,
            () -> {
              try {
                for (var s = listener.acceptNow(); s.isPresent(); s = listener.acceptNow()) {
                  servers.add(s.get());
                }
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
              return servers.size() == n;
            },
            60_000_000_000L);
    assertThat(accepted).isTrue();
    assertThat(clients).allMatch(TcpSocket::isConnected);
    java.util.Map<Integer, TcpSocket> serverByPeerPort = new java.util.HashMap<>();
    servers.forEach(s -> serverByPeerPort.put(s.remoteAddress().getPort(), s));
    servers.clear();
    clients.forEach(c -> servers.add(serverByPeerPort.get(c.localAddress().getPort())));
    assertThat(servers).doesNotContainNull();
    List<Streams.Source> sources = new ArrayList<>();
    List<Streams.Sink> sinks = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      sources.add(new Streams.Source(clients.get(i), 64 * 1024, i));
      sinks.add(new Streams.Sink(servers.get(i)));
      sources.add(new Streams.Source(servers.get(i), 64 * 1024, -i - 1));
      sinks.add(new Streams.Sink(clients.get(i)));
    }
    boolean done =
        net.run(
            () -> {
              boolean any = false;
              for (Streams.Source s : sources) {
                any |= s.step();
              }
              for (Streams.Sink s : sinks) {
                any |= s.step();
              }
              return any;
            },
            () -> sinks.stream().allMatch(s -> s.eof),
            600_000_000_000L);
    assertThat(done).isTrue();
    for (int i = 0; i < sinks.size(); i++) {
      assertThat(sinks.get(i).read).isEqualTo(64 * 1024);
      assertThat(sinks.get(i).hash()).isEqualTo(sources.get(i).hash());
    }
    for (int i = 0; i < n; i++) {
      clients.get(i).close();
      servers.get(i).close();
    }
    net.advance(200_000_000_000L);
    assertThat(net.a.stats().connections()).isZero();
    assertThat(net.b.stats().connections()).isZero();
    assertThat(net.a.stats().bufferBytes()).isZero();
    assertThat(net.b.stats().bufferBytes()).isZero();
    listener.close();
  }
}
