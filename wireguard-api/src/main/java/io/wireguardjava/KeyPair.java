package io.wireguardjava;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** A private key with its public key. Immutable; {@link #toString()} hides the private key. */
public final class KeyPair {
  private final PrivateKey privateKey;
  private final Key publicKey;

  private KeyPair(PrivateKey privateKey) {
    this.privateKey = privateKey;
    this.publicKey = privateKey.publicKey();
  }

  /**
   * A new random key pair, like {@code wg genkey | tee priv | wg pubkey}.
   *
   * @return a new random key pair, like {@code wg genkey | tee priv | wg pubkey}
   */
  public static KeyPair generate() {
    return new KeyPair(PrivateKey.generate());
  }

  /**
   * The pair of {@code privateKey} and its derived public key.
   *
   * @param privateKey the private key
   * @return the pair of {@code privateKey} and its derived public key
   */
  public static KeyPair of(PrivateKey privateKey) {
    return new KeyPair(Objects.requireNonNull(privateKey, "privateKey"));
  }

  /**
   * The private key.
   *
   * @return the private key
   */
  public PrivateKey privateKey() {
    return privateKey;
  }

  /**
   * The public key derived from {@link #privateKey()}.
   *
   * @return the public key derived from {@link #privateKey()}
   */
  public Key publicKey() {
    return publicKey;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof KeyPair && privateKey.equals(((KeyPair) o).privateKey);
  }

  @Override
  public int hashCode() {
    return publicKey.hashCode();
  }

  @Override
  public String toString() {
    return "KeyPair[publicKey=" + publicKey.toBase64() + ", privateKey=redacted]";
  }
}
