package io.wireguardjava.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * The device's static X25519 key pair, with the values derived from it once: the key of the MAC1
 * that peers put on messages to us, the key that encrypts our cookie replies, and the initial
 * handshake hash of initiations addressed to us. Immutable until {@link #destroy()}.
 */
public final class StaticIdentity {

  final byte[] privateKey;
  final byte[] publicKey;

  /** {@code HASH(LABEL_MAC1 || our public key)}: verifies MAC1 of messages sent to us. */
  final byte[] mac1Key;

  /** {@code HASH(LABEL_COOKIE || our public key)}: encrypts the cookie replies we send. */
  final byte[] cookieKey;

  /** {@code HASH(HASH(HASH(CONSTRUCTION) || IDENTIFIER) || our public key)}. */
  final byte[] responderHash;

  private StaticIdentity(byte[] privateKey) {
    this.privateKey = privateKey;
    this.publicKey = X25519.publicKey(privateKey);
    this.mac1Key = Blake2s.hash(Protocol.LABEL_MAC1.getBytes(StandardCharsets.US_ASCII), publicKey);
    this.cookieKey =
        Blake2s.hash(Protocol.LABEL_COOKIE.getBytes(StandardCharsets.US_ASCII), publicKey);
    this.responderHash = Blake2s.hash(Noise.INITIAL_HASH, publicKey);
  }

  /**
   * An identity from a 32-byte private key (copied, then clamped as WireGuard does).
   *
   * @param privateKey the 32-byte private key
   * @return an identity from a 32-byte private key (copied, then clamped as WireGuard does)
   */
  public static StaticIdentity of(byte[] privateKey) {
    if (privateKey.length != Protocol.KEY_LENGTH) {
      throw new IllegalArgumentException("private key must be 32 bytes");
    }
    byte[] k = privateKey.clone();
    X25519.clamp(k);
    return new StaticIdentity(k);
  }

  /**
   * An identity from the API's private key value.
   *
   * @param privateKey the private key
   * @return an identity from the API's private key value
   */
  public static StaticIdentity of(io.wireguardjava.PrivateKey privateKey) {
    byte[] k = privateKey.getBytes();
    try {
      return of(k);
    } finally {
      Arrays.fill(k, (byte) 0);
    }
  }

  /**
   * A new random identity.
   *
   * @param random the source of the private key
   * @return a new random identity
   */
  public static StaticIdentity generate(RandomSource random) {
    return new StaticIdentity(X25519.generatePrivateKey(random));
  }

  /**
   * Our static public key (a copy).
   *
   * @return our static public key (a copy)
   */
  public byte[] publicKey() {
    return publicKey.clone();
  }

  /**
   * Our static public key as the API's value type.
   *
   * @return our static public key as the API's value type
   */
  public io.wireguardjava.Key key() {
    return io.wireguardjava.Key.fromBytes(publicKey);
  }

  /** Zeroes the private key and everything derived from it; the identity is then unusable. */
  public void destroy() {
    Arrays.fill(privateKey, (byte) 0);
    Arrays.fill(mac1Key, (byte) 0);
    Arrays.fill(cookieKey, (byte) 0);
  }

  /**
   * Whether {@link #destroy()} has run: the private key bytes are all zero (checked without
   * branching on them).
   *
   * @return true once destroyed
   */
  public boolean isDestroyed() {
    int or = 0;
    for (byte b : privateKey) {
      or |= b;
    }
    return or == 0;
  }

  @Override
  public String toString() {
    return "StaticIdentity[public=" + Base64.getEncoder().encodeToString(publicKey) + "]";
  }
}
