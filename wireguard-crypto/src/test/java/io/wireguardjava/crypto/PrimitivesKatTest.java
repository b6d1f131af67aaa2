package io.wireguardjava.crypto;

import static io.wireguardjava.crypto.Hex.b;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.bouncycastle.crypto.digests.Blake2sDigest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Known-answer tests from the RFCs and drafts, for every primitive and cipher backend. */
class PrimitivesKatTest {

  // ---- RFC 7748 ------------------------------------------------------------------------------

  @Test
  void x25519Rfc7748Section52() {
    assertThat(
            Hex.s(
                X25519.scalarMult(
                    b("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4"),
                    b("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c"))))
        .isEqualTo("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552");
    assertThat(
            Hex.s(
                X25519.scalarMult(
                    b("4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d"),
                    b("e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493"))))
        .isEqualTo("95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957");
  }

  @Test
  void x25519Rfc7748IteratedOnce() {
    byte[] k = b("0900000000000000000000000000000000000000000000000000000000000000");
    byte[] u = k.clone();
    byte[] r = X25519.scalarMult(k, u);
    assertThat(Hex.s(r))
        .isEqualTo("422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079");
  }

  @Test
  void x25519Rfc7748Section61DiffieHellman() {
    byte[] a = b("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
    byte[] bb = b("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
    assertThat(Hex.s(X25519.publicKey(a)))
        .isEqualTo("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
    assertThat(Hex.s(X25519.publicKey(bb)))
        .isEqualTo("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
    byte[] s1 = new byte[32];
    byte[] s2 = new byte[32];
    assertThat(X25519.sharedSecret(a, X25519.publicKey(bb), 0, s1, 0)).isTrue();
    assertThat(X25519.sharedSecret(bb, X25519.publicKey(a), 0, s2, 0)).isTrue();
    assertThat(Hex.s(s1))
        .isEqualTo("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742")
        .isEqualTo(Hex.s(s2));
  }

  @Test
  void x25519RejectsLowOrderPoint() {
    byte[] out = new byte[32];
    byte[] zeroPoint = new byte[32];
    assertThat(
            X25519.sharedSecret(
                X25519.generatePrivateKey(new SeededRandom(1)), zeroPoint, 0, out, 0))
        .isFalse();
    byte[] one = new byte[32];
    one[0] = 1;
    assertThat(X25519.sharedSecret(X25519.generatePrivateKey(new SeededRandom(1)), one, 0, out, 0))
        .isFalse();
  }

  // ---- RFC 7693 BLAKE2s ----------------------------------------------------------------------

  @Test
  void blake2sRfc7693AppendixB() {
    assertThat(Hex.s(Blake2s.hash("abc".getBytes(StandardCharsets.US_ASCII))))
        .isEqualTo("508c5e8c327c14e2e1a72ba34eeb452f37458b209ed63a294d999b4c86675982");
  }

  /** RFC 7693 Appendix E: the self-test's grand hash over keyed and unkeyed hashes. */
  @Test
  void blake2sRfc7693AppendixESelfTest() {
    int[] mdLen = {16, 20, 28, 32};
    int[] inLen = {0, 3, 64, 65, 255, 1024};
    Blake2sDigest grand = new Blake2sDigest(256);
    for (int outlen : mdLen) {
      for (int inlen : inLen) {
        byte[] in = selftestSeq(inlen, inlen);
        byte[] md = Blake2s.digest(null, outlen, in, 0, inlen);
        grand.update(md, 0, outlen);
        byte[] key = selftestSeq(outlen, outlen);
        md = Blake2s.digest(key, outlen, in, 0, inlen);
        grand.update(md, 0, outlen);
      }
    }
    byte[] result = new byte[32];
    grand.doFinal(result, 0);
    assertThat(Hex.s(result))
        .isEqualTo("6a411f08ce25adcdfb02aba641451cec53c598b24f4fc787fbdc88797f4c1dfe");
  }

  private static byte[] selftestSeq(int len, int seed) {
    byte[] out = new byte[len];
    int a = 0xDEAD4BAD * seed;
    int b = 1;
    for (int i = 0; i < len; i++) {
      int t = a + b;
      a = b;
      b = t;
      out[i] = (byte) (t >>> 24);
    }
    return out;
  }

  @Test
  void hmacBlake2sMatchesBouncyCastleHmac() {
    byte[] key = b("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    byte[] data = "WireGuard".getBytes(StandardCharsets.US_ASCII);
    org.bouncycastle.crypto.macs.HMac ref =
        new org.bouncycastle.crypto.macs.HMac(new Blake2sDigest(256));
    ref.init(new org.bouncycastle.crypto.params.KeyParameter(key));
    ref.update(data, 0, data.length);
    byte[] expected = new byte[32];
    ref.doFinal(expected, 0);
    assertThat(Blake2s.hmac(key, data, 0, data.length)).isEqualTo(expected);
  }

  // ---- RFC 8439 ------------------------------------------------------------------------------

  static final byte[] SUNSCREEN =
      ("Ladies and Gentlemen of the class of '99: If I could offer "
              + "you only one tip for the future, sunscreen would be it.")
          .getBytes(StandardCharsets.US_ASCII);
  static final byte[] KEY_80 =
      b("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
  static final byte[] AAD = b("50515253c0c1c2c3c4c5c6c7");

  @ParameterizedTest
  @EnumSource(ChaCha20Poly1305.Backend.class)
  void chacha20Poly1305Rfc8439Section282(ChaCha20Poly1305.Backend backend) {
    org.junit.jupiter.api.Assumptions.assumeTrue(ChaCha20Poly1305.isAvailable(backend));
    ChaCha20Poly1305 c = ChaCha20Poly1305.of(backend);
    ChaCha20Poly1305.Key key = c.key(KEY_80);
    // nonce = 07000000 || 4041424344454647
    long counter = LittleEndian.le64(b("4041424344454647"), 0);
    byte[] out = new byte[SUNSCREEN.length + 16];
    assertThat(c.seal(key, 7, counter, AAD, SUNSCREEN, 0, SUNSCREEN.length, 0, out, 0))
        .isEqualTo(out.length);
    assertThat(Hex.s(out))
        .isEqualTo(
            "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
                + "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"
                + "92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
                + "3ff4def08e4b7a9de576d26586cec64b6116"
                + "1ae10b594f09e26a7e902ecbd0600691");
    byte[] back = new byte[SUNSCREEN.length];
    assertThat(c.open(key, 7, counter, AAD, out, 0, out.length, back, 0))
        .isEqualTo(SUNSCREEN.length);
    assertThat(back).isEqualTo(SUNSCREEN);
    for (int bit = 0; bit < out.length * 8; bit += 7) {
      byte[] bad = out.clone();
      bad[bit / 8] ^= (byte) (1 << (bit % 8));
      assertThat(c.open(key, 7, counter, AAD, bad, 0, bad.length, back, 0)).isEqualTo(-1);
    }
  }

  @ParameterizedTest
  @EnumSource(ChaCha20Poly1305.Backend.class)
  void backendsAgreeWithPaddingAndInPlace(ChaCha20Poly1305.Backend backend) {
    org.junit.jupiter.api.Assumptions.assumeTrue(ChaCha20Poly1305.isAvailable(backend));
    ChaCha20Poly1305 c = ChaCha20Poly1305.of(backend);
    long counter = 42;
    for (int len : new int[] {0, 1, 15, 16, 17, 63, 64, 65, 1420}) {
      counter++;
      byte[] plain = new byte[len];
      new SeededRandom(len).nextBytes(plain);
      int pad = Protocol.paddedLength(len) - len;
      byte[] expected = new byte[len + pad + 16];
      bcReferenceSeal(counter, plain, pad, expected);
      // in place: plaintext already at the output offset
      byte[] buf = new byte[len + pad + 16 + 8];
      System.arraycopy(plain, 0, buf, 8, len);
      ChaCha20Poly1305.Key k = c.key(KEY_80);
      assertThat(c.seal(k, 0, counter, null, buf, 8, len, pad, buf, 8)).isEqualTo(expected.length);
      assertThat(Arrays.copyOfRange(buf, 8, buf.length)).isEqualTo(expected);
      assertThat(c.open(k, 0, counter, null, buf, 8, expected.length, buf, 8)).isEqualTo(len + pad);
      assertThat(Arrays.copyOfRange(buf, 8, 8 + len)).isEqualTo(plain);
    }
  }

  @Test
  void defaultBackendPerRuntime() {
    assertThat(ChaCha20Poly1305.defaultBackend(25, false)).isEqualTo(ChaCha20Poly1305.Backend.JDK);
    assertThat(ChaCha20Poly1305.defaultBackend(25, true)).isEqualTo(ChaCha20Poly1305.Backend.JDK);
    assertThat(ChaCha20Poly1305.defaultBackend(17, true))
        .isEqualTo(ChaCha20Poly1305.Backend.CONSCRYPT);
    assertThat(ChaCha20Poly1305.defaultBackend(17, false)).isEqualTo(ChaCha20Poly1305.Backend.JDK);
    assertThat(ChaCha20Poly1305.get().backend())
        .isEqualTo(
            ChaCha20Poly1305.defaultBackend(
                Runtime.version().feature(),
                ChaCha20Poly1305.isAvailable(ChaCha20Poly1305.Backend.CONSCRYPT)));
  }

  /** BouncyCastle's engine used directly (a fresh one), as the reference. */
  private static void bcReferenceSeal(long counter, byte[] plain, int pad, byte[] out) {
    org.bouncycastle.crypto.modes.ChaCha20Poly1305 bc =
        new org.bouncycastle.crypto.modes.ChaCha20Poly1305();
    byte[] nonce = new byte[12];
    ChaCha20Poly1305.nonce(nonce, 0, counter);
    bc.init(
        true,
        new org.bouncycastle.crypto.params.ParametersWithIV(
            new org.bouncycastle.crypto.params.KeyParameter(KEY_80), nonce));
    byte[] in = Arrays.copyOf(plain, plain.length + pad);
    int n = bc.processBytes(in, 0, in.length, out, 0);
    try {
      bc.doFinal(out, n);
    } catch (org.bouncycastle.crypto.InvalidCipherTextException e) {
      throw new AssertionError(e);
    }
  }

  @ParameterizedTest
  @EnumSource(ChaCha20Poly1305.Backend.class)
  void sealingTwiceWithOneNonceIsRefusedOpeningTwiceIsNot(ChaCha20Poly1305.Backend backend) {
    org.junit.jupiter.api.Assumptions.assumeTrue(ChaCha20Poly1305.isAvailable(backend));
    ChaCha20Poly1305 c = ChaCha20Poly1305.of(backend);
    ChaCha20Poly1305.Key k = c.key(KEY_80);
    byte[] out = new byte[32];
    c.seal(k, 0, 9, null, SUNSCREEN, 0, 16, 0, out, 0);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> c.seal(k, 0, 9, null, SUNSCREEN, 0, 16, 0, new byte[32], 0))
        .isInstanceOf(IllegalStateException.class);
    // The thread's cipher still works afterwards.
    assertThat(c.seal(k, 0, 10, null, SUNSCREEN, 0, 16, 0, new byte[32], 0)).isEqualTo(32);
    byte[] plain = new byte[16];
    assertThat(c.open(k, 0, 9, null, out, 0, 32, plain, 0)).isEqualTo(16);
    assertThat(c.open(k, 0, 9, null, out, 0, 32, plain, 0)).isEqualTo(16);
  }

  // ---- draft-irtf-cfrg-xchacha-03 ------------------------------------------------------------

  @Test
  void hChaCha20Section221() {
    byte[] key = b("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    byte[] nonce = b("000000090000004a0000000031415927");
    assertThat(Hex.s(XChaCha20Poly1305.hChaCha20(key, nonce, 0)))
        .isEqualTo("82413b4227b27bfed30e42508a877d73a0f9e4d58a74a853c12ec41326d3ecdc");
  }

  @Test
  void xChaCha20Poly1305AppendixA31() {
    byte[] nonce = b("404142434445464748494a4b4c4d4e4f5051525354555657");
    byte[] out = new byte[SUNSCREEN.length + 16];
    XChaCha20Poly1305.seal(KEY_80, nonce, 0, AAD, SUNSCREEN, 0, SUNSCREEN.length, out, 0);
    assertThat(Hex.s(out))
        .isEqualTo(
            "bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb"
                + "731c7f1b0b4aa6440bf3a82f4eda7e39ae64c6708c54c216cb96b72e1213b452"
                + "2f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff9"
                + "21f9664c97637da9768812f615c68b13b52e"
                + "c0875924c1c7987947deafd8780acf49");
    byte[] back = new byte[SUNSCREEN.length];
    assertThat(XChaCha20Poly1305.open(KEY_80, nonce, 0, AAD, out, 0, out.length, back, 0))
        .isEqualTo(SUNSCREEN.length);
    assertThat(back).isEqualTo(SUNSCREEN);
    out[3] ^= 1;
    assertThat(XChaCha20Poly1305.open(KEY_80, nonce, 0, AAD, out, 0, out.length, back, 0))
        .isEqualTo(-1);
  }

  // ---- TAI64N --------------------------------------------------------------------------------

  @Test
  void tai64nEncodesLikeWireGuardGo() {
    // 2020-01-01T00:00:00.123456789Z: seconds 1577836800, nanos whitened to a multiple of 2^24.
    long t = 1_577_836_800_123_456_789L;
    byte[] ts = Tai64n.of(t);
    assertThat(Hex.s(ts)).isEqualTo("400000005e0be10a" + "07000000");
    assertThat(Tai64n.toEpochNanos(ts, 0)).isEqualTo(1_577_836_800_117_440_512L);
    assertThat(Tai64n.compare(Tai64n.of(t + 20_000_000L), 0, ts, 0)).isPositive();
    assertThat(Tai64n.compare(Tai64n.of(t + 1_000_000L), 0, ts, 0)).isZero();
  }
}
