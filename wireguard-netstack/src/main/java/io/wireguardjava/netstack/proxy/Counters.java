package io.wireguardjava.netstack.proxy;

import java.util.concurrent.atomic.LongAdder;

/** The live counters behind {@link ProxyStats}; every field is updated from any thread. */
final class Counters {
  final LongAdder accepted = new LongAdder();
  final LongAdder active = new LongAdder();
  final LongAdder rejected = new LongAdder();
  final LongAdder malformed = new LongAdder();
  final LongAdder failed = new LongAdder();
  final LongAdder bytesOut = new LongAdder();
  final LongAdder bytesIn = new LongAdder();
  final LongAdder datagramsDropped = new LongAdder();
  final LongAdder resets = new LongAdder();

  ProxyStats snapshot() {
    return new ProxyStats(
        accepted.sum(),
        active.sum(),
        rejected.sum(),
        malformed.sum(),
        failed.sum(),
        bytesOut.sum(),
        bytesIn.sum(),
        datagramsDropped.sum(),
        resets.sum());
  }
}
