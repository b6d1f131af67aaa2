package io.wireguardjava.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HandshakeTest {

  static final byte[] PSK =
      Hex.b("fefefefefefefefefefefefefefefefefefefefefefefefefefefefefefefefe");

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void fullHandshakeThenTransportBothWays(boolean withPsk) {
    Pair p = new Pair(1, withPsk ? PSK : null);
    byte[] init = p.initiation();
    assertThat(Messages.validate(init, 0, init.length)).isEqualTo(Reason.OK);
    assertThat(Messages.type(init, 0, init.length)).isEqualTo(Protocol.TYPE_INITIATION);
    assertThat(Messages.senderIndex(init, 0)).isEqualTo(100);
    assertThat(p.aToB.state()).isEqualTo(Handshake.State.CREATED_INITIATION);

    Handshake.InitiationResult r =
        Handshake.consumeInitiation(p.b, init, 0, init.length, p.lookupOnB());
    assertThat(r.reason()).isEqualTo(Reason.OK);
    assertThat(r.peer()).isSameAs(p.bToA);
    assertThat(p.bToA.state()).isEqualTo(Handshake.State.CONSUMED_INITIATION);

    byte[] resp = new byte[Protocol.RESPONSE_LENGTH];
    Keypair kb = p.bToA.createResponse(200, resp, 0);
    assertThat(Messages.validate(resp, 0, resp.length)).isEqualTo(Reason.OK);
    assertThat(Messages.senderIndex(resp, 0)).isEqualTo(200);
    assertThat(Messages.receiverIndex(resp, 0)).isEqualTo(100);
    assertThat(p.bToA.state()).isEqualTo(Handshake.State.ZEROED);

    Handshake.ResponseResult rr = p.aToB.consumeResponse(resp, 0, resp.length);
    assertThat(rr.reason()).isEqualTo(Reason.OK);
    Keypair ka = rr.keypair();
    assertThat(ka.isInitiator()).isTrue();
    assertThat(kb.isInitiator()).isFalse();
    assertThat(ka.localIndex()).isEqualTo(100);
    assertThat(ka.remoteIndex()).isEqualTo(200);
    assertThat(kb.localIndex()).isEqualTo(200);
    assertThat(kb.remoteIndex()).isEqualTo(100);
    assertThat(p.aToB.state()).isEqualTo(Handshake.State.ZEROED);

    // Rotation: A uses its keypair at once; B waits for A's first packet.
    p.aKeys.install(ka);
    p.bKeys.install(kb);
    assertThat(p.aKeys.current()).isSameAs(ka);
    assertThat(p.bKeys.current()).isNull();
    assertThat(p.bKeys.next()).isSameAs(kb);

    byte[] packet = "an IP packet of 37 bytes, give or take".getBytes();
    byte[] wire = new byte[Protocol.transportLength(packet.length)];
    assertThat(ka.seal(packet, 0, packet.length, wire, 0))
        .isEqualTo(wire.length)
        .isEqualTo(16 + 48 + 16);
    assertThat(Messages.validate(wire, 0, wire.length)).isEqualTo(Reason.OK);
    assertThat(Messages.receiverIndex(wire, 0)).isEqualTo(200);
    assertThat(Messages.counter(wire, 0)).isZero();
    byte[] plain = new byte[wire.length];
    int n = kb.open(wire, 0, wire.length, plain, 0);
    assertThat(n).isEqualTo(48);
    assertThat(Arrays.copyOf(plain, packet.length)).isEqualTo(packet);
    assertThat(Arrays.copyOfRange(plain, packet.length, 48)).containsOnly(0);
    assertThat(p.bKeys.receivedWith(kb)).isTrue();
    assertThat(p.bKeys.current()).isSameAs(kb);
    assertThat(p.bKeys.next()).isNull();

    // The other way, and a keepalive.
    byte[] back = new byte[Protocol.transportLength(0)];
    assertThat(kb.seal(new byte[0], 0, 0, back, 0)).isEqualTo(32);
    assertThat(ka.open(back, 0, back.length, plain, 0)).isZero();

    // Replayed data packet.
    assertThat(Reason.fromCode(kb.open(wire, 0, wire.length, plain, 0))).isEqualTo(Reason.REPLAYED);
  }

  @Test
  void inPlaceSealAndOpen() {
    Pair p = new Pair(2, null);
    Keypair[] k = p.handshake();
    byte[] buf = new byte[16 + 1424 + 16];
    for (int i = 0; i < 1420; i++) {
      buf[16 + i] = (byte) i;
    }
    int n = k[0].seal(buf, 16, 1420, buf, 0);
    assertThat(n).isEqualTo(1456);
    assertThat(k[1].open(buf, 0, n, buf, 16)).isEqualTo(1424);
    for (int i = 0; i < 1420; i++) {
      assertThat(buf[16 + i]).isEqualTo((byte) i);
    }
  }

  @Test
  void wrongPresharedKeyFailsWithItsOwnReason() {
    Pair p = new Pair(3, PSK, null);
    byte[] init = p.initiation();
    // The initiation carries no PSK-dependent data: B accepts it.
    assertThat(Handshake.consumeInitiation(p.b, init, 0, init.length, p.lookupOnB()).reason())
        .isEqualTo(Reason.OK);
    byte[] resp = new byte[Protocol.RESPONSE_LENGTH];
    p.bToA.createResponse(7, resp, 0);
    assertThat(p.aToB.consumeResponse(resp, 0, resp.length).reason())
        .isEqualTo(Reason.RESPONSE_AUTH_FAILED);
    assertThat(p.aToB.state()).isEqualTo(Handshake.State.CREATED_INITIATION);
  }

  @Test
  void wrongStaticKeyFailsWithItsOwnReasons() {
    Pair p = new Pair(4, null);
    // A believes B has another public key: MAC1 (keyed by B's real key) fails, before any DH.
    StaticIdentity other = StaticIdentity.generate(p.random);
    Handshake wrong = Handshake.create(p.a, other.publicKey(), null, p.time, p.random);
    byte[] init = new byte[148];
    wrong.createInitiation(1, init, 0);
    assertThat(Handshake.consumeInitiation(p.b, init, 0, 148, p.lookupOnB()).reason())
        .isEqualTo(Reason.INVALID_MAC1);
    // An initiator whose static key B does not know.
    Handshake stranger = Handshake.create(other, p.b.publicKey(), null, p.time, p.random);
    stranger.createInitiation(2, init, 0);
    assertThat(Handshake.consumeInitiation(p.b, init, 0, 148, p.lookupOnB()).reason())
        .isEqualTo(Reason.UNKNOWN_PEER);
    // A lookup that answers with the wrong peer is caught too.
    assertThat(Handshake.consumeInitiation(p.b, init, 0, 148, key -> p.bToA).reason())
        .isEqualTo(Reason.UNKNOWN_PEER);
  }

  @Test
  void replayedInitiationIsAStaleTimestamp() {
    Pair p = new Pair(5, null);
    byte[] init = p.initiation();
    assertThat(Handshake.consumeInitiation(p.b, init, 0, 148, p.lookupOnB()).reason())
        .isEqualTo(Reason.OK);
    p.time.advance(Duration.ofSeconds(1));
    Handshake.InitiationResult again =
        Handshake.consumeInitiation(p.b, init, 0, 148, p.lookupOnB());
    assertThat(again.reason()).isEqualTo(Reason.STALE_TIMESTAMP);
    assertThat(again.peer()).isSameAs(p.bToA);
    // An older timestamp (wall clock set back) is stale too.
    p.time.setEpochNanos(p.time.epochNanos() - 60_000_000_000L);
    byte[] older = p.initiation();
    assertThat(Handshake.consumeInitiation(p.b, older, 0, 148, p.lookupOnB()).reason())
        .isEqualTo(Reason.STALE_TIMESTAMP);
    // A newer one is fine.
    p.time.setEpochNanos(p.time.epochNanos() + 120_000_000_000L);
    byte[] newer = p.initiation();
    assertThat(Handshake.consumeInitiation(p.b, newer, 0, 148, p.lookupOnB()).reason())
        .isEqualTo(Reason.OK);
  }

  @Test
  void floodLimitIsFiftyPerSecondPerPeer() {
    Pair p = new Pair(6, null);
    byte[] first = p.initiation();
    assertThat(Handshake.consumeInitiation(p.b, first, 0, 148, p.lookupOnB()).reason())
        .isEqualTo(Reason.OK);
    // 10 ms later on the monotonic clock, but with a clearly newer timestamp.
    p.time.advance(Duration.ofMillis(10));
    p.time.setEpochNanos(p.time.epochNanos() + 1_000_000_000L);
    byte[] second = p.initiation();
    assertThat(Handshake.consumeInitiation(p.b, second, 0, 148, p.lookupOnB()).reason())
        .isEqualTo(Reason.INITIATION_FLOOD);
    p.time.advance(Duration.ofMillis(10));
    assertThat(Handshake.consumeInitiation(p.b, second, 0, 148, p.lookupOnB()).reason())
        .isEqualTo(Reason.OK);
  }

  @Test
  void responseWithoutInitiationOrForAnotherIndexIsUnexpected() {
    Pair p = new Pair(7, null);
    byte[] init = p.initiation();
    Handshake.consumeInitiation(p.b, init, 0, 148, p.lookupOnB());
    byte[] resp = new byte[92];
    p.bToA.createResponse(9, resp, 0);
    assertThat(p.aToB.consumeResponse(resp, 0, 92).reason()).isEqualTo(Reason.OK);
    // Replayed response: A's handshake is over.
    assertThat(p.aToB.consumeResponse(resp, 0, 92).reason()).isEqualTo(Reason.UNEXPECTED_RESPONSE);
  }

  @Test
  void createResponseWithoutInitiationIsAProgrammingError() {
    Pair p = new Pair(8, null);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> p.bToA.createResponse(1, new byte[92], 0))
        .isInstanceOf(IllegalStateException.class);
  }

  /** Every single-bit flip of an initiation is rejected, each with a fitting reason. */
  @Test
  void everyBitFlipOfAnInitiationIsRejected() {
    Pair p = new Pair(9, PSK);
    byte[] init = p.initiation();
    Set<Reason> seen = EnumSet.noneOf(Reason.class);
    for (int bit = 0; bit < (148 - 16) * 8; bit++) { // MAC2 is only read under load
      byte[] bad = init.clone();
      bad[bit / 8] ^= (byte) (1 << (bit % 8));
      Reason r = Handshake.consumeInitiation(p.b, bad, 0, 148, p.lookupOnB()).reason();
      assertThat(r).as("bit %d", bit).isNotEqualTo(Reason.OK);
      seen.add(r);
    }
    assertThat(seen)
        .containsExactlyInAnyOrder(
            Reason.UNKNOWN_TYPE, Reason.WRONG_LENGTH, Reason.NONZERO_RESERVED, Reason.INVALID_MAC1);
    // With MAC1 recomputed, the Noise layer itself catches each flip.
    seen.clear();
    for (int bit = 8 * 8; bit < 116 * 8; bit++) {
      byte[] bad = init.clone();
      bad[bit / 8] ^= (byte) (1 << (bit % 8));
      Blake2s.mac(p.b.mac1Key, bad, 0, 116, bad, 116);
      Reason r = Handshake.consumeInitiation(p.b, bad, 0, 148, p.lookupOnB()).reason();
      assertThat(r).as("bit %d", bit).isNotEqualTo(Reason.OK);
      seen.add(r);
    }
    assertThat(seen).contains(Reason.STATIC_DECRYPT_FAILED, Reason.TIMESTAMP_DECRYPT_FAILED);
    // The original is still good.
    assertThat(Handshake.consumeInitiation(p.b, init, 0, 148, p.lookupOnB()).reason())
        .isEqualTo(Reason.OK);
  }

  /** Every single-bit flip of a response is rejected, and the original still works after. */
  @Test
  void everyBitFlipOfAResponseIsRejected() {
    Pair p = new Pair(10, PSK);
    byte[] init = p.initiation();
    Handshake.consumeInitiation(p.b, init, 0, 148, p.lookupOnB());
    byte[] resp = new byte[92];
    p.bToA.createResponse(5, resp, 0);
    for (int bit = 0; bit < (92 - 16) * 8; bit++) {
      byte[] bad = resp.clone();
      bad[bit / 8] ^= (byte) (1 << (bit % 8));
      assertThat(p.aToB.consumeResponse(bad, 0, 92).reason())
          .as("bit %d", bit)
          .isNotEqualTo(Reason.OK);
    }
    for (int bit = 12 * 8; bit < 60 * 8; bit++) { // ephemeral and empty, MAC1 recomputed
      byte[] bad = resp.clone();
      bad[bit / 8] ^= (byte) (1 << (bit % 8));
      Blake2s.mac(p.a.mac1Key, bad, 0, 60, bad, 60);
      assertThat(p.aToB.consumeResponse(bad, 0, 92).reason())
          .as("bit %d", bit)
          .isIn(Reason.RESPONSE_AUTH_FAILED, Reason.LOW_ORDER_POINT);
    }
    assertThat(p.aToB.consumeResponse(resp, 0, 92).reason()).isEqualTo(Reason.OK);
  }

  @Test
  void everyBitFlipOfATransportMessageIsRejected() {
    Pair p = new Pair(11, null);
    Keypair[] k = p.handshake();
    byte[] packet = new byte[100];
    byte[] wire = new byte[Protocol.transportLength(100)];
    int n = k[0].seal(packet, 0, 100, wire, 0);
    byte[] out = new byte[n];
    for (int bit = 0; bit < n * 8; bit++) {
      byte[] bad = wire.clone();
      bad[bit / 8] ^= (byte) (1 << (bit % 8));
      Reason v = Messages.validate(bad, 0, n);
      Reason r = v != Reason.OK ? v : Reason.fromCode(k[1].open(bad, 0, n, out, 0));
      assertThat(r)
          .as("bit %d", bit)
          .isIn(
              Reason.UNKNOWN_TYPE,
              Reason.NONZERO_RESERVED,
              Reason.WRONG_RECEIVER_INDEX,
              Reason.DATA_AUTH_FAILED,
              Reason.COUNTER_LIMIT);
    }
    assertThat(k[1].open(wire, 0, n, out, 0)).isEqualTo(112);
  }

  @Test
  void newHandshakeRotatesKeypairs() {
    Pair p = new Pair(12, null);
    Keypair[] first = p.handshake();
    p.aKeys.install(first[0]);
    p.bKeys.install(first[1]);
    byte[] wire = new byte[64];
    byte[] out = new byte[64];
    int n = first[0].seal(new byte[0], 0, 0, wire, 0);
    assertThat(first[1].open(wire, 0, n, out, 0)).isZero();
    p.bKeys.receivedWith(first[1]);

    p.time.advance(Protocol.REKEY_AFTER_TIME);
    assertThat(first[0].needsRekeyOnSend()).isTrue();
    assertThat(first[1].needsRekeyOnSend()).isFalse();
    Keypair[] second = p.handshake();
    p.aKeys.install(second[0]);
    p.bKeys.install(second[1]);
    assertThat(p.aKeys.current()).isSameAs(second[0]);
    assertThat(p.aKeys.previous()).isSameAs(first[0]);
    // B keeps sending with the first keypair until A's first packet on the second arrives.
    assertThat(p.bKeys.current()).isSameAs(first[1]);
    assertThat(p.bKeys.next()).isSameAs(second[1]);
    // Old keypair still decrypts in flight packets.
    n = first[1].seal(new byte[0], 0, 0, wire, 0);
    assertThat(first[0].open(wire, 0, n, out, 0)).isZero();
    n = second[0].seal(new byte[0], 0, 0, wire, 0);
    assertThat(second[1].open(wire, 0, n, out, 0)).isZero();
    assertThat(p.bKeys.receivedWith(second[1])).isTrue();
    assertThat(p.bKeys.current()).isSameAs(second[1]);
    assertThat(p.bKeys.previous()).isSameAs(first[1]);

    // A third handshake destroys the first keypairs.
    p.time.advance(Duration.ofSeconds(1));
    Keypair[] third = p.handshake();
    p.aKeys.install(third[0]);
    assertThat(first[0].isExpired()).isTrue();
    assertThat(Reason.fromCode(first[0].seal(new byte[0], 0, 0, wire, 0)))
        .isEqualTo(Reason.KEYPAIR_EXPIRED);
    p.aKeys.clear();
    assertThat(third[0].isExpired()).isTrue();
  }

  @Test
  void keypairExpiresAfterRejectAfterTime() {
    Pair p = new Pair(13, null);
    Keypair[] k = p.handshake();
    byte[] wire = new byte[64];
    byte[] out = new byte[64];
    int n = k[0].seal(new byte[1], 0, 1, wire, 0);
    p.time.advance(
        Protocol.REJECT_AFTER_TIME.minus(Protocol.KEEPALIVE_TIMEOUT).minus(Protocol.REKEY_TIMEOUT));
    assertThat(k[0].needsRekeyOnReceive()).isTrue();
    assertThat(k[1].needsRekeyOnReceive()).isFalse();
    p.time.advance(Duration.ofSeconds(15));
    assertThat(Reason.fromCode(k[1].open(wire, 0, n, out, 0))).isEqualTo(Reason.KEYPAIR_EXPIRED);
    assertThat(Reason.fromCode(k[0].seal(new byte[1], 0, 1, wire, 0)))
        .isEqualTo(Reason.KEYPAIR_EXPIRED);
  }

  @Test
  void counterLimitAndSmallBuffers() {
    Pair p = new Pair(14, null);
    Keypair[] k = p.handshake();
    byte[] wire = new byte[64];
    assertThat(
            Reason.fromCode(k[0].seal(Protocol.REJECT_AFTER_MESSAGES, new byte[0], 0, 0, wire, 0)))
        .isEqualTo(Reason.COUNTER_LIMIT);
    assertThat(Reason.fromCode(k[0].seal(new byte[40], 0, 40, new byte[79], 0)))
        .isEqualTo(Reason.BUFFER_TOO_SMALL);
    assertThat(Reason.fromCode(k[0].seal(new byte[40], 0, 40, wire, 0)))
        .isEqualTo(Reason.BUFFER_TOO_SMALL);
    assertThat(k[0].seal(new byte[40], 0, 40, new byte[80], 0)).isEqualTo(80);
    assertThat(Reason.fromCode(k[1].open(new byte[80], 0, 80, new byte[47], 0)))
        .isEqualTo(Reason.WRONG_RECEIVER_INDEX);
  }

  @Test
  void lowOrderPeerKeyIsRefused() {
    Pair p = new Pair(15, null);
    Handshake bad = Handshake.create(p.a, new byte[32], null, p.time, p.random);
    assertThat(bad.isUsable()).isFalse();
    assertThat(Reason.fromCode(bad.createInitiation(1, new byte[148], 0)))
        .isEqualTo(Reason.LOW_ORDER_POINT);
  }

  @Test
  void destroyedKeysAreZeroed() {
    ChaCha20Poly1305.Key k = ChaCha20Poly1305.of(ChaCha20Poly1305.Backend.BOUNCY_CASTLE).key(PSK);
    k.destroy();
    assertThat(k.raw).containsOnly(0);
    assertThat(((org.bouncycastle.crypto.params.KeyParameter) k.handle).getKey()).containsOnly(0);
    ChaCha20Poly1305.Key j = ChaCha20Poly1305.of(ChaCha20Poly1305.Backend.JDK).key(PSK);
    j.destroy();
    assertThat(j.raw).containsOnly(0);
    Pair p = new Pair(17, PSK);
    p.aToB.destroy();
    p.a.destroy();
    assertThat(p.a.privateKey).containsOnly(0);
  }

  @Test
  void noSecretInToString() {
    Pair p = new Pair(16, PSK);
    Keypair[] k = p.handshake();
    String all =
        p.a
            + " "
            + p.aToB
            + " "
            + k[0]
            + " "
            + p.aKeys
            + " "
            + ChaCha20Poly1305.get().key(PSK)
            + " "
            + new CookieChecker(p.b, p.time, p.random);
    assertThat(all)
        .doesNotContain(Hex.s(PSK))
        .doesNotContain(java.util.Base64.getEncoder().encodeToString(p.a.privateKey));
  }
}
