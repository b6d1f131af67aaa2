package io.wireguardjava;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.Arrays;
import javax.crypto.KeyAgreement;

/**
 * The X25519 function of RFC 7748, computed by the JDK's {@code XDH} provider (JDK 11+), so that
 * the API module needs no crypto library. Only used to derive public keys here; the protocol's hot
 * path lives in wireguard-crypto.
 */
final class X25519 {
  /** The u-coordinate of the Curve25519 base point. */
  static final byte[] BASE_POINT = basePoint();

  private X25519() {}

  private static byte[] basePoint() {
    byte[] u = new byte[32];
    u[0] = 9;
    return u;
  }

  /**
   * X25519(k, u): the scalar {@code k} (32 bytes, little-endian, clamped here as RFC 7748 requires)
   * times the point with u-coordinate {@code u} (32 bytes, little-endian; the top bit is ignored,
   * as RFC 7748 section 5 requires).
   *
   * @throws IllegalStateException if the result is all zeros (u is a point of small order) or the
   *     JDK lacks X25519
   */
  static byte[] scalarMult(byte[] k, byte[] u) {
    byte[] uBigEndian = new byte[32];
    for (int i = 0; i < 32; i++) {
      uBigEndian[i] = u[31 - i];
    }
    uBigEndian[0] &= 0x7f;
    byte[] scalar = k.clone();
    try {
      KeyFactory factory = KeyFactory.getInstance("XDH");
      java.security.PrivateKey priv =
          factory.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, scalar));
      java.security.PublicKey pub =
          factory.generatePublic(
              new XECPublicKeySpec(NamedParameterSpec.X25519, new BigInteger(1, uBigEndian)));
      KeyAgreement agreement = KeyAgreement.getInstance("X25519");
      agreement.init(priv);
      agreement.doPhase(pub, true);
      return agreement.generateSecret();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("X25519 failed: " + e.getMessage(), e);
    } finally {
      Arrays.fill(scalar, (byte) 0);
    }
  }

  /** The public key of a private key: X25519(k, 9). */
  static byte[] publicKey(byte[] privateKey) {
    return scalarMult(privateKey, BASE_POINT);
  }

  /** Clamps a Curve25519 private scalar in place, as {@code wg genkey} does. */
  static void clamp(byte[] k) {
    k[0] &= (byte) 248;
    k[31] &= 127;
    k[31] |= 64;
  }
}
