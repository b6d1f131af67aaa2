package io.wireguardjava.tun.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Close waits for the calls inside and lets no new one in. */
class DescriptorGateTest {

  @Test
  void noCallEntersOnceClosingStartedAndOnlyTheFirstCloseCounts() {
    DescriptorGate gate = new DescriptorGate();
    assertThat(gate.enter()).isTrue();
    gate.exit();
    assertThat(gate.isClosed()).isFalse();
    assertThat(gate.markClosed()).isTrue();
    assertThat(gate.markClosed()).as("a second close").isFalse();
    assertThat(gate.isClosed()).isTrue();
    assertThat(gate.enter()).isFalse();
    gate.awaitNoCalls(TimeUnit.SECONDS.toNanos(5)); // nobody inside: returns at once
  }

  @Test
  void closeWaitsForTheCallInsideToLeave() throws Exception {
    DescriptorGate gate = new DescriptorGate();
    assertThat(gate.enter()).isTrue();
    CountDownLatch closed = new CountDownLatch(1);
    Thread closer =
        new Thread(
            () -> {
              gate.markClosed();
              gate.awaitNoCalls(TimeUnit.SECONDS.toNanos(30));
              closed.countDown();
            });
    closer.start();
    assertThat(closed.await(300, TimeUnit.MILLISECONDS)).as("still a call inside").isFalse();
    gate.exit();
    assertThat(closed.await(30, TimeUnit.SECONDS)).isTrue();
    closer.join();
  }

  @Test
  void aStuckCallDoesNotHangCloseForever() {
    DescriptorGate gate = new DescriptorGate();
    assertThat(gate.enter()).isTrue();
    gate.markClosed();
    long start = System.nanoTime();
    gate.awaitNoCalls(TimeUnit.MILLISECONDS.toNanos(50));
    assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
  }
}
