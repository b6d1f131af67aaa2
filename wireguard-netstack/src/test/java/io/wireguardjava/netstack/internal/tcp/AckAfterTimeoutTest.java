package io.wireguardjava.netstack.internal.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.wireguardjava.netstack.internal.tcp.Scripted.Seg;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * ACKs sent while SND.NXT is rewound after a retransmission timeout. Regression for the stall of
 * one connection among 1,000 under load (LinkedStacksTest): both sides timed out spuriously, each
 * numbered its ACKs with its rewound SND.NXT, below the other's RCV.NXT, so each dropped the
 * other's ACKs as out of window and answered with another such ACK, until the read timeout.
 */
class AckAfterTimeoutTest {
  private static final int MSS = 1380;

  @Test
  void anAckAfterATimeoutCarriesTheHighestSequenceSent() throws Exception {
    Scripted t = new Scripted();
    Scripted.Connected c = t.connect(7, true, MSS);
    c.socket.setNoDelay(true);
    t.poll();
    c.socket.write(new byte[3 * MSS], 0, 3 * MSS);
    assertThat(t.poll()).extracting(Seg::len).containsExactly(MSS, MSS, MSS);
    // The peer's ACKs are lost: our timer fires and resends the first segment only (cwnd 1).
    List<Seg> resent = t.advanceMillis(250); // RTO 50 + 200 ms
    assertThat(resent).extracting(Seg::seq).containsExactly(c.ourNext);
    // The peer, which holds all three segments, sends data with the old ACK (its own ACKs lost).
    c.data(MSS);
    List<Seg> acks = c.data(MSS);
    assertThat(acks).hasSize(1);
    Seg ack = acks.get(0);
    assertThat(ack.len()).isZero();
    assertThat(ack.ack()).isEqualTo(c.peerNext);
    // Acceptable to a peer whose RCV.NXT is past all we sent (RFC 9293 §3.10.7.4).
    assertThat(ack.seq()).isEqualTo(c.ourNext + 3 * MSS);
  }
}
