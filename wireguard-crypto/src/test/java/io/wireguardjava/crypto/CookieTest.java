package io.wireguardjava.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CookieTest {

  static final byte[] ADDR = {10, 0, 0, 1};
  static final int PORT = 51820;

  @Test
  void underLoadAnInitiationWithoutMac2GetsACookieAndTheRetrySucceeds() {
    Pair p = new Pair(21, null);
    CookieChecker checker = new CookieChecker(p.b, p.time, p.random);
    byte[] init = p.initiation();
    assertThat(checker.check(init, 0, 148, ADDR, PORT, false))
        .isEqualTo(CookieChecker.Verdict.VALID);
    assertThat(checker.check(init, 0, 148, ADDR, PORT, true))
        .isEqualTo(CookieChecker.Verdict.NEEDS_COOKIE);

    byte[] reply = new byte[Protocol.COOKIE_REPLY_LENGTH];
    assertThat(checker.writeCookieReply(init, 0, 148, ADDR, PORT, reply, 0)).isEqualTo(64);
    assertThat(Messages.validate(reply, 0, 64)).isEqualTo(Reason.OK);
    assertThat(Messages.receiverIndex(reply, 0)).isEqualTo(Messages.senderIndex(init, 0));
    assertThat(p.aToB.hasCookie()).isFalse();
    assertThat(p.aToB.consumeCookieReply(reply, 0, 64)).isEqualTo(Reason.OK);
    assertThat(p.aToB.hasCookie()).isTrue();
    // The same reply again: no MAC1 outstanding any more.
    assertThat(p.aToB.consumeCookieReply(reply, 0, 64)).isEqualTo(Reason.UNEXPECTED_COOKIE_REPLY);

    p.time.advance(Duration.ofSeconds(1));
    byte[] retry = p.initiation();
    assertThat(checker.check(retry, 0, 148, ADDR, PORT, true))
        .isEqualTo(CookieChecker.Verdict.VALID);
    // From another address the cookie does not fit.
    assertThat(checker.check(retry, 0, 148, new byte[] {10, 0, 0, 2}, PORT, true))
        .isEqualTo(CookieChecker.Verdict.NEEDS_COOKIE);
    assertThat(checker.check(retry, 0, 148, ADDR, PORT + 1, true))
        .isEqualTo(CookieChecker.Verdict.NEEDS_COOKIE);
    assertThat(Handshake.consumeInitiation(p.b, retry, 0, 148, p.lookupOnB()).reason())
        .isEqualTo(Reason.OK);

    // A flipped MAC2 bit is caught under load.
    byte[] bad = retry.clone();
    bad[140] ^= 4;
    assertThat(checker.check(bad, 0, 148, ADDR, PORT, true))
        .isEqualTo(CookieChecker.Verdict.NEEDS_COOKIE);
    // A flipped MAC1 bit always.
    bad = retry.clone();
    bad[120] ^= 4;
    assertThat(checker.check(bad, 0, 148, ADDR, PORT, false))
        .isEqualTo(CookieChecker.Verdict.INVALID_MAC1);
  }

  @Test
  void theCookieACheckComputedIsReusedForTheReplyOnlyForTheSameSourceAndSecret() {
    // check() keeps the cookie it computed for MAC2 so the reply need not compute it again; a
    // reply for another source, or after the secret rotated, must carry that source's, and the
    // current secret's, cookie.
    Pair p = new Pair(26, null);
    CookieChecker checker = new CookieChecker(p.b, p.time, p.random);
    byte[] init = p.initiation();
    byte[] other = {10, 0, 0, 2};
    assertThat(checker.check(init, 0, 148, ADDR, PORT, true))
        .isEqualTo(CookieChecker.Verdict.NEEDS_COOKIE);
    byte[] reply = new byte[64];
    checker.writeCookieReply(init, 0, 148, other, PORT, reply, 0);
    assertThat(p.aToB.consumeCookieReply(reply, 0, 64)).isEqualTo(Reason.OK);
    p.time.advance(Duration.ofSeconds(1));
    byte[] retry = p.initiation();
    assertThat(checker.check(retry, 0, 148, other, PORT, true))
        .isEqualTo(CookieChecker.Verdict.VALID);
    assertThat(checker.check(retry, 0, 148, ADDR, PORT, true))
        .isEqualTo(CookieChecker.Verdict.NEEDS_COOKIE);

    // The cookie computed for ADDR just now; then the secret rotates before the reply.
    p.time.advance(Protocol.COOKIE_REFRESH_TIME);
    byte[] third = p.initiation();
    assertThat(checker.check(third, 0, 148, ADDR, PORT, true))
        .isEqualTo(CookieChecker.Verdict.NEEDS_COOKIE);
    p.time.advance(Protocol.COOKIE_REFRESH_TIME);
    checker.writeCookieReply(third, 0, 148, ADDR, PORT, reply, 0);
    assertThat(p.aToB.consumeCookieReply(reply, 0, 64)).isEqualTo(Reason.OK);
    p.time.advance(Duration.ofSeconds(1));
    byte[] fourth = p.initiation();
    assertThat(checker.check(fourth, 0, 148, ADDR, PORT, true))
        .isEqualTo(CookieChecker.Verdict.VALID);
  }

  @Test
  void afterDestroyNothingPassesMac1() {
    Pair p = new Pair(27, null);
    CookieChecker checker = new CookieChecker(p.b, p.time, p.random);
    byte[] init = p.initiation();
    assertThat(checker.check(init, 0, 148, ADDR, PORT, false))
        .isEqualTo(CookieChecker.Verdict.VALID);
    checker.destroy();
    assertThat(checker.check(init, 0, 148, ADDR, PORT, false))
        .isEqualTo(CookieChecker.Verdict.INVALID_MAC1);
  }

  @Test
  void cookieAndSecretAge() {
    Pair p = new Pair(22, null);
    CookieChecker checker = new CookieChecker(p.b, p.time, p.random);
    byte[] init = p.initiation();
    byte[] reply = new byte[64];
    checker.writeCookieReply(init, 0, 148, ADDR, PORT, reply, 0);
    assertThat(p.aToB.consumeCookieReply(reply, 0, 64)).isEqualTo(Reason.OK);
    // The initiator stops using it after COOKIE_REFRESH_TIME - COOKIE_SECRET_LATENCY.
    p.time.advance(Duration.ofSeconds(114));
    assertThat(p.aToB.hasCookie()).isTrue();
    p.time.advance(Duration.ofSeconds(1));
    assertThat(p.aToB.hasCookie()).isFalse();
    // The responder's secret rotates after COOKIE_REFRESH_TIME: the old cookie is worthless.
    Pair q = new Pair(23, null);
    CookieChecker c2 = new CookieChecker(q.b, q.time, q.random);
    byte[] i1 = q.initiation();
    c2.writeCookieReply(i1, 0, 148, ADDR, PORT, reply, 0);
    q.aToB.consumeCookieReply(reply, 0, 64);
    q.time.advance(Duration.ofSeconds(60));
    byte[] i2 = q.initiation();
    assertThat(c2.check(i2, 0, 148, ADDR, PORT, true)).isEqualTo(CookieChecker.Verdict.VALID);
    q.time.advance(Duration.ofSeconds(50)); // secret now 110 s old, cookie 110 s: still used
    byte[] i3 = q.initiation();
    assertThat(c2.check(i3, 0, 148, ADDR, PORT, true)).isEqualTo(CookieChecker.Verdict.VALID);
    q.time.advance(Duration.ofSeconds(11)); // secret 121 s: rotated
    assertThat(c2.check(i3, 0, 148, ADDR, PORT, true))
        .isEqualTo(CookieChecker.Verdict.NEEDS_COOKIE);
  }

  @Test
  void cookieReplyForAnUnknownIndexOrPeerIsIgnored() {
    Pair p = new Pair(24, null);
    CookieChecker checker = new CookieChecker(p.b, p.time, p.random);
    byte[] init = p.initiation();
    byte[] reply = new byte[64];
    checker.writeCookieReply(init, 0, 148, ADDR, PORT, reply, 0);
    // The engine finds no handshake for an unknown receiver index; the handshake itself also
    // refuses a reply whose index is not its own.
    byte[] otherIndex = reply.clone();
    otherIndex[4] ^= 1;
    assertThat(p.aToB.consumeCookieReply(otherIndex, 0, 64)).isEqualTo(Reason.WRONG_RECEIVER_INDEX);
    // A reply from a checker of another identity does not decrypt.
    CookieChecker stranger = new CookieChecker(StaticIdentity.generate(p.random), p.time, p.random);
    byte[] fake = new byte[64];
    stranger.writeCookieReply(init, 0, 148, ADDR, PORT, fake, 0);
    assertThat(p.aToB.consumeCookieReply(fake, 0, 64)).isEqualTo(Reason.COOKIE_DECRYPT_FAILED);
    // Any bit flip in the nonce or the encrypted cookie.
    for (int bit = 8 * 8; bit < 64 * 8; bit++) {
      byte[] bad = reply.clone();
      bad[bit / 8] ^= (byte) (1 << (bit % 8));
      assertThat(p.aToB.consumeCookieReply(bad, 0, 64))
          .as("bit %d", bit)
          .isEqualTo(Reason.COOKIE_DECRYPT_FAILED);
    }
    // A reply to an earlier MAC1 does not decrypt either.
    p.time.advance(Duration.ofSeconds(1));
    p.aToB.createInitiation(Messages.senderIndex(init, 0), new byte[148], 0);
    assertThat(p.aToB.consumeCookieReply(reply, 0, 64)).isEqualTo(Reason.COOKIE_DECRYPT_FAILED);
    // A new initiation has a new index: the old reply no longer routes to it.
    p.initiation();
    assertThat(p.aToB.consumeCookieReply(reply, 0, 64)).isEqualTo(Reason.WRONG_RECEIVER_INDEX);
    // Before any message was sent, a reply is unexpected.
    Pair fresh = new Pair(25, null);
    assertThat(fresh.aToB.consumeCookieReply(reply, 0, 64))
        .isIn(Reason.UNEXPECTED_COOKIE_REPLY, Reason.WRONG_RECEIVER_INDEX);
  }

  @Test
  void responsesCarryMac2Too() {
    Pair p = new Pair(26, null);
    CookieChecker onA = new CookieChecker(p.a, p.time, p.random);
    byte[] init = p.initiation();
    Handshake.consumeInitiation(p.b, init, 0, 148, p.lookupOnB());
    byte[] resp = new byte[92];
    p.bToA.createResponse(77, resp, 0);
    assertThat(onA.check(resp, 0, 92, ADDR, PORT, true))
        .isEqualTo(CookieChecker.Verdict.NEEDS_COOKIE);
    byte[] reply = new byte[64];
    onA.writeCookieReply(resp, 0, 92, ADDR, PORT, reply, 0);
    assertThat(Messages.receiverIndex(reply, 0)).isEqualTo(77);
    assertThat(p.bToA.consumeCookieReply(reply, 0, 64)).isEqualTo(Reason.OK);
    assertThat(p.bToA.hasCookie()).isTrue();
  }
}
