package io.wireguardjava.tun.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.wireguardjava.spi.DatagramAddress;
import io.wireguardjava.spi.DatagramBatch;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Linux UDP transport over loopback: batches, GSO/GRO, pktinfo, close, marks. */
class LinuxUdpTransportTest {
  private final List<LinuxUdpTransport> open = new ArrayList<>();

  @AfterEach
  void closeAll() {
    open.forEach(LinuxUdpTransport::close);
  }

  private LinuxUdpTransport transport(boolean offload) throws Exception {
    assumeTrue(
        System.getProperty("os.name").startsWith("Linux") || "true".equals(System.getenv("CI")));
    LinuxUdpTransport t = LinuxUdpTransport.open(Optional.empty(), 0, offload);
    open.add(t);
    return t;
  }

  /** Datagram i: its length and a byte pattern that names it. */
  private static void fill(DatagramBatch b, int[] lengths) {
    b.clear();
    for (int i = 0; i < lengths.length; i++) {
      int at = b.end();
      for (int k = 0; k < lengths[i]; k++) {
        b.data()[at + k] = (byte) (i * 31 + k);
      }
      b.add(lengths[i]);
    }
  }

  /** Receives until {@code expected.length} datagrams came; checks order and content. */
  private static List<Integer> receiveAll(LinuxUdpTransport rx, int[] expected, DatagramBatch b)
      throws Exception {
    List<Integer> perCall = new ArrayList<>();
    int got = 0;
    while (got < expected.length) {
      int n = rx.receive(b);
      perCall.add(n);
      for (int i = 0; i < n; i++, got++) {
        assertThat(b.length(i)).as("length of datagram %d", got).isEqualTo(expected[got]);
        for (int k = 0; k < expected[got]; k++) {
          if (b.data()[b.offset(i) + k] != (byte) (got * 31 + k)) {
            throw new AssertionError("datagram " + got + " byte " + k + " differs");
          }
        }
      }
    }
    return perCall;
  }

  private static DatagramAddress to(String host, int port) throws Exception {
    return DatagramAddress.of(new InetSocketAddress(InetAddress.getByName(host), port));
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void aBatchArrivesWholeAndInOrderWithAndWithoutOffload(boolean offload) throws Exception {
    LinuxUdpTransport tx = transport(offload);
    LinuxUdpTransport rx = transport(offload);
    int[] lengths = new int[100];
    for (int i = 0; i < lengths.length; i++) {
      lengths[i] = i == 70 ? 333 : i == 99 ? 17 : 1000; // runs broken by a short one
    }
    DatagramBatch out = new DatagramBatch(128, 128 * 1500);
    fill(out, lengths);
    tx.send(out, to("127.0.0.1", rx.port()));
    DatagramBatch in = new DatagramBatch(128, 128 * 1500);
    List<Integer> perCall = receiveAll(rx, lengths, in);
    if (offload) {
      assertThat(rx.gro()).isTrue();
      assertThat(tx.gso()).isTrue();
      // one recvmmsg holds at most 32 messages: more in one call means GSO sent and GRO kept runs
      assertThat(perCall.get(0)).isGreaterThan(MmsgReceiver.SLOTS);
    } else {
      assertThat(perCall).allMatch(n -> n <= MmsgReceiver.SLOTS);
    }
    DatagramAddress from = in.address(0);
    assertThat(from.toInetSocketAddress())
        .isEqualTo(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), tx.port()));
    assertThat(from.localAddress()).contains(InetAddress.getByName("127.0.0.1"));
  }

  @Test
  void ipv6WorksOnTheSameSocketAndReportsTheLocalAddress() throws Exception {
    LinuxUdpTransport tx = transport(true);
    LinuxUdpTransport rx = transport(true);
    byte[] one = {1, 2, 3};
    tx.send(one, 0, 3, to("::1", rx.port()));
    DatagramBatch in = new DatagramBatch(8, 4096);
    assertThat(rx.receive(in)).isEqualTo(1);
    assertThat(in.length(0)).isEqualTo(3);
    assertThat(in.address(0).isIpv4()).isFalse();
    assertThat(in.address(0).port()).isEqualTo(tx.port());
    assertThat(in.address(0).localAddress()).contains(InetAddress.getByName("::1"));
  }

  @Test
  void aReplyLeavesFromTheStickyLocalAddressAndWithoutItWhenThatIsGone() throws Exception {
    LinuxUdpTransport tx = transport(true);
    LinuxUdpTransport rx = transport(true);
    DatagramAddress via = to("127.0.0.1", rx.port());
    byte[] src = {(byte) 127, 0, 0, 2};
    via.setLocal(src, 0, 4, 0);
    tx.send(new byte[] {9}, 0, 1, via);
    DatagramBatch in = new DatagramBatch(8, 4096);
    rx.receive(in);
    assertThat(in.address(0).toInetSocketAddress().getAddress())
        .isEqualTo(InetAddress.getByName("127.0.0.2"));

    DatagramAddress stale = to("127.0.0.1", rx.port());
    stale.setLocal(new byte[] {(byte) 192, 0, 2, 1}, 0, 4, 0); // not an address of this host
    DatagramBatch two = new DatagramBatch(4, 4096);
    fill(two, new int[] {50, 50});
    tx.send(two, stale);
    receiveAll(rx, new int[] {50, 50}, in);
    assertThat(in.address(0).toInetSocketAddress().getAddress())
        .isEqualTo(InetAddress.getByName("127.0.0.1"));
  }

  @Test
  void whatDoesNotFitWaitsForTheNextCallAndTheOversizedIsDroppedAndCounted() throws Exception {
    LinuxUdpTransport tx = transport(true);
    LinuxUdpTransport rx = transport(true);
    tx.send(new byte[3000], 0, 3000, to("127.0.0.1", rx.port()));
    int[] lengths = new int[25];
    java.util.Arrays.fill(lengths, 100);
    DatagramBatch out = new DatagramBatch(32, 32 * 200);
    fill(out, lengths);
    tx.send(out, to("127.0.0.1", rx.port()));
    DatagramBatch small = new DatagramBatch(10, 2000);
    List<Integer> perCall = receiveAll(rx, lengths, small);
    assertThat(perCall).containsExactly(10, 10, 5);
    assertThat(rx.oversizedDrops()).isEqualTo(1);
  }

  @Test
  void closeWakesABlockedReceiveAndLaterCallsSayClosed() throws Exception {
    LinuxUdpTransport rx = transport(true);
    DatagramBatch in = new DatagramBatch(8, 4096);
    CompletableFuture<Throwable> blocked =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                rx.receive(in);
                return new AssertionError("returned");
              } catch (Throwable t) {
                return t;
              }
            });
    Thread.sleep(200);
    assertThat(blocked).isNotDone();
    rx.close();
    assertThat(blocked.get(5, TimeUnit.SECONDS)).isInstanceOf(ClosedChannelException.class);
    assertThatThrownBy(() -> rx.send(new byte[1], 0, 1, to("127.0.0.1", 9)))
        .isInstanceOf(ClosedChannelException.class);
  }

  @Test
  void aTakenPortIsABindExceptionNamingIt() throws Exception {
    LinuxUdpTransport a = transport(true);
    assertThatThrownBy(() -> LinuxUdpTransport.open(Optional.empty(), a.port(), true))
        .isInstanceOf(BindException.class)
        .hasMessageContaining("port " + a.port());
  }

  @Test
  void theMarkIsSetOnTheSocket() throws Exception {
    LinuxUdpTransport t = transport(true);
    assumeTrue(
        LinuxTunSupport.isAvailable() || "true".equals(System.getenv("CI")), "needs CAP_NET_ADMIN");
    t.setMark(51820);
    assertThat(t.mark()).isEqualTo(51820);
    t.setMark(0);
    assertThat(t.mark()).isZero();
  }
}
