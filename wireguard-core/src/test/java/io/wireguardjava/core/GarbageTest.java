package io.wireguardjava.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Datagrams of every size and type byte: each dropped and counted; the tunnel keeps working. */
class GarbageTest {

  @Test
  void garbageIsDroppedAndCountedAndTrafficContinues() throws Exception {
    try (TestNet net = new TestNet();
        DatagramSocket attacker = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      TestNet.Node a = net.node(1);
      TestNet.Node b = net.node(2);
      TestNet.link(a, b, null);
      TestNet.roundTrip(a, b, a.v4(), b.v4(), "before".getBytes());
      long before = b.engine.stats().droppedTotal();
      Random rnd = new Random(7);
      int sent = 0;
      for (int size = 0; size <= 300; size++) {
        for (int type = 0; type < 6; type++) {
          byte[] d = new byte[size];
          rnd.nextBytes(d);
          if (size > 0) {
            d[0] = (byte) type;
          }
          if (size >= 4 && rnd.nextBoolean()) {
            d[1] = d[2] = d[3] = 0; // valid reserved bytes, so the type's own checks run
          }
          attacker.send(new DatagramPacket(d, d.length, b.udp()));
          sent++;
        }
        if (size % 50 == 0) {
          final long expect = before + sent;
          TestNet.eventually("counted", () -> b.engine.stats().droppedTotal() == expect);
        }
      }
      // the exact lengths of each message type, random content
      for (int[] t : new int[][] {{1, 148}, {2, 92}, {3, 64}, {4, 32}, {4, 1500}, {9, 2000}}) {
        for (int i = 0; i < 20; i++) {
          byte[] d = new byte[t[1]];
          rnd.nextBytes(d);
          d[0] = (byte) t[0];
          d[1] = d[2] = d[3] = 0;
          attacker.send(new DatagramPacket(d, d.length, b.udp()));
          sent++;
        }
      }
      final long expect = before + sent;
      TestNet.eventually("all counted", () -> b.engine.stats().droppedTotal() == expect);
      TestNet.roundTrip(a, b, a.v4(), b.v4(), "after".getBytes());
      TestNet.roundTrip(b, a, b.v4(), a.v4(), "after".getBytes());
      assertThat(b.engine.stats().droppedTotal()).isEqualTo(expect);
    }
  }
}
