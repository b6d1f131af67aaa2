package io.wireguardjava.netstack.internal.tcp;

import static io.wireguardjava.netstack.internal.tcp.TcpHeader.ACK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wireguardjava.netstack.internal.tcp.Scripted.Seg;
import java.net.SocketException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 6298 timers with the manual clock, Karn's rule, fast retransmit, initial window. */
class RetransmissionTest {

  private static Scripted.Connected connected(Scripted t, boolean sack) throws Exception {
    Scripted.Connected c = t.connect(7, sack, 1380);
    c.socket.setNoDelay(true);
    t.poll();
    return c;
  }

  @Test
  void rtoFromTheHandshakeSampleWithFloorAndBackoff() throws Exception {
    Scripted t = new Scripted();
    Scripted.Connected c = connected(t, true);
    // Handshake RTT 50 ms: SRTT 50, RTTVAR 25, RTO = 50 + max(200 ms minimum, 4*25) = 250.
    assertThat(c.socket.connection().rtt.rto()).isEqualTo(250_000_000L);
    c.socket.write(new byte[100], 0, 100);
    Seg first = t.poll().get(0);
    assertThat(first.len()).isEqualTo(100);
    assertThat(t.advanceMillis(249)).isEmpty();
    Seg again = t.advanceMillis(1).get(0);
    assertThat(again.seq()).isEqualTo(first.seq());
    assertThat(again.len()).isEqualTo(100);
    assertThat(t.advanceMillis(499)).isEmpty();
    assertThat(t.advanceMillis(1)).hasSize(1);
    assertThat(t.advanceMillis(999)).isEmpty();
    assertThat(t.advanceMillis(1)).hasSize(1);
    assertThat(t.layer.stats().retransmissionTimeouts()).isEqualTo(3);
  }

  /**
   * A timeout's resending (Linux's TCP_CA_Loss) lasts until everything outstanding at the timeout
   * is acknowledged; then BBR gets its cwnd from before the timeout back.
   */
  @Test
  void theResendingAfterATimeoutEndsWhenEverythingThenOutstandingIsAcked() throws Exception {
    Scripted t = new Scripted(TcpSettings.defaults()); // BBR
    Scripted.Connected c = connected(t, true);
    TcpConnection conn = c.socket.connection();
    c.socket.write(new byte[10 * 1380], 0, 10 * 1380);
    assertThat(t.poll()).hasSize(10);
    int before = conn.cc.cwnd();
    assertThat(t.advanceMillis(250)).hasSize(1); // the timeout resends the first segment
    assertThat(conn.inLoss).isTrue();
    assertThat(conn.cc.cwnd()).isEqualTo(1380);
    c.ack(c.ourNext + 1380).send();
    assertThat(conn.inLoss).as("9 segments still outstanding from before the timeout").isTrue();
    c.ack(c.ourNext + 10 * 1380).send();
    assertThat(conn.inLoss).isFalse();
    assertThat(conn.cc.cwnd()).isGreaterThanOrEqualTo(before);
  }

  @Test
  void karnNoSampleFromARetransmittedSegment() throws Exception {
    Scripted t = new Scripted();
    Scripted.Connected c = connected(t, true);
    c.socket.write(new byte[100], 0, 100);
    t.poll();
    t.advanceMillis(250); // retransmitted, RTO backed off to 500 ms
    t.advanceMillis(300);
    c.ack(c.ourNext + 100).send(); // acks the retransmission, 550 ms "RTT": must not be sampled
    c.ourNext += 100;
    assertThat(c.socket.connection().rtt.srtt()).isEqualTo(50_000_000L);
    c.socket.write(new byte[100], 0, 100);
    assertThat(t.poll()).hasSize(1);
    assertThat(t.advanceMillis(499)).as("still backed off").isEmpty();
    assertThat(t.advanceMillis(1)).hasSize(1);
  }

  /**
   * After a timeout, new data SACKed while the retransmitted hole still holds the cumulative ACK
   * back is a valid sample (sent once): it ends the back-off. Before, only a cumulative ACK of the
   * timed segment sampled, so a lossy transfer acknowledging only retransmissions kept doubling.
   */
  @Test
  void aSackedSegmentSentOnceIsASampleAndEndsTheBackoff() throws Exception {
    Scripted t = new Scripted();
    Scripted.Connected c = connected(t, true);
    c.socket.write(new byte[100], 0, 100);
    t.poll();
    assertThat(t.advanceMillis(250)).hasSize(1); // timeout: resent, RTO backed off to 500 ms
    assertThat(c.socket.connection().rtt.backoffCount()).isEqualTo(1);
    c.socket.write(new byte[100], 0, 100);
    Seg fresh = t.poll().get(0);
    assertThat(fresh.seq()).isEqualTo(c.ourNext + 100);
    t.advanceMillis(30);
    c.ack(c.ourNext).sack(c.ourNext + 100, c.ourNext + 200).send();
    assertThat(c.socket.connection().rtt.backoffCount()).isZero();
    assertThat(c.socket.connection().rtt.srtt()).isEqualTo(47_500_000L);
  }

  @Test
  void validSampleResetsBackoffAndUpdatesRto() throws Exception {
    Scripted t = new Scripted();
    Scripted.Connected c = connected(t, true);
    c.socket.write(new byte[100], 0, 100);
    t.poll();
    t.advanceMillis(30);
    c.ack(c.ourNext + 100).send();
    // SRTT = 7/8*50 + 1/8*30 = 47.5; RTTVAR = 3/4*25 + 1/4*20 = 23.75; RTO = 47.5 + max(200, 95).
    assertThat(c.socket.connection().rtt.srtt()).isEqualTo(47_500_000L);
    assertThat(c.socket.connection().rtt.rto()).isEqualTo(247_500_000L);
  }

  @Test
  void givesUpAfterTheRetryLimit() throws Exception {
    Scripted t = new Scripted(TcpSettings.builder().maxRetransmissions(3).build());
    Scripted.Connected c = connected(t, true);
    c.socket.write(new byte[10], 0, 10);
    t.poll();
    List<Seg> all = t.runMillis(10_000);
    assertThat(all).filteredOn(s -> s.len() == 10).hasSize(3);
    assertThat(all).last().matches(s -> s.has(TcpHeader.RST));
    assertThatThrownBy(() -> c.socket.read(new byte[1], 0, 1, 1))
        .isInstanceOf(SocketException.class)
        .hasMessage("Connection timed out");
  }

  @Test
  void initialWindowIsTenSegments() throws Exception {
    Scripted t = new Scripted();
    Scripted.Connected c = connected(t, true);
    c.socket.write(new byte[100_000], 0, 100_000);
    List<Seg> burst = t.poll();
    assertThat(burst).hasSize(10).allMatch(s -> s.len() == 1380);
  }

  @Test
  void afterAnIdlePeriodTheWindowRestartsAtTheInitialWindow() throws Exception {
    Scripted t = new Scripted();
    Scripted.Connected c = connected(t, true);
    c.socket.write(new byte[13_800], 0, 13_800);
    assertThat(t.poll()).hasSize(10);
    c.ack(c.ourNext + 13_800).send();
    c.ourNext += 13_800;
    assertThat(c.socket.connection().cc.cwnd()).isEqualTo(13_800 + 2760);
    t.advanceMillis(5_000);
    c.socket.write(new byte[30 * 1380], 0, 30 * 1380);
    assertThat(t.poll()).as("RFC 5681 §4.1 restart window").hasSize(10);
  }

  @Test
  void threeDuplicateAcksTriggerFastRetransmitWithoutSack() throws Exception {
    Scripted t = new Scripted();
    Scripted.Connected c = connected(t, false);
    c.socket.write(new byte[13_800], 0, 13_800);
    List<Seg> burst = t.poll();
    assertThat(burst).hasSize(10);
    // Segment 1 lost: the peer acks segment 0 then repeats that ACK for each later segment.
    c.ack(c.ourNext + 1380).send();
    assertThat(c.ack(c.ourNext + 1380).send())
        .as("dup 1: nothing new to send (limited transmit has no data)")
        .isEmpty();
    c.ack(c.ourNext + 1380).send();
    List<Seg> fast = c.ack(c.ourNext + 1380).send();
    assertThat(fast).hasSize(1);
    assertThat(fast.get(0).seq()).isEqualTo(c.ourNext + 1380);
    assertThat(fast.get(0).len()).isEqualTo(1380);
    assertThat(t.layer.stats().fastRetransmits()).isEqualTo(1);
    // cwnd halved: ssthresh = max(flight/2, 2*MSS).
    assertThat(c.socket.connection().cc.ssthresh()).isEqualTo((13_800 - 1380) / 2);
    // A partial ACK (NewReno) retransmits the next hole at once.
    List<Seg> partial = c.ack(c.ourNext + 3 * 1380).send();
    assertThat(partial).anyMatch(s -> s.seq() == c.ourNext + 3 * 1380);
    // The full ACK ends recovery.
    c.ack(c.ourNext + 13_800).send();
    assertThat(c.socket.connection().inRecovery).isFalse();
  }

  @Test
  void limitedTransmitSendsNewDataOnTheFirstTwoDuplicates() throws Exception {
    Scripted t = new Scripted();
    Scripted.Connected c = connected(t, false);
    c.socket.write(new byte[20 * 1380], 0, 20 * 1380);
    assertThat(t.poll()).hasSize(10);
    assertThat(c.ack(c.ourNext).window(65535).send())
        .as("a window update, not a duplicate")
        .isEmpty();
    // RFC 3042: each of the first two duplicates lets one new segment out.
    List<Seg> first = c.ack(c.ourNext).window(65535).send();
    assertThat(first).extracting(Seg::seq).containsExactly(c.ourNext + 10 * 1380);
    List<Seg> second = c.ack(c.ourNext).window(65535).send();
    assertThat(second).extracting(Seg::seq).containsExactly(c.ourNext + 11 * 1380);
    // The third is fast retransmit of the first segment.
    List<Seg> third = c.ack(c.ourNext).window(65535).send();
    assertThat(third).extracting(Seg::seq).startsWith(c.ourNext);
    assertThat(c.socket.connection().inRecovery).isTrue();
  }

  @Test
  void packetTooBigShrinksSegments() throws Exception {
    Scripted t = new Scripted();
    Scripted.Connected c = connected(t, true);
    c.socket.write(new byte[2760], 0, 2760);
    List<Seg> sent = t.poll();
    assertThat(sent).hasSize(2);
    byte[] quoted = new byte[28];
    System.arraycopy(Scripted.US.getAddress(), 0, quoted, 0, 4);
    System.arraycopy(Scripted.PEER.getAddress(), 0, quoted, 4, 4);
    TcpHeader.write(quoted, 8, 40000, Scripted.PEER_PORT, c.ourNext, 0, 20, ACK, 0);
    t.layer.onIcmpError(quoted, 0, 4, 4, 8, 20, IcmpKind.PACKET_TOO_BIG, 1280, t.now);
    List<Seg> resent = t.drain();
    assertThat(resent).isNotEmpty().allMatch(s -> s.len() <= 1240);
    assertThat(resent.get(0).seq()).isEqualTo(c.ourNext);
  }
}
