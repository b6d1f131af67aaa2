package io.wireguardjava.crypto;

import org.jspecify.annotations.Nullable;

/** Two peers A (initiator) and B (responder) in memory, with a manual clock. */
final class Pair {
  final ManualTimeSource time = new ManualTimeSource();
  final SeededRandom random;
  final StaticIdentity a;
  final StaticIdentity b;
  final Handshake aToB;
  final Handshake bToA;
  final Keypairs aKeys = new Keypairs();
  final Keypairs bKeys = new Keypairs();
  int nextIndex = 100;

  Pair(long seed, byte @Nullable [] psk) {
    this(seed, psk, psk);
  }

  Pair(long seed, byte @Nullable [] pskA, byte @Nullable [] pskB) {
    random = new SeededRandom(seed);
    a = StaticIdentity.generate(random);
    b = StaticIdentity.generate(random);
    aToB = Handshake.create(a, b.publicKey(), pskA, time, random);
    bToA = Handshake.create(b, a.publicKey(), pskB, time, random);
  }

  Handshake.Lookup lookupOnB() {
    return key -> java.util.Arrays.equals(key, a.publicKey()) ? bToA : null;
  }

  byte[] initiation() {
    byte[] msg = new byte[Protocol.INITIATION_LENGTH];
    int n = aToB.createInitiation(nextIndex++, msg, 0);
    if (n != Protocol.INITIATION_LENGTH) {
      throw new AssertionError(Reason.fromCode(n));
    }
    return msg;
  }

  /** Runs a whole handshake; returns {initiator's keypair, responder's keypair}. */
  Keypair[] handshake() {
    byte[] init = initiation();
    Handshake.InitiationResult r =
        Handshake.consumeInitiation(b, init, 0, init.length, lookupOnB());
    if (r.reason() != Reason.OK) {
      throw new AssertionError(r.reason());
    }
    byte[] resp = new byte[Protocol.RESPONSE_LENGTH];
    Keypair kb = bToA.createResponse(nextIndex++, resp, 0);
    Handshake.ResponseResult rr = aToB.consumeResponse(resp, 0, resp.length);
    if (rr.reason() != Reason.OK) {
      throw new AssertionError(rr.reason());
    }
    return new Keypair[] {rr.keypair(), kb};
  }
}
