package io.wireguardjava.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NonceStreamTest {

  /** A source that counts its calls and fills with a byte that changes per call. */
  private static final class CountingSource implements RandomSource {
    int calls;

    @Override
    public void nextBytes(byte[] out) {
      calls++;
      Arrays.fill(out, (byte) (calls * 17));
    }
  }

  private static byte[] keystream(byte fill, int blocks) {
    int[] key = new int[8];
    Arrays.fill(key, (fill & 0xFF) * 0x01010101);
    byte[] out = new byte[64 * blocks];
    byte[] block = new byte[64];
    for (int i = 0; i < blocks; i++) {
      XChaCha20Poly1305.chaCha20Block(key, i, 0, 0, block);
      System.arraycopy(block, 0, out, 64 * i, 64);
    }
    return out;
  }

  @Test
  void noncesAreTheKeystreamUnderAKeyFromTheSourceTwoPerBlock() {
    CountingSource random = new CountingSource();
    NonceStream s = new NonceStream();
    byte[] stream = keystream((byte) 17, 3);
    byte[] nonce = new byte[24];
    for (int i = 0; i < 6; i++) {
      s.next(random, nonce);
      int block = i / 2;
      int at = 64 * block + 24 * (i % 2);
      assertThat(nonce).as("nonce %d", i).isEqualTo(Arrays.copyOfRange(stream, at, at + 24));
    }
    assertThat(random.calls).isEqualTo(1);
  }

  @Test
  void aNewKeyAfterBlocksPerKeyBlocksAndWhenTheSourceChanges() {
    CountingSource random = new CountingSource();
    NonceStream s = new NonceStream();
    byte[] nonce = new byte[24];
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 2 * NonceStream.BLOCKS_PER_KEY; i++) {
      s.next(random, nonce);
      assertThat(seen.add(Arrays.toString(nonce))).as("nonce %d repeats", i).isTrue();
    }
    assertThat(random.calls).isEqualTo(1);
    s.next(random, nonce);
    assertThat(random.calls).isEqualTo(2);
    assertThat(nonce).isEqualTo(Arrays.copyOfRange(keystream((byte) 34, 1), 0, 24));

    CountingSource other = new CountingSource();
    s.next(other, nonce);
    assertThat(other.calls).isEqualTo(1);
    assertThat(nonce).isEqualTo(Arrays.copyOfRange(keystream((byte) 17, 1), 0, 24));
  }

  @Test
  void twoStreamsOnTheSecureSourceDoNotMeet() {
    RandomSource random = RandomSource.secure();
    NonceStream a = new NonceStream();
    NonceStream b = new NonceStream();
    List<String> all = new ArrayList<>();
    byte[] nonce = new byte[24];
    for (int i = 0; i < 1000; i++) {
      a.next(random, nonce);
      all.add(Arrays.toString(nonce));
      b.next(random, nonce);
      all.add(Arrays.toString(nonce));
    }
    assertThat(new HashSet<>(all)).hasSize(all.size());
  }
}
