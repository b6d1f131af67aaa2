package io.wireguardjava.crypto;

import java.util.Arrays;

/**
 * Runs transport-data seals and opens through {@link Keypair} on a throwaway session, so that the
 * JIT compiles the data path's crypto (our {@code Keypair} and the backend's cipher, with the JDK's
 * ChaCha20 and Poly1305 intrinsics where it has them) before real packets need it. Without it, a
 * tunnel that carries little traffic (a ping, an interactive shell) runs those methods in the
 * interpreter for its first thousands of packets: measured, a lone ping through a fresh tunnel took
 * about three times as long as through a warm one.
 *
 * <p>The session's key is random and wiped at the end; nothing of it leaves this class. Uses the
 * same backend as real sessions ({@link ChaCha20Poly1305#get()}).
 */
public final class DataPathWarmUp {
  /** Packet sizes cycled through: echo requests, small TCP segments, full 1420-byte packets. */
  private static final int[] SIZES = {84, 52, 1420, 120, 576};

  private DataPathWarmUp() {}

  /**
   * Seals and opens {@code rounds} packets (sizes cycling from 52 to 1,420 bytes) on a fresh
   * throwaway keypair whose sending and receiving keys are the same, so each sealed message opens.
   *
   * @param rounds how many packets to seal and open; 10,000 get the JIT to compile the path
   * @return how many of them opened to the packet sealed (all of them unless the backend is broken)
   * @throws IllegalArgumentException when {@code rounds} is negative
   */
  public static int run(int rounds) {
    if (rounds < 0) {
      throw new IllegalArgumentException("rounds must be >= 0, not " + rounds);
    }
    byte[] key = new byte[ChaCha20Poly1305.KEY_LENGTH];
    RandomSource.secure().nextBytes(key);
    Keypair kp = new Keypair(ChaCha20Poly1305.get(), key, key, true, 0, 0, TimeSource.system());
    Arrays.fill(key, (byte) 0);
    byte[] packet = new byte[1420];
    byte[] message = new byte[Protocol.TRANSPORT_MIN_LENGTH + Protocol.paddedLength(1420)];
    byte[] opened = new byte[message.length];
    int good = 0;
    try {
      for (int i = 0; i < rounds; i++) {
        int len = SIZES[i % SIZES.length];
        packet[0] = (byte) i; // a different plaintext each round
        int m = kp.seal(packet, 0, len, message, 0);
        int n = m < 0 ? m : kp.open(message, 0, m, opened, 0);
        if (n >= len && opened[0] == packet[0]) {
          good++;
        }
      }
    } finally {
      kp.destroy();
      Arrays.fill(packet, (byte) 0);
      Arrays.fill(message, (byte) 0);
      Arrays.fill(opened, (byte) 0);
    }
    return good;
  }
}
