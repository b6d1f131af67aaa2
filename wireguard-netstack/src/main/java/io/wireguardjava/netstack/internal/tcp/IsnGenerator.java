package io.wireguardjava.netstack.internal.tcp;

import java.util.random.RandomGenerator;

/**
 * Initial sequence numbers per RFC 6528: ISN = M + F(localip, localport, remoteip, remoteport,
 * secretkey), M a 4-microsecond clock, F SipHash-2-4 keyed from the injected random generator once
 * per layer. Connections to different peers get unrelated ISNs; successive connections of one
 * 4-tuple get increasing ones (old duplicates stay out of the new window).
 */
final class IsnGenerator {
  private final long k0;
  private final long k1;
  private static final int KEY_INPUT_LENGTH = 2 * 16 + 4;

  IsnGenerator(RandomGenerator random) {
    this.k0 = random.nextLong();
    this.k1 = random.nextLong();
  }

  /** Called once per connection, from any thread (stateless apart from the key). */
  int isn(TcpFlow flow, long nowNanos) {
    byte[] m = new byte[KEY_INPUT_LENGTH];
    byte[] l = flow.localBytes();
    byte[] r = flow.remoteBytes();
    System.arraycopy(l, 0, m, 0, l.length);
    System.arraycopy(r, 0, m, 16, r.length);
    TcpHeader.putU16(m, 32, flow.localPort());
    TcpHeader.putU16(m, 34, flow.remotePort());
    long f = SipHash.hash(k0, k1, m, 0, m.length);
    long ticks = Math.floorDiv(nowNanos, 4000L);
    return (int) (ticks + f);
  }
}
