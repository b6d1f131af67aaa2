package io.wireguardjava.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link XChaCha20Poly1305#seal} (its own ChaCha20) against the model: HChaCha20 then the
 * BouncyCastle ChaCha20-Poly1305 backend, on random keys, nonces, lengths and associated data; and
 * every seal opens. The draft's vector is in {@code PrimitivesKatTest}.
 */
class XChaCha20Poly1305Test {

  private static byte[] model(byte[] key, byte[] nonce, byte[] ad, byte[] plain) {
    byte[] subkey = XChaCha20Poly1305.hChaCha20(key, nonce, 0);
    ChaCha20Poly1305 c = ChaCha20Poly1305.of(ChaCha20Poly1305.Backend.BOUNCY_CASTLE);
    ChaCha20Poly1305.Key k = c.key(subkey);
    byte[] out = new byte[plain.length + 16];
    c.seal(k, 0, LittleEndian.le64(nonce, 16), ad, plain, 0, plain.length, 0, out, 0);
    return out;
  }

  @Test
  void sealMatchesTheModelAndOpensForLengthsAcrossSeveralBlocks() {
    Random r = new Random(5);
    for (int len = 0; len <= 200; len++) {
      byte[] key = new byte[32];
      byte[] nonce = new byte[24];
      byte[] ad = new byte[r.nextInt(40)];
      byte[] plain = new byte[len];
      r.nextBytes(key);
      r.nextBytes(nonce);
      r.nextBytes(ad);
      r.nextBytes(plain);
      byte[] src = new byte[len + 3];
      System.arraycopy(plain, 0, src, 3, len);
      byte[] out = new byte[len + 16 + 2];
      assertThat(XChaCha20Poly1305.seal(key, nonce, 0, ad, src, 3, len, out, 2))
          .isEqualTo(len + 16);
      byte[] sealed = Arrays.copyOfRange(out, 2, 2 + len + 16);
      assertThat(sealed).as("length %d", len).isEqualTo(model(key, nonce, ad, plain));
      byte[] back = new byte[len];
      assertThat(XChaCha20Poly1305.open(key, nonce, 0, ad, sealed, 0, sealed.length, back, 0))
          .isEqualTo(len);
      assertThat(back).isEqualTo(plain);
    }
  }

  @Test
  void withoutAssociatedDataAndAtANonceOffset() {
    Random r = new Random(6);
    byte[] key = new byte[32];
    byte[] nonceAt = new byte[30];
    byte[] plain = new byte[16];
    r.nextBytes(key);
    r.nextBytes(nonceAt);
    r.nextBytes(plain);
    byte[] out = new byte[32];
    XChaCha20Poly1305.seal(key, nonceAt, 5, null, plain, 0, 16, out, 0);
    byte[] back = new byte[16];
    assertThat(XChaCha20Poly1305.open(key, nonceAt, 5, null, out, 0, 32, back, 0)).isEqualTo(16);
    assertThat(back).isEqualTo(plain);
  }
}
