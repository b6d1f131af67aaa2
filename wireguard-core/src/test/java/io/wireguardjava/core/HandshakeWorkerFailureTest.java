package io.wireguardjava.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.wireguardjava.DropReason;
import io.wireguardjava.crypto.Protocol;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/**
 * An exception from one handshake message or one timer action is counted as {@link
 * DropReason#INTERNAL_ERROR} and the handshake thread carries on: the next handshake completes.
 */
class HandshakeWorkerFailureTest {
  private final ManualClock clock = new ManualClock();

  @Test
  void threadSurvivesAThrowingTimerAction() throws Exception {
    try (TestNet net = new TestNet(clock)) {
      TestNet.Node a = net.node(1);
      TestNet.Node b = net.node(2);
      TestNet.link(a, b, null);
      Scheduler.Timer bomb =
          a.engine.scheduler.newTimer(
              () -> {
                throw new IllegalStateException("boom");
              });
      bomb.mod(0);
      a.engine.handshakeThread.awaitIdle();
      assertThat(a.engine.stats().dropped(DropReason.INTERNAL_ERROR)).isEqualTo(1);

      // the handshake thread of a still answers: a handshake completes, data flows
      TestNet.roundTrip(a, b, a.v4(), b.v4(), "after a timer failure".getBytes());
      TestNet.roundTrip(b, a, b.v4(), a.v4(), "and back".getBytes());
    }
  }

  @Test
  void threadSurvivesAThrowingHandshakeMessage() throws Exception {
    try (TestNet net = new TestNet(clock)) {
      TestNet.Node a = net.node(1);
      TestNet.Node b = net.node(2);
      TestNet.link(a, b, null);
      // a corrupt index entry (no peer) makes processing a cookie reply for it throw: a stand-in
      // for a bug
      IndexEntry corrupt = new IndexEntry(null);
      int index = b.engine.handshakes.indices.add(corrupt);
      byte[] cookieReply = new byte[Protocol.COOKIE_REPLY_LENGTH];
      cookieReply[0] = Protocol.TYPE_COOKIE_REPLY;
      for (int i = 0; i < 4; i++) { // the receiver index, little-endian
        cookieReply[4 + i] = (byte) (index >>> (8 * i));
      }
      assertThat(
              b.engine.handshakeThread.admit(
                  false,
                  cookieReply,
                  0,
                  cookieReply.length,
                  new InetSocketAddress(InetAddress.getLoopbackAddress(), 1)))
          .isTrue();
      b.engine.handshakeThread.awaitIdle();
      assertThat(b.engine.stats().dropped(DropReason.INTERNAL_ERROR)).isEqualTo(1);

      TestNet.roundTrip(a, b, a.v4(), b.v4(), "after a message failure".getBytes());
      TestNet.roundTrip(b, a, b.v4(), a.v4(), "and back".getBytes());
    }
  }
}
