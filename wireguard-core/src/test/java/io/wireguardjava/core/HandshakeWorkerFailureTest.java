package io.wireguardjava.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.wireguardjava.DropReason;
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
      // an unresolved source address makes processing the message throw (a stand-in for a bug)
      byte[] initiation = new byte[148];
      initiation[0] = 1;
      assertThat(
              b.engine.handshakeThread.admit(
                  false,
                  initiation,
                  0,
                  initiation.length,
                  InetSocketAddress.createUnresolved("x", 1)))
          .isTrue();
      b.engine.handshakeThread.awaitIdle();
      assertThat(b.engine.stats().dropped(DropReason.INTERNAL_ERROR)).isEqualTo(1);

      TestNet.roundTrip(a, b, a.v4(), b.v4(), "after a message failure".getBytes());
      TestNet.roundTrip(b, a, b.v4(), a.v4(), "and back".getBytes());
    }
  }
}
