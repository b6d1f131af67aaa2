package io.wireguardjava.crypto;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** Property test (jqwik): no parse or consume entry point throws on arbitrary bytes. */
class GarbageInputPropertyTest {

  private static final Pair FIXED = new Pair(99, null);

  /** Random input never throws from any parsing or consuming entry point. */
  @Property(tries = 500)
  void garbageNeverThrows(@ForAll byte[] junk) {
    Pair p = FIXED;
    int len = junk.length;
    Messages.validate(junk, 0, len);
    Messages.type(junk, 0, len);
    Handshake.consumeInitiation(p.b, junk, 0, len, p.lookupOnB());
    p.aToB.consumeResponse(junk, 0, len);
    p.aToB.consumeCookieReply(junk, 0, len);
    if (len >= 1) {
      junk[0] = (byte) (1 + (len % 4));
      Messages.validate(junk, 0, len);
      Handshake.consumeInitiation(p.b, junk, 0, len, p.lookupOnB());
      p.aToB.consumeResponse(junk, 0, len);
      p.aToB.consumeCookieReply(junk, 0, len);
    }
  }
}
