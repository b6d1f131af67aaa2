package io.wireguardjava;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** RFC 7748 test vectors for the JDK-backed X25519 and public key derivation. */
class X25519Test {
  private static final HexFormat HEX = HexFormat.of();

  private static byte[] hex(String s) {
    return HEX.parseHex(s);
  }

  @Test
  void rfc7748Section52Vector1() {
    byte[] out =
        X25519.scalarMult(
            hex("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4"),
            hex("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c"));
    assertThat(HEX.formatHex(out))
        .isEqualTo("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552");
  }

  @Test
  void rfc7748Section52Vector2MasksTheTopBitOfU() {
    byte[] out =
        X25519.scalarMult(
            hex("4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d"),
            hex("e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493"));
    assertThat(HEX.formatHex(out))
        .isEqualTo("95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957");
  }

  @Test
  void rfc7748Section52IteratedOnceAndThousandTimes() {
    byte[] k = X25519.BASE_POINT.clone();
    byte[] u = X25519.BASE_POINT.clone();
    for (int i = 1; i <= 1000; i++) {
      byte[] next = X25519.scalarMult(k, u);
      u = k;
      k = next;
      if (i == 1) {
        assertThat(HEX.formatHex(k))
            .isEqualTo("422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079");
      }
    }
    assertThat(HEX.formatHex(k))
        .isEqualTo("684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51");
  }

  @Test
  void rfc7748Section61DiffieHellman() {
    PrivateKey alice =
        PrivateKey.fromHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
    PrivateKey bob =
        PrivateKey.fromHex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
    assertThat(alice.publicKey().toHex())
        .isEqualTo("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
    assertThat(bob.publicKey().toHex())
        .isEqualTo("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
    String shared = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";
    assertThat(HEX.formatHex(X25519.scalarMult(alice.getBytes(), bob.publicKey().getBytes())))
        .isEqualTo(shared);
    assertThat(HEX.formatHex(X25519.scalarMult(bob.getBytes(), alice.publicKey().getBytes())))
        .isEqualTo(shared);
  }
}
