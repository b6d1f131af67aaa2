package io.wireguardjava.netstack.internal.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The steady-state data path allocates nothing of its own: receiving in-order data (with delayed
 * ACKs and reads) and sending data against ACKs, measured with the JVM's per-thread allocation
 * counter after a warm-up.
 */
class AllocationTest {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  private static final int MSS = 1380;

  private static long allocated() {
    return THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
  }

  @Test
  void receivingAndSendingAllocateNothingPerSegment() throws Exception {
    int[] lastAck = new int[1];
    int[] lastSeqEnd = new int[1];
    TcpLayer layer =
        new TcpLayer(
            (flow, b, off, len) -> {
              lastAck[0] = TcpHeader.ack(b, off + 0);
              lastSeqEnd[0] = TcpHeader.seq(b, off) + len - TcpHeader.headerLength(b, off);
              return true;
            },
            TcpSettings.defaults(),
            new SplittableRandom(1),
            () -> {});
    byte[] us = Scripted.US.getAddress();
    byte[] peer = Scripted.PEER.getAddress();
    TcpListener l = layer.listen(new InetSocketAddress(Scripted.US, 80), 4);
    byte[] p = new byte[8 + 20 + MSS];
    System.arraycopy(peer, 0, p, 0, 4);
    System.arraycopy(us, 0, p, 4, 4);
    long now = 1_000_000_000L;
    TcpHeader.write(p, 8, 7777, 80, 1000, 0, 24, TcpHeader.SYN, 65535);
    TcpOptions.writeSynOptions(p, 28, MSS, -1, false); // MSS 1380, nothing else
    layer.onSegment(p, 0, 4, 4, 8, 24, now);
    TcpSocket[] s = new TcpSocket[1];
    int[] iss = new int[1];
    iss[0] = lastSeqEnd[0]; // the SYN-ACK carries no payload: its seq is our ISS
    assertThat(lastAck[0]).isEqualTo(1001);
    int ourSeq;
    TcpHeader.write(p, 8, 7777, 80, 1001, iss[0] + 1, 20, TcpHeader.ACK, 65535);
    layer.onSegment(p, 0, 4, 4, 8, 20, now);
    s[0] = l.accept(1_000_000_000L);
    ourSeq = iss[0] + 1;
    byte[] readBuf = new byte[64 * 1024];
    byte[] writeBuf = new byte[MSS];
    int peerSeq = 1001;
    long before = 0;
    for (int round = 0; round < 2; round++) {
      if (round == 1) {
        before = allocated();
      }
      for (int i = 0; i < 20_000; i++) {
        now += 100_000L;
        // Receive one full segment, read it.
        TcpHeader.write(p, 8, 7777, 80, peerSeq, ourSeq, 20, TcpHeader.ACK, 65535);
        layer.onSegment(p, 0, 4, 4, 8, 20 + MSS, now);
        peerSeq += MSS;
        s[0].readNow(readBuf, 0, readBuf.length);
        // Send one segment, get it acked.
        s[0].writeNow(writeBuf, 0, MSS);
        layer.poll(now);
        ourSeq += MSS;
        TcpHeader.write(p, 8, 7777, 80, peerSeq, ourSeq, 20, TcpHeader.ACK, 65535);
        layer.onSegment(p, 0, 4, 4, 8, 20, now);
        layer.poll(now);
      }
    }
    long perRound = allocated() - before;
    assertThat(layer.stats().droppedOutOfWindow()).isZero();
    assertThat(s[0].connection().sndUna).isEqualTo(ourSeq);
    assertThat(perRound)
        .as("bytes allocated for 40,000 segments in and 20,000 out")
        .isLessThan(4096);
  }
}
