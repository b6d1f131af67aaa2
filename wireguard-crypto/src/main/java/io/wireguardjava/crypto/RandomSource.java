package io.wireguardjava.crypto;

import java.security.SecureRandom;

/**
 * Where ephemeral keys, cookie secrets and cookie nonces come from. Production code passes {@link
 * #secure()}; tests pass a seeded source to make every message reproducible.
 */
@FunctionalInterface
public interface RandomSource {

  /**
   * Fills {@code out} with random bytes.
   *
   * @param out the array to fill
   */
  void nextBytes(byte[] out);

  /**
   * A shared {@link SecureRandom} (thread-safe).
   *
   * @return a shared {@link SecureRandom} (thread-safe)
   */
  static RandomSource secure() {
    return SecureHolder.SECURE::nextBytes;
  }

  /**
   * Adapts any {@link SecureRandom}.
   *
   * @param random the generator
   * @return a source drawing from {@code random}
   */
  static RandomSource of(SecureRandom random) {
    return random::nextBytes;
  }
}

/** Lazily created shared {@link SecureRandom}. */
final class SecureHolder {
  static final SecureRandom SECURE = new SecureRandom();

  private SecureHolder() {}
}
