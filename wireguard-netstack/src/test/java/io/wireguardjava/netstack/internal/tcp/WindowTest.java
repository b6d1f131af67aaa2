package io.wireguardjava.netstack.internal.tcp;

import static io.wireguardjava.netstack.internal.tcp.TcpHeader.ACK;
import static org.assertj.core.api.Assertions.assertThat;

import io.wireguardjava.netstack.internal.tcp.Scripted.Seg;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Windows (scaling, zero window and probes), delayed ACKs, Nagle, reassembly, keepalive. */
class WindowTest {
  private static final int MSS = 1380;

  @Test
  void scaledPeerWindowLimitsWhatIsSent() throws Exception {
    Scripted t = new Scripted();
    Scripted.Connected c = t.connect(2, true, 1380);
    c.socket.setNoDelay(true);
    t.poll();
    c.ack(c.ourNext).window(1000).send(); // 1000 << 2 = 4000 bytes
    c.socket.write(new byte[10_000], 0, 10_000);
    List<Seg> sent = t.poll();
    // Two full segments fit; the 1240-byte rest waits (sender silly-window avoidance).
    assertThat(sent).extracting(Seg::len).containsExactly(1380, 1380);
    List<Seg> more = c.ack(c.ourNext + 2760).window(1000).send();
    assertThat(more).extracting(Seg::len).containsExactly(1380, 1380);
    // When the rest fits at once and nothing is in flight, it goes.
    c.ack(c.ourNext + 5520).window(1000).send();
    c.ack(c.ourNext + 8280).window(1000).send();
    assertThat(c.socket.connection().sndMax).isEqualTo(c.ourNext + 10_000);
  }

  @Test
  void ourWindowIsScaledAndGrowsWithTheBuffer() throws Exception {
    Scripted t = new Scripted();
    Scripted.Connected c = t.connect();
    Seg a = c.data(MSS).isEmpty() ? t.runMillis(50).get(0) : null;
    assertThat(a).isNotNull();
    // 64 KiB buffer less 1380 unread bytes, in units of 2^7.
    assertThat(a.window()).isEqualTo((65536 - MSS + 127) >> 7);
    // Keep the peer window-limited for a few RTTs while the app reads: the buffer doubles (every
    // other 60 ms burst here). The receiver's first round-trip sample spans the quiet time before
    // the first burst (170 ms), so growth starts one burst later than the handshake RTT had it.
    byte[] sink = new byte[1 << 20];
    for (int round = 0; round < 12; round++) {
      t.now += 60_000_000L;
      int space = c.socket.connection().receiveSpace();
      for (int sent = 0; sent + MSS <= space; sent += MSS) {
        c.data(MSS);
      }
      while (c.socket.readNow(sink, 0, sink.length) > 0) {
        // drain
      }
      t.poll();
    }
    assertThat(c.socket.connection().recvRing.capacity()).isGreaterThanOrEqualTo(1 << 20);
  }

  @Test
  void receiveBufferGrowsToFourMiBOnALongFatPath() throws Exception {
    // 1 Gbit/s with a 100 ms RTT: 12.5 MB in flight would be needed, so the window is the limit.
    SimNetwork.Faults f = new SimNetwork.Faults().delayMillis(50).rate(125_000_000);
    f.queueLimitNanos = 200_000_000;
    SimNetwork net =
        new SimNetwork(TcpSettings.defaults(), f, new SimNetwork.Faults().delayMillis(50), 11);
    TcpListener l = net.b.listen(new java.net.InetSocketAddress(SimNetwork.ADDRESS_B, 9), 4);
    TcpSocket client =
        net.a.connect(
            new java.net.InetSocketAddress(SimNetwork.ADDRESS_A, 0),
            new java.net.InetSocketAddress(SimNetwork.ADDRESS_B, 9));
    TcpSocket[] server = new TcpSocket[1];
    net.run(
        () -> false,
        () -> {
          try {
            l.acceptNow().ifPresent(x -> server[0] = x);
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
          return server[0] != null;
        },
        5_000_000_000L);
    Streams.Source src = new Streams.Source(client, 64L << 20, 1);
    Streams.Sink sink = new Streams.Sink(server[0]);
    int[] largest = new int[1];
    long start = net.now;
    assertThat(
            net.run(
                () -> {
                  ByteRing r = server[0].connection().recvRing;
                  if (r != null) {
                    largest[0] = Math.max(largest[0], r.capacity());
                  }
                  return src.step() | sink.step();
                },
                () -> sink.eof,
                600_000_000_000L))
        .isTrue();
    assertThat(sink.hash()).isEqualTo(src.hash());
    assertThat(largest[0]).isEqualTo(4 << 20);
    double mbit = (64L << 20) * 8 / ((net.now - start) / 1e9) / 1e6;
    System.out.printf(
        "1 Gbit/s, 100 ms RTT, 64 MiB: %.0f Mbit/s simulated (4 MiB window: 335 max)%n", mbit);
    assertThat(mbit).isGreaterThan(150);
  }

  @Test
  void zeroWindowIsProbedWithBackoffUntilItOpens() throws Exception {
    Scripted t = new Scripted();
    Scripted.Connected c = t.connect();
    c.socket.setNoDelay(true);
    t.poll();
    c.ack(c.ourNext).window(0).send();
    c.socket.write(new byte[500], 0, 500);
    assertThat(t.poll()).as("nothing while the window is zero").isEmpty();
    Seg probe = t.advanceMillis(250).get(0); // the RTO: 50 ms handshake RTT + 200 ms
    assertThat(probe.len()).isZero();
    assertThat(probe.seq()).as("an old sequence number forces an ACK").isEqualTo(c.ourNext - 1);
    assertThat(t.advanceMillis(499)).isEmpty();
    assertThat(t.advanceMillis(1)).hasSize(1);
    // Still zero: keeps probing, never gives up.
    for (int i = 0; i < 20; i++) {
      c.ack(c.ourNext).window(0).send();
      t.runMillis(60_000);
    }
    assertThat(c.socket.stateName()).isEqualTo("ESTABLISHED");
    List<Seg> data = c.ack(c.ourNext).window(100).send();
    assertThat(data).hasSize(1);
    assertThat(data.get(0).len()).isEqualTo(500);
  }

  @Test
  void weAdvertiseZeroWindowWhenFullAndUpdateWhenRead() throws Exception {
    Scripted t =
        new Scripted(
            TcpSettings.builder().initialReceiveBuffer(4096).maxReceiveBuffer(4096).build());
    Scripted.Connected c = t.connect();
    c.data(2048);
    Seg a = c.data(2048).get(0);
    assertThat(a.window()).isZero();
    assertThat(c.data(100).get(0).ack())
        .as("data beyond a zero window is not taken")
        .isEqualTo(c.peerNext - 100);
    c.peerNext -= 100;
    byte[] b = new byte[4096];
    assertThat(c.socket.readNow(b, 0, 4096)).isEqualTo(4096);
    Seg update = t.poll().get(0);
    assertThat(update.window()).isEqualTo(4096);
  }

  @Test
  void delayedAckEverySecondSegmentOrAfterFortyMillis() throws Exception {
    Scripted t = new Scripted();
    Scripted.Connected c = t.connect();
    assertThat(c.data(MSS)).as("one segment: ACK delayed").isEmpty();
    assertThat(t.advanceMillis(39)).isEmpty();
    assertThat(t.advanceMillis(1)).hasSize(1);
    assertThat(c.data(MSS)).isEmpty();
    List<Seg> second = c.data(MSS);
    assertThat(second).as("second full segment: ACK at once").hasSize(1);
    assertThat(second.get(0).ack()).isEqualTo(c.peerNext);
  }

  @Test
  void nagleHoldsSmallSegmentsWhileDataIsUnacked() throws Exception {
    Scripted t = new Scripted();
    Scripted.Connected c = t.connect();
    c.socket.write(new byte[10], 0, 10);
    assertThat(t.poll()).hasSize(1);
    c.socket.write(new byte[10], 0, 10);
    c.socket.write(new byte[10], 0, 10);
    assertThat(t.poll()).as("held by Nagle").isEmpty();
    Seg next = c.ack(c.ourNext + 10).send().get(0);
    assertThat(next.len()).isEqualTo(20);
    c.socket.setNoDelay(true);
    t.poll();
    c.socket.write(new byte[10], 0, 10);
    assertThat(t.poll()).as("TCP_NODELAY").hasSize(1);
  }

  @Test
  void outOfOrderSegmentsAreReassembled() throws Exception {
    Scripted t = new Scripted();
    Scripted.Connected c = t.connect();
    int base = c.peerNext;
    byte[] all = new byte[3000];
    new java.util.Random(1).nextBytes(all);
    byte[] p2 = java.util.Arrays.copyOfRange(all, 2000, 3000);
    byte[] p1 = java.util.Arrays.copyOfRange(all, 1000, 2000);
    byte[] p0 = java.util.Arrays.copyOfRange(all, 0, 1000);
    t.in(40000, ACK, base + 2000, c.ourNext).payload(p2).send();
    t.in(40000, ACK, base + 1000, c.ourNext).payload(p1).send();
    t.in(40000, ACK, base + 1500, c.ourNext)
        .payload(java.util.Arrays.copyOfRange(all, 1500, 2500))
        .send();
    assertThat(c.socket.available()).isZero();
    Seg a = t.in(40000, ACK, base, c.ourNext).payload(p0).send().get(0);
    assertThat(a.ack()).isEqualTo(base + 3000);
    byte[] got = new byte[4000];
    assertThat(c.socket.readNow(got, 0, 4000)).isEqualTo(3000);
    assertThat(java.util.Arrays.copyOf(got, 3000)).isEqualTo(all);
  }

  @Test
  void reassemblyRangesAreBounded() throws Exception {
    Scripted t = new Scripted(TcpSettings.builder().maxOutOfOrderRanges(4).build());
    Scripted.Connected c = t.connect();
    for (int i = 1; i <= 6; i++) {
      t.in(40000, ACK, c.peerNext + i * 200, c.ourNext).payload(100).send();
    }
    assertThat(t.layer.stats().droppedNoBuffer()).isEqualTo(2);
    assertThat(c.socket.connection().assembler.rangeCount()).isEqualTo(4);
  }

  @Test
  void keepaliveProbesThenResets() throws Exception {
    Scripted t =
        new Scripted(
            TcpSettings.builder()
                .keepalive(Duration.ofSeconds(10), Duration.ofSeconds(1), 3)
                .build());
    Scripted.Connected c = t.connect();
    c.socket.setKeepAlive(true);
    t.poll();
    assertThat(t.advanceMillis(9_999)).isEmpty();
    Seg probe = t.advanceMillis(1).get(0);
    assertThat(probe.seq()).isEqualTo(c.ourNext - 1);
    assertThat(probe.len()).isZero();
    // An answer resets the idle clock.
    c.ack(c.ourNext).send();
    assertThat(t.advanceMillis(9_999)).isEmpty();
    assertThat(t.advanceMillis(1)).hasSize(1);
    assertThat(t.advanceMillis(1000)).hasSize(1);
    assertThat(t.advanceMillis(1000)).hasSize(1);
    Seg rst = t.advanceMillis(1000).get(0);
    assertThat(rst.has(TcpHeader.RST)).isTrue();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> c.socket.read(new byte[1], 0, 1, 1))
        .hasMessage("Connection timed out");
  }
}
