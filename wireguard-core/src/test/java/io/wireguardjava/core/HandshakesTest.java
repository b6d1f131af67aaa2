package io.wireguardjava.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.wireguardjava.DropReason;
import io.wireguardjava.crypto.CookieChecker;
import io.wireguardjava.crypto.Keypair;
import io.wireguardjava.crypto.Messages;
import io.wireguardjava.crypto.Protocol;
import io.wireguardjava.crypto.StaticIdentity;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * {@link Handshakes} alone: two sides built from fakes ({@link FakeSide}: a recording sender, a map
 * of peers, a manual clock), messages carried by hand between them. No engine, no socket, no
 * thread.
 */
class HandshakesTest {
  /** A retransmission is due after REKEY_TIMEOUT plus at most this much jitter. */
  private static final Duration RETRY =
      Protocol.REKEY_TIMEOUT.plus(Protocol.REKEY_TIMEOUT_JITTER_MAX).plusMillis(1);

  private final ManualClock clock = new ManualClock();
  private final FakeSide a = new FakeSide(clock, 51001);
  private final FakeSide b = new FakeSide(clock, 51002);
  private final PeerState ab = a.addPeer(b);
  private final PeerState ba = b.addPeer(a);

  @Test
  void initiationThenResponseInstallsTheKeypairsOnBothSides() {
    a.handshakes.sendInitiation(ab, false);
    FakeSide.Sent initiation = only(a.drain());
    assertThat(initiation.type()).isEqualTo(Protocol.TYPE_INITIATION);
    assertThat(initiation.bytes()).hasSize(Protocol.INITIATION_LENGTH);
    assertThat(initiation.to()).isEqualTo(b.address);
    assertThat(ab.timers.handshakeInFlight()).as("retransmit timer armed").isTrue();

    b.handshakes.consumeInitiation(identity(b), initiation.bytes(), 148, a.address);
    FakeSide.Sent response = only(b.drain());
    assertThat(response.type()).isEqualTo(Protocol.TYPE_RESPONSE);
    assertThat(response.bytes()).hasSize(Protocol.RESPONSE_LENGTH);
    assertThat(response.to()).isEqualTo(a.address);
    assertThat(ba.endpoint)
        .as("the responder learned the initiator's address")
        .isEqualTo(a.address);

    a.handshakes.consumeResponse(response.bytes(), 92, b.address);
    Keypair kp = ab.keypairs.current();
    assertThat(kp).as("initiator's session").isNotNull();
    assertThat(ab.timers.handshakeInFlight()).as("retransmit timer stopped").isFalse();
    assertThat(ab.lastHandshake).isNotNull();
    assertThat(ab.handshake.pending).as("the initiation is answered").isNull();

    // the initiator confirms the session with a keepalive the responder can open
    FakeSide.Sent keepalive = only(a.drain());
    assertThat(keepalive.type()).isEqualTo(Protocol.TYPE_TRANSPORT);
    IndexEntry entry = b.handshakes.indices.get(Messages.receiverIndex(keepalive.bytes(), 0));
    assertThat(entry).isNotNull();
    assertThat(entry.peer).isSameAs(ba);
    Keypair responderKp = Objects.requireNonNull(entry.keypair);
    byte[] plain = new byte[64];
    assertThat(responderKp.open(keepalive.bytes(), 0, keepalive.bytes().length, plain, 0)).isZero();
    assertThat(a.events.dropCounts().values()).allMatch(n -> n == 0);
    assertThat(b.events.dropCounts().values()).allMatch(n -> n == 0);
  }

  @Test
  void underLoadTheFirstInitiationGetsACookieAndTheRetryCarriesMac2() {
    CookieChecker checker = Objects.requireNonNull(b.handshakes.cookieChecker());
    byte[] from = a.address.getAddress().getAddress();
    a.handshakes.sendInitiation(ab, false);
    byte[] first = only(a.drain()).bytes();
    assertThat(checker.check(first, 0, first.length, from, a.address.getPort(), true))
        .isEqualTo(CookieChecker.Verdict.NEEDS_COOKIE);
    assertThat(checker.check(first, 0, first.length, from, a.address.getPort(), false))
        .as("not under load: MAC1 is enough")
        .isEqualTo(CookieChecker.Verdict.VALID);

    byte[] reply = new byte[Protocol.COOKIE_REPLY_LENGTH];
    int n = checker.writeCookieReply(first, 0, first.length, from, a.address.getPort(), reply, 0);
    a.handshakes.consumeCookieReply(reply, n);
    assertThat(a.handshakes.hasCookie(ab)).isTrue();

    clock.advance(RETRY);
    a.runTimers(); // the retransmission, now with MAC2
    byte[] retry = only(a.drain()).bytes();
    assertThat(retry[0]).isEqualTo((byte) Protocol.TYPE_INITIATION);
    assertThat(checker.check(retry, 0, retry.length, from, a.address.getPort(), true))
        .isEqualTo(CookieChecker.Verdict.VALID);
    assertThat(checker.check(retry, 0, retry.length, new byte[] {10, 9, 9, 9}, 1, true))
        .as("the cookie is bound to the source address")
        .isEqualTo(CookieChecker.Verdict.NEEDS_COOKIE);

    b.handshakes.consumeInitiation(identity(b), retry, retry.length, a.address);
    a.handshakes.consumeResponse(only(b.drain()).bytes(), Protocol.RESPONSE_LENGTH, b.address);
    assertThat(ab.keypairs.current()).isNotNull();
  }

  @Test
  void unansweredInitiationsAreRetriedThenGivenUpAndStagedPacketsDropped() {
    SendContext ctx = new SendContext(PacketSize.datagramLength(1420));
    assertThat(ab.send(new byte[100], 0, 100, ctx)).isEqualTo(PeerState.Outcome.ACCEPTED);
    assertThat(a.requested).as("no session: staged, and a handshake asked for").containsExactly(ab);
    a.handshakes.sendInitiation(ab, false);
    int previousIndex = Messages.senderIndex(only(a.drain()).bytes(), 0);

    // MAX_TIMER_HANDSHAKES + 1 retransmissions, as timers.c: attempts > MAX gives up
    for (int attempt = 1; attempt <= Protocol.MAX_TIMER_HANDSHAKES + 1; attempt++) {
      clock.advance(Duration.ofSeconds(1));
      a.runTimers();
      assertThat(a.drain()).as("nothing before REKEY_TIMEOUT").isEmpty();
      clock.advance(RETRY.minusSeconds(1));
      a.runTimers();
      byte[] retry = only(a.drain()).bytes();
      int index = Messages.senderIndex(retry, 0);
      assertThat(a.handshakes.indices.get(previousIndex))
          .as("a new initiation's index replaces the last one")
          .isNull();
      assertThat(a.handshakes.indices.get(index)).isNotNull();
      previousIndex = index;
    }
    clock.advance(RETRY);
    a.runTimers();
    assertThat(a.drain()).as("gave up").isEmpty();
    assertThat(a.events.dropped(DropReason.HANDSHAKE_GAVE_UP)).isEqualTo(1);
    clock.advance(Duration.ofMinutes(10));
    a.runTimers();
    assertThat(a.drain()).isEmpty();
    assertThat(a.handshakes.indices.get(previousIndex)).as("zeroed: no index answers").isNull();
  }

  @Test
  void sessionKeysAreZeroedThreeRejectAfterTimesAfterTheHandshake() {
    handshake();
    Keypair kp = Objects.requireNonNull(ab.keypairs.current());
    int index = kp.localIndex();
    assertThat(a.handshakes.indices.get(index)).isNotNull();

    clock.advance(Protocol.REJECT_AFTER_TIME.multipliedBy(3).minusSeconds(1));
    a.runTimers();
    assertThat(ab.keypairs.current()).isSameAs(kp);
    clock.advance(Duration.ofSeconds(2));
    a.runTimers();
    assertThat(ab.keypairs.current()).isNull();
    assertThat(a.handshakes.indices.get(index)).isNull();
  }

  @Test
  void badMessagesAreCountedAndAnswerNothing() {
    byte[] response = new byte[Protocol.RESPONSE_LENGTH];
    response[0] = Protocol.TYPE_RESPONSE;
    putLe32(response, 8, 0x1234_5678); // an index nobody handed out
    a.handshakes.consumeResponse(response, response.length, b.address);
    assertThat(a.events.dropped(DropReason.HANDSHAKE_INVALID)).isEqualTo(1);

    a.handshakes.sendInitiation(ab, false);
    byte[] initiation = only(a.drain()).bytes();
    initiation[40] ^= 1; // inside the encrypted static key
    b.handshakes.consumeInitiation(identity(b), initiation, initiation.length, a.address);
    assertThat(b.events.dropped(DropReason.HANDSHAKE_INVALID)).isEqualTo(1);
    assertThat(b.drain()).isEmpty();
    assertThat(ba.endpoint).as("an unauthenticated message does not move the endpoint").isNotNull();

    byte[] cookie = new byte[Protocol.COOKIE_REPLY_LENGTH];
    cookie[0] = Protocol.TYPE_COOKIE_REPLY;
    putLe32(cookie, 4, Messages.senderIndex(initiation, 0));
    a.handshakes.consumeCookieReply(cookie, cookie.length); // a forged reply fails to open
    assertThat(a.events.dropped(DropReason.HANDSHAKE_INVALID)).isEqualTo(2);
    assertThat(a.handshakes.hasCookie(ab)).isFalse();
  }

  @Test
  void aRemovedPeersIndicesAnswerNoMore() {
    handshake();
    int index = Objects.requireNonNull(ab.keypairs.current()).localIndex();
    a.removePeer(ab);
    assertThat(a.handshakes.indices.get(index)).isNull();
    a.handshakes.sendInitiation(ab, false);
    assertThat(a.drain()).isEmpty();
  }

  /** A full handshake a -> b; both sides' sent lists are empty afterwards. */
  private void handshake() {
    a.handshakes.sendInitiation(ab, false);
    b.handshakes.consumeInitiation(identity(b), only(a.drain()).bytes(), 148, a.address);
    a.handshakes.consumeResponse(only(b.drain()).bytes(), 92, b.address);
    a.drain();
  }

  private static StaticIdentity identity(FakeSide side) {
    return Objects.requireNonNull(side.handshakes.identity());
  }

  private static void putLe32(byte[] b, int off, int v) {
    b[off] = (byte) v;
    b[off + 1] = (byte) (v >>> 8);
    b[off + 2] = (byte) (v >>> 16);
    b[off + 3] = (byte) (v >>> 24);
  }

  private static FakeSide.Sent only(List<FakeSide.Sent> l) {
    assertThat(l).hasSize(1);
    return l.get(0);
  }
}
