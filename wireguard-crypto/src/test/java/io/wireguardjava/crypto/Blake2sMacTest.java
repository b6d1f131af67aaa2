package io.wireguardjava.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import org.bouncycastle.crypto.digests.Blake2sDigest;
import org.junit.jupiter.api.Test;

/** {@link Blake2sMac} against BouncyCastle's keyed BLAKE2s-128, the model, on random inputs. */
class Blake2sMacTest {

  private static byte[] model(byte[] key, byte[] in, int off, int len) {
    Blake2sDigest d = new Blake2sDigest(key, Protocol.MAC_LENGTH, null, null);
    d.update(in, off, len);
    byte[] out = new byte[Protocol.MAC_LENGTH];
    d.doFinal(out, 0);
    return out;
  }

  @Test
  void everyKeyLengthAndMessageLengthAroundTheBlockBoundariesMatchesTheModel() {
    Random r = new Random(7);
    Blake2sMac.Scratch s = new Blake2sMac.Scratch();
    for (int keyLen = 1; keyLen <= 32; keyLen++) {
      for (int len = 1; len <= 3 * Blake2sMac.BLOCK + 1; len++) {
        byte[] key = new byte[keyLen];
        r.nextBytes(key);
        int off = r.nextInt(5);
        byte[] in = new byte[off + len + r.nextInt(5)];
        r.nextBytes(in);
        byte[] expected = model(key, in, off, len);

        byte[] viaState = new byte[Protocol.MAC_LENGTH + 3];
        Blake2sMac.mac(Blake2sMac.keyed(key, s), in, off, len, viaState, 3, s);
        assertThat(Arrays.copyOfRange(viaState, 3, 3 + Protocol.MAC_LENGTH))
            .as("keyed state, key %d bytes, message %d", keyLen, len)
            .isEqualTo(expected);

        byte[] keyAt = new byte[keyLen + 2];
        System.arraycopy(key, 0, keyAt, 2, keyLen);
        byte[] oneShot = new byte[Protocol.MAC_LENGTH];
        Blake2sMac.mac(keyAt, 2, keyLen, in, off, len, oneShot, 0, s);
        assertThat(oneShot).as("one-shot, key %d, message %d", keyLen, len).isEqualTo(expected);
      }
    }
  }

  @Test
  void oneKeyedStateServesManyMessagesAndTheScratchIsWipedAfterEach() {
    Random r = new Random(11);
    Blake2sMac.Scratch s = new Blake2sMac.Scratch();
    byte[] key = new byte[32];
    r.nextBytes(key);
    int[] state = Blake2sMac.keyed(key, s);
    int[] copy = state.clone();
    for (int i = 0; i < 200; i++) {
      byte[] in = new byte[1 + r.nextInt(300)];
      r.nextBytes(in);
      byte[] out = new byte[Protocol.MAC_LENGTH];
      Blake2sMac.mac(state, in, 0, in.length, out, 0, s);
      assertThat(out).isEqualTo(model(key, in, 0, in.length));
      assertThat(s.h).containsOnly(0);
      assertThat(s.m).containsOnly(0);
    }
    assertThat(state).isEqualTo(copy);
  }

  @Test
  void rfc7693KeyedBlake2sOfTheWireGuardMacLengthMatchesTheModelForTheMac1OfAnInitiation() {
    Pair p = new Pair(3, null);
    byte[] init = p.initiation();
    // MAC1 of a real initiation, keyed with the responder's MAC1 key
    byte[] out = new byte[Protocol.MAC_LENGTH];
    Blake2sMac.Scratch s = new Blake2sMac.Scratch();
    Blake2sMac.mac(Blake2sMac.keyed(p.b.mac1Key, s), init, 0, 116, out, 0, s);
    assertThat(out).isEqualTo(Arrays.copyOfRange(init, 116, 132));
  }

  @Test
  void keysOutsideOneTo32BytesAndEmptyMessagesAreRefused() {
    Blake2sMac.Scratch s = new Blake2sMac.Scratch();
    assertThatThrownBy(() -> Blake2sMac.keyed(new byte[0], s))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Blake2sMac.keyed(new byte[33], s))
        .isInstanceOf(IllegalArgumentException.class);
    int[] state = Blake2sMac.keyed(new byte[32], s);
    assertThatThrownBy(() -> Blake2sMac.mac(state, new byte[4], 0, 0, new byte[16], 0, s))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
