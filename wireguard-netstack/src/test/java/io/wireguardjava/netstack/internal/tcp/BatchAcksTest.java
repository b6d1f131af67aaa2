package io.wireguardjava.netstack.internal.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.wireguardjava.netstack.internal.tcp.Scripted.Seg;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** In-order data taken in one receive batch is ACKed once, at the poll that ends it. */
class BatchAcksTest {
  private static final int MSS = 1380;

  @Test
  void withoutABatchEverySecondFullSegmentIsAckedAtOnce() throws Exception {
    Scripted t = new Scripted();
    Scripted.Connected c = t.connect();
    assertThat(c.data(MSS)).as("the first segment waits for the delayed-ACK timer").isEmpty();
    List<Seg> r = c.data(MSS);
    assertThat(r).hasSize(1);
    assertThat(r.get(0).ack()).isEqualTo(c.peerNext);
  }

  @Test
  void aBatchOfEightSegmentsGetsOneAckAtThePollThatEndsIt() throws Exception {
    Scripted t = new Scripted();
    Scripted.Connected c = t.connect();
    t.layer.beginBatch();
    for (int i = 0; i < 8; i++) {
      assertThat(c.data(MSS)).as("segment %d of the batch", i).isEmpty();
    }
    List<Seg> end = t.poll();
    assertThat(end).as("one ACK for the batch").hasSize(1);
    assertThat(end.get(0).ack()).isEqualTo(c.peerNext);
    assertThat(t.poll()).as("nothing owed any more").isEmpty();
    assertThat(c.data(MSS)).as("after the poll: no batch, the usual rule").isEmpty();
    assertThat(c.data(MSS)).hasSize(1);
  }

  @Test
  void aLongBatchIsStillAckedEveryStretchSegmentsThenAtItsEnd() throws Exception {
    Scripted t = new Scripted();
    Scripted.Connected c = t.connect();
    int start = c.peerNext;
    t.layer.beginBatch();
    List<Integer> acks = new ArrayList<>();
    for (int i = 0; i < 2 * BatchAcks.STRETCH_SEGMENTS + 3; i++) {
      for (Seg s : c.data(MSS)) {
        acks.add(s.ack() - start);
      }
    }
    assertThat(acks)
        .as("an ACK as the stretch limit is reached, twice")
        .containsExactly(BatchAcks.STRETCH_SEGMENTS * MSS, 2 * BatchAcks.STRETCH_SEGMENTS * MSS);
    List<Seg> end = t.poll();
    assertThat(end).hasSize(1);
    assertThat(end.get(0).ack()).isEqualTo(c.peerNext);
  }

  @Test
  void aSingleSegmentBatchKeepsTheDelayedAckTimer() throws Exception {
    Scripted t = new Scripted();
    Scripted.Connected c = t.connect();
    t.layer.beginBatch();
    assertThat(c.data(MSS)).isEmpty();
    assertThat(t.poll()).as("one segment owes no ACK yet").isEmpty();
    List<Seg> late = t.runMillis(TcpSettings.defaults().delayedAck().toMillis());
    assertThat(late).as("the delayed-ACK timer sends it").hasSize(1);
    assertThat(late.get(0).ack()).isEqualTo(c.peerNext);
  }

  @Test
  void aGapFilledInABatchIsAckedAtOnce() throws Exception {
    Scripted t = new Scripted();
    Scripted.Connected c = t.connect();
    int base = c.peerNext;
    t.layer.beginBatch();
    assertThat(t.in(40000, TcpHeader.ACK, base + MSS, c.ourNext).payload(MSS).send())
        .as("out of order: a duplicate ACK at once")
        .hasSize(1);
    List<Seg> filled = c.data(MSS);
    assertThat(filled).as("the gap filled: ACKed at once").hasSize(1);
    assertThat(filled.get(0).ack()).isEqualTo(base + 2 * MSS);
    assertThat(t.poll()).isEmpty();
  }
}
