package io.wireguardjava.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every timer of timers.c, on a manual clock, stepped 100 ms at a time. */
class TimersTest {
  private final ManualClock clock = new ManualClock();
  private final Scheduler scheduler = new Scheduler(clock);
  private final List<String> log = new ArrayList<>();
  private long start;
  private Timers timers;

  @BeforeEach
  void setUp() {
    start = clock.nanoTime();
    timers =
        new Timers(
            scheduler,
            new Timers.Actions() {
              @Override
              public void sendHandshakeInitiation(boolean isRetry) {
                record(isRetry ? "retry" : "initiation");
                timers.onHandshakeInitiated();
              }

              @Override
              public void beforeRetry(int attempt) {}

              @Override
              public void sendKeepalive() {
                record("keepalive");
                timers.onAnyAuthenticatedPacketTraversal();
                timers.onAnyAuthenticatedPacketSent();
              }

              @Override
              public void handshakeGaveUp() {
                record("gave-up");
              }

              @Override
              public void zeroKeyMaterial() {
                record("zero");
              }
            },
            new SplittableRandom(7));
  }

  private void record(String what) {
    log.add(what + "@" + Math.round((clock.nanoTime() - start) / 1e8) / 10.0);
  }

  /** Advances in 100 ms steps, running due timers after each step. */
  private void run(Duration d) {
    for (long t = 0; t < d.toMillis(); t += 100) {
      clock.advance(Duration.ofMillis(100));
      scheduler.runDue();
    }
  }

  private List<String> events(String prefix) {
    return log.stream().filter(s -> s.startsWith(prefix + "@")).toList();
  }

  private static double at(String event) {
    return Double.parseDouble(event.substring(event.indexOf('@') + 1));
  }

  @Test
  void idleTunnelIsSilent() {
    run(Duration.ofMinutes(30));
    assertThat(log).isEmpty();
  }

  @Test
  void handshakeRetransmitsEveryRekeyTimeoutWithJitterAndGivesUpAfterRekeyAttemptTime() {
    timers.onHandshakeInitiated(); // the first initiation, sent at t=0
    run(Duration.ofSeconds(200));
    List<String> retries = events("retry");
    assertThat(retries).hasSize(io.wireguardjava.crypto.Protocol.MAX_TIMER_HANDSHAKES + 1);
    double previous = 0;
    for (String r : retries) {
      double gap = at(r) - previous;
      assertThat(gap)
          .as(r)
          .isBetween(5.0, 5.45); // REKEY_TIMEOUT + up to 333 ms jitter, 100 ms steps
      previous = at(r);
    }
    String gaveUp = events("gave-up").get(0);
    assertThat(at(gaveUp)).isBetween(90.0, 110.0);
    // After giving up, the key material is zeroed 3 x REJECT_AFTER_TIME later, then silence.
    run(Duration.ofSeconds(540));
    assertThat(events("zero")).hasSize(1);
    assertThat(at(events("zero").get(0)) - at(gaveUp)).isBetween(539.9, 540.1);
    int before = log.size();
    run(Duration.ofMinutes(20));
    assertThat(log).hasSize(before);
  }

  @Test
  void completedHandshakeStopsRetransmission() {
    timers.onHandshakeInitiated();
    run(Duration.ofSeconds(7)); // one retry at ~5 s
    timers.onHandshakeComplete();
    run(Duration.ofSeconds(60));
    assertThat(events("retry")).hasSize(1);
    assertThat(timers.handshakeAttempts()).isZero();
  }

  @Test
  void passiveKeepaliveTenSecondsAfterDataReceivedWithNothingSent() {
    timers.onDataReceived();
    run(Duration.ofSeconds(30));
    assertThat(events("keepalive")).hasSize(1);
    assertThat(at(events("keepalive").get(0))).isEqualTo(10.0);
  }

  @Test
  void noPassiveKeepaliveWhenSomethingWasSent() {
    timers.onDataReceived();
    run(Duration.ofSeconds(5));
    timers.onAnyAuthenticatedPacketSent(); // a reply went out
    run(Duration.ofSeconds(30));
    assertThat(events("keepalive")).isEmpty();
  }

  @Test
  void anotherKeepaliveWhenDataKeptArriving() {
    timers.onDataReceived();
    run(Duration.ofSeconds(3));
    timers.onDataReceived(); // while pending: need another
    run(Duration.ofSeconds(30));
    assertThat(events("keepalive")).extracting(TimersTest::at).containsExactly(10.0, 20.0);
  }

  @Test
  void newHandshakeWhenSentDataGetsNoReplyWithinKeepalivePlusRekeyTimeout() {
    timers.onDataSent();
    run(Duration.ofSeconds(20));
    assertThat(events("initiation")).hasSize(1);
    assertThat(at(events("initiation").get(0))).isBetween(15.0, 15.4);
  }

  @Test
  void noNewHandshakeWhenAReplyArrives() {
    timers.onDataSent();
    run(Duration.ofSeconds(14));
    timers.onAnyAuthenticatedPacketReceived();
    run(Duration.ofSeconds(30));
    assertThat(events("initiation")).isEmpty();
  }

  @Test
  void keyMaterialZeroedThreeRejectAfterTimesAfterTheLastSession() {
    timers.onSessionDerived();
    run(Duration.ofSeconds(300));
    timers.onSessionDerived(); // a new session at 300 s pushes it back
    run(Duration.ofSeconds(539));
    assertThat(events("zero")).isEmpty();
    run(Duration.ofSeconds(2));
    assertThat(events("zero")).extracting(TimersTest::at).containsExactly(840.0);
  }

  @Test
  void persistentKeepaliveEveryIntervalAfterLastTraffic() {
    timers.setPersistentKeepalive(25);
    run(Duration.ofSeconds(60));
    // one at once when enabled, then every 25 s after the previous one
    assertThat(events("keepalive")).extracting(TimersTest::at).containsExactly(0.1, 25.1, 50.1);
    timers.setPersistentKeepalive(0);
    run(Duration.ofSeconds(60));
    assertThat(events("keepalive")).hasSize(3);
  }

  @Test
  void persistentKeepaliveIsPostponedByTraffic() {
    timers.setPersistentKeepalive(25);
    run(Duration.ofSeconds(1));
    for (int i = 0; i < 6; i++) {
      run(Duration.ofSeconds(10));
      timers.onAnyAuthenticatedPacketTraversal();
    }
    assertThat(events("keepalive")).hasSize(1);
  }

  @Test
  void stoppedTimersNeverFire() {
    timers.onHandshakeInitiated();
    timers.onDataReceived();
    timers.stop();
    timers.onDataSent();
    run(Duration.ofMinutes(20));
    assertThat(log).isEmpty();
  }
}
