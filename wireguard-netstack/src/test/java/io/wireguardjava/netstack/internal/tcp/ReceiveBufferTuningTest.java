package io.wireguardjava.netstack.internal.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/**
 * The receive buffer grows to what a round trip under load needs, not what the handshake's idle
 * round trip suggests: two stacks over the simulated link, the handshake on a quiet path (0.2 ms),
 * then a bulk transfer with up to 3 ms of jitter per packet (a busy userspace tunnel).
 */
class ReceiveBufferTuningTest {

  @Test
  void bufferFollowsTheRoundTripUnderLoadNotTheHandshake() throws Exception {
    SimNetwork.Faults ab = new SimNetwork.Faults().rate(125_000_000);
    SimNetwork.Faults ba = new SimNetwork.Faults().rate(125_000_000);
    ab.delayNanos = 100_000;
    ba.delayNanos = 100_000;
    TcpSettings settings =
        TcpSettings.builder().congestionControl(TcpSettings.CongestionAlgorithm.NEW_RENO).build();
    SimNetwork net = new SimNetwork(settings, ab, ba, 41);
    TcpListener listener = net.b.listen(new InetSocketAddress(SimNetwork.ADDRESS_B, 80), 4);
    TcpSocket client =
        net.a.connect(
            new InetSocketAddress(SimNetwork.ADDRESS_A, 0),
            new InetSocketAddress(SimNetwork.ADDRESS_B, 80));
    TcpSocket[] server = new TcpSocket[1];
    assertThat(
            net.run(
                () -> false,
                () -> {
                  try {
                    listener.acceptNow().ifPresent(s -> server[0] = s);
                  } catch (java.io.IOException e) {
                    throw new AssertionError(e);
                  }
                  return client.isConnected() && server[0] != null;
                },
                1_000_000_000L))
        .isTrue();
    TcpConnection receiver = server[0].connection();
    assertThat(receiver.rtt.srtt()).isLessThan(1_000_000L);
    ab.jitterNanos = 3_000_000;
    ba.jitterNanos = 3_000_000;
    long bytes = 40 << 20;
    Streams.Source up = new Streams.Source(client, bytes, 5);
    Streams.Sink sink = new Streams.Sink(server[0]);
    long start = net.now;
    int[] largest = new int[1];
    assertThat(
            net.run(
                () -> {
                  boolean any = up.step() | sink.step();
                  ByteRing r = receiver.recvRing;
                  if (r != null) {
                    largest[0] = Math.max(largest[0], r.capacity());
                  }
                  return any;
                },
                () -> sink.eof,
                60_000_000_000L))
        .isTrue();
    double mbit = bytes * 8.0 / ((net.now - start) / 1e9) / 1e6;
    System.out.printf(
        "1 Gbit/s, 0.2 ms RTT + up to 6 ms jitter: %.0f Mbit/s, receive buffer up to %d KiB,"
            + " receiver RTT estimate %.2f ms%n",
        mbit, largest[0] / 1024, receiver.rcvRttNanos / 1e6);
    assertThat(sink.hash()).isEqualTo(up.hash());
    // The round trip under load is several ms; at 1 Gbit/s that is well over 512 KiB in flight,
    // more than a buffer judged over the handshake's 0.2 ms (floored at 1 ms) reaches: 512 KiB
    // and 665 Mbit/s here before the receiver measured its own round trip.
    assertThat(receiver.rcvRttNanos).isGreaterThan(1_000_000L);
    assertThat(largest[0]).isGreaterThanOrEqualTo(1 << 20);
    assertThat(mbit).isGreaterThan(700);
  }
}
