package io.wireguardjava.crypto;

import java.util.SplittableRandom;

/** A deterministic {@link RandomSource} for reproducible tests. */
final class SeededRandom implements RandomSource {
  private final SplittableRandom r;

  SeededRandom(long seed) {
    r = new SplittableRandom(seed);
  }

  @Override
  public synchronized void nextBytes(byte[] out) {
    r.nextBytes(out);
  }
}
