package io.wireguardjava;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyTest {
  private static final String ALICE_PRIVATE = "dwdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LCo=";
  private static final String ALICE_PUBLIC = "hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmo=";

  @Test
  void base64AndHexRoundTripAgainstTheJdkCodecs() {
    Random random = new Random(42);
    for (int i = 0; i < 1000; i++) {
      byte[] bytes = new byte[32];
      random.nextBytes(bytes);
      Key key = Key.fromBytes(bytes);
      String base64 = Base64.getEncoder().encodeToString(bytes);
      assertThat(key.toBase64()).isEqualTo(base64);
      assertThat(Key.fromBase64(base64)).isEqualTo(key);
      String hex = java.util.HexFormat.of().formatHex(bytes);
      assertThat(key.toHex()).isEqualTo(hex);
      assertThat(Key.fromHex(hex)).isEqualTo(key);
      assertThat(PrivateKey.fromBase64(base64).getBytes()).isEqualTo(bytes);
      assertThat(PresharedKey.fromHex(hex).toBase64()).isEqualTo(base64);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmo", // 43 characters, no padding
        "hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmo==", // 45
        "hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmp=", // non-canonical: spare bits set
        "hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTm==", // padding in the key
        "hSDwCYkwp1R0i33ctD73Wg2_Og0mOBr066SpjqqbTmo=", // URL-safe alphabet
        "hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmoA", // no '='
        " SDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmo=", // space
        "hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmé=", // non-ASCII
        "hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbT\u0100o=", // wide char aliasing 'A'+256
      })
  void base64DecodingIsStrict(String text) {
    assertThatThrownBy(() -> Key.fromBase64(text)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PrivateKey.fromBase64(text))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PresharedKey.fromBase64(text))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6", // 63
        "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a0", // 65
        "8520F0098930A754748B7DDCB43EF75A0DBF3A0D26381AF4EBA4A98EAA9B4E6A", // uppercase
        "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6g",
        "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6 ",
        "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e\u0130",
      })
  void hexDecodingIsStrictAndLowercase(String text) {
    assertThatThrownBy(() -> Key.fromHex(text)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PrivateKey.fromHex(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void errorMessagesNeverContainTheSecret() {
    String bad = ALICE_PRIVATE.substring(0, 43) + "A";
    assertThatThrownBy(() -> PrivateKey.fromBase64(bad))
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(bad.substring(0, 10)));
  }

  @Test
  void fromBytesChecksLengthAndCopies() {
    assertThatThrownBy(() -> Key.fromBytes(new byte[31]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PrivateKey.fromBytes(new byte[33]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PresharedKey.fromBytes(new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
    byte[] bytes = new byte[32];
    Key key = Key.fromBytes(bytes);
    bytes[0] = 1;
    assertThat(key.getBytes()[0]).isZero();
    key.getBytes()[1] = 1;
    assertThat(key.getBytes()[1]).isZero();
  }

  @Test
  void publicKeyOfTheRfcVector() {
    PrivateKey alice = PrivateKey.fromBase64(ALICE_PRIVATE);
    assertThat(alice.publicKey()).isEqualTo(Key.fromBase64(ALICE_PUBLIC));
    assertThat(KeyPair.of(alice).publicKey().toBase64()).isEqualTo(ALICE_PUBLIC);
    assertThat(alice.toBase64()).isEqualTo(ALICE_PRIVATE);
  }

  @Test
  void generatedPrivateKeysAreClampedAndDistinct() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      byte[] k = PrivateKey.generate().getBytes();
      assertThat(k[0] & 7).isZero();
      assertThat(k[31] & 0x80).isZero();
      assertThat(k[31] & 0x40).isEqualTo(0x40);
      assertThat(seen.add(java.util.HexFormat.of().formatHex(k))).isTrue();
      assertThat(seen.add(PresharedKey.generate().toHex())).isTrue();
    }
  }

  @Test
  void unclampedKeysKeepTheirBytesAndShareTheClampedPublicKey() {
    byte[] raw = PrivateKey.fromBase64(ALICE_PRIVATE).getBytes();
    byte[] unclamped = raw.clone();
    unclamped[0] |= 7;
    unclamped[31] |= (byte) 0x80;
    PrivateKey k = PrivateKey.fromBytes(unclamped);
    assertThat(k.getBytes()).isEqualTo(unclamped);
    assertThat(k.publicKey().toBase64()).isEqualTo(ALICE_PUBLIC);
  }

  @Test
  void secretsAreRedactedAndCompareByValue() {
    PrivateKey a = PrivateKey.fromBase64(ALICE_PRIVATE);
    PrivateKey b = PrivateKey.fromBase64(ALICE_PRIVATE);
    assertThat(a.toString()).isEqualTo("PrivateKey[redacted]");
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(PrivateKey.generate());
    assertThat(a).isNotEqualTo(Key.fromBase64(ALICE_PRIVATE));
    PresharedKey psk = PresharedKey.fromBase64(ALICE_PRIVATE);
    assertThat(psk.toString()).isEqualTo("PresharedKey[redacted]");
    assertThat(psk)
        .isEqualTo(PresharedKey.fromBase64(ALICE_PRIVATE))
        .isNotEqualTo(PresharedKey.generate());
    KeyPair pair = KeyPair.of(a);
    assertThat(pair.toString()).doesNotContain(ALICE_PRIVATE).contains(ALICE_PUBLIC);
    assertThat(pair).isEqualTo(KeyPair.of(b));
    KeyPair generated = KeyPair.generate();
    assertThat(generated.publicKey()).isEqualTo(generated.privateKey().publicKey());
    assertThat(Key.fromBase64(ALICE_PUBLIC).toString()).isEqualTo(ALICE_PUBLIC);
  }
}
