package io.wireguardjava.netstack.internal.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Random segments (flags, sequence and acknowledgement numbers near and far from the windows,
 * payloads, options, garbage bytes) against listeners and live connections: nothing throws, every
 * connection stays consistent, and state stays bounded.
 */
class RandomSegmentsTest {

  @Test
  void randomSegmentsNeverThrowAndLeaveConsistentState() throws Exception {
    SplittableRandom r = new SplittableRandom(99);
    for (int trial = 0; trial < 20; trial++) {
      Scripted t =
          new Scripted(
              TcpSettings.builder()
                  .maxOutOfOrderRanges(4)
                  .initialReceiveBuffer(4096)
                  .maxReceiveBuffer(16384)
                  .build());
      t.layer.listen(new InetSocketAddress(Scripted.US, 80), 4);
      Scripted.Connected c = t.connect(r.nextInt(15) - 1, r.nextBoolean(), 200 + r.nextInt(1300));
      c.socket.setNoDelay(r.nextBoolean());
      byte[] buf = new byte[8192];
      for (int i = 0; i < 3000; i++) {
        int flags = r.nextInt(64);
        int seqBase = r.nextInt(4) == 0 ? r.nextInt() : c.socket.connection().rcvNxt;
        int seq = seqBase + r.nextInt(-3000, 20_000);
        int ackBase = r.nextInt(4) == 0 ? r.nextInt() : c.socket.connection().sndUna;
        int ack = ackBase + r.nextInt(-3000, 20_000);
        Scripted.In in =
            t.in(r.nextInt(8) == 0 ? 80 : 40000, flags, seq, ack).window(r.nextInt(65536));
        if (r.nextInt(5) == 0) {
          in.sack(
              c.socket.connection().sndUna + r.nextInt(-100, 5000),
              c.socket.connection().sndUna + r.nextInt(-100, 9000));
        }
        if (r.nextInt(10) == 0) {
          in.mss(r.nextInt(65536)).wscale(r.nextInt(256));
        }
        if (r.nextBoolean()) {
          in.payload(r.nextInt(1500));
        }
        in.send();
        if (r.nextInt(3) == 0) {
          t.now += r.nextLong(300_000_000L);
          t.poll();
        }
        try {
          if (r.nextBoolean()) {
            c.socket.readNow(buf, 0, buf.length);
          }
          if (r.nextBoolean()) {
            c.socket.writeNow(buf, 0, r.nextInt(4000));
          }
        } catch (java.io.IOException e) {
          // a reset or timeout is a legitimate outcome of random input
        }
        TcpConnection k = c.socket.connection();
        assertThat(Seq.le(k.sndUna, k.sndMax)).isTrue();
        assertThat(Seq.le(k.sndNxt, k.sndMax)).isTrue();
        assertThat(k.assembler.rangeCount()).isLessThanOrEqualTo(4);
        if (k.recvRing != null) {
          assertThat(k.recvRing.capacity()).isLessThanOrEqualTo(16384);
        }
        // Raw garbage, too short or with nonsense lengths.
        byte[] g = new byte[8 + r.nextInt(80)];
        r.nextBytes(g);
        System.arraycopy(Scripted.PEER.getAddress(), 0, g, 0, 4); // the IP layer delivers only ours
        System.arraycopy(Scripted.US.getAddress(), 0, g, 4, 4);
        t.layer.onSegment(g, 0, 4, 4, 8, g.length - 8, t.now);
        t.drain();
      }
      t.layer.closeAll();
      t.runMillis(400_000);
      assertThat(t.layer.stats().connections()).isZero();
      assertThat(t.layer.stats().bufferBytes()).isLessThanOrEqualTo(0);
    }
  }
}
