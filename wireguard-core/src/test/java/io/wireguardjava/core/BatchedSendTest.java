package io.wireguardjava.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A burst to two peers, interleaved: the send thread reads it in batches of many packets, groups
 * them by peer, and each peer still gets its own packets complete and in order.
 */
@Timeout(120)
class BatchedSendTest {

  private static final int PER_PEER = 3000;

  @Test
  void eachPeerGetsItsPacketsInOrderFromBatchesOfMany() throws Exception {
    try (TestNet net = new TestNet()) {
      TestNet.Node a = net.node(1);
      TestNet.Node b = net.node(2);
      TestNet.Node c = net.node(3);
      TestNet.link(a, b, null);
      TestNet.link(a, c, null);
      TestNet.roundTrip(a, b, a.v4(), b.v4(), "hello".getBytes()); // sessions first
      TestNet.roundTrip(a, c, a.v4(), c.v4(), "hello".getBytes());

      AtomicReference<Throwable> failure = new AtomicReference<>();
      List<Thread> receivers = new ArrayList<>();
      long[] received = new long[2];
      for (int r = 0; r < 2; r++) {
        TestNet.Node to = r == 0 ? b : c;
        int k = r;
        Thread t =
            new Thread(
                () -> {
                  byte[] buf = new byte[2000];
                  int expected = 0;
                  try {
                    while (expected < PER_PEER) {
                      int n =
                          to.engine.packets().receive(buf, 0, buf.length, Duration.ofSeconds(5));
                      if (n <= 0) {
                        break;
                      }
                      int seq = ByteBuffer.wrap(buf, 20, 4).getInt();
                      assertThat(seq).as("order at node %d", to.n).isGreaterThanOrEqualTo(expected);
                      expected = seq + 1;
                      received[k]++;
                    }
                  } catch (Throwable e) {
                    failure.set(e);
                  }
                });
        t.start();
        receivers.add(t);
      }
      for (int i = 0; i < PER_PEER; i++) {
        for (TestNet.Node to : new TestNet.Node[] {b, c}) {
          byte[] p = TestPackets.ip(a.v4(), to.v4(), ByteBuffer.allocate(200).putInt(0, i).array());
          a.engine.packets().send(p, 0, p.length);
        }
      }
      for (Thread t : receivers) {
        t.join(60_000);
      }
      assertThat(failure.get()).isNull();
      long droppedAtReceivers = b.engine.stats().droppedTotal() + c.engine.stats().droppedTotal();
      assertThat(received[0] + received[1] + droppedAtReceivers)
          .as("every packet arrived, or a full receiving queue dropped and counted it")
          .isEqualTo(2L * PER_PEER);
      assertThat(received[0]).isGreaterThan(PER_PEER / 2);
      assertThat(received[1]).isGreaterThan(PER_PEER / 2);
      assertThat(a.engine.sendBatchesOfMany()).as("batches of more than one packet").isPositive();
      assertThat(a.engine.stats().droppedTotal())
          .as("nothing dropped on the sending side")
          .isZero();
    }
  }
}
