package io.wireguardjava;

import java.security.MessageDigest;
import java.security.SecureRandom;
import org.jspecify.annotations.Nullable;
import java.util.Objects;

/**
 * A WireGuard (X25519) private key: 32 secret bytes.
 *
 * <p>Security guarantees: {@link #toString()} never shows the key; {@link #equals} compares in
 * constant time and {@link #hashCode()} is a constant, so the secret is never hashed; decoding
 * from base64 or hex takes time independent of the key's value. The bytes are read only through
 * {@link #getBytes()}, {@link #toBase64()} and {@link #toHex()}, each returning a fresh copy the
 * caller should wipe when done.
 *
 * <p>A {@code PrivateKey} is an immutable value and cannot be wiped: it is the application's to
 * drop. A {@link Tunnel} copies the bytes it needs and wipes that copy when it closes, and lets go
 * of the {@code PrivateKey} it was given.
 *
 * <p>Keys decoded from text are kept exactly as given; {@link #generate()} clamps its keys as
 * Curve25519 requires (as {@code wg genkey} does), and X25519 clamps any key when it is used, so
 * an unclamped key has the same public key as its clamped form.
 */
public final class PrivateKey {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] bytes;
  private volatile @Nullable Key publicKey; // derived lazily

  private PrivateKey(byte[] bytes) {
    this.bytes = bytes;
  }

  /**
   * A new random private key, clamped, like {@code wg genkey}.
   *
   * @return a new random private key, clamped, like {@code wg genkey}
   */
  public static PrivateKey generate() {
    byte[] k = new byte[KeyCodec.KEY_LENGTH];
    RANDOM.nextBytes(k);
    X25519.clamp(k);
    return new PrivateKey(k);
  }

  /**
   * A private key from its 32 bytes (copied; the caller may wipe its array afterwards).
   *
   * @param bytes the key's 32 bytes
   * @return a private key from its 32 bytes (copied; the caller may wipe its array afterwards)
   * @throws IllegalArgumentException if {@code bytes} is not 32 bytes long
   */
  public static PrivateKey fromBytes(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length != KeyCodec.KEY_LENGTH) {
      throw new IllegalArgumentException("a private key has 32 bytes, not " + bytes.length);
    }
    return new PrivateKey(bytes.clone());
  }

  /**
   * A private key from its base64 form, as {@code wg genkey} prints it.
   *
   * @param base64 the key in base64 (44 characters)
   * @return a private key from its base64 form, as {@code wg genkey} prints it
   * @throws IllegalArgumentException unless {@code base64} is 44 characters of canonical base64
   *     encoding 32 bytes (the message never contains the text)
   */
  public static PrivateKey fromBase64(String base64) {
    return new PrivateKey(KeyCodec.fromBase64(Objects.requireNonNull(base64, "base64")));
  }

  /**
   * A private key from 64 lowercase hex digits, the UAPI's form.
   *
   * @param hex the key in hex (64 digits)
   * @return a private key from 64 lowercase hex digits, the UAPI's form
   * @throws IllegalArgumentException unless {@code hex} is 64 characters of {@code [0-9a-f]}
   */
  public static PrivateKey fromHex(String hex) {
    return new PrivateKey(KeyCodec.fromHex(Objects.requireNonNull(hex, "hex")));
  }

  /**
   * The public key, X25519(this, 9), as {@code wg pubkey} computes it.
   *
   * @return the public key, X25519(this, 9), as {@code wg pubkey} computes it
   */
  public Key publicKey() {
    Key k = publicKey;
    if (k == null) {
      byte[] pub = X25519.publicKey(bytes);
      k = Key.fromBytes(pub);
      publicKey = k;
    }
    return k;
  }

  /**
   * A copy of the 32 secret bytes; wipe it when done.
   *
   * @return a copy of the 32 secret bytes; wipe it when done
   */
  public byte[] getBytes() {
    return bytes.clone();
  }

  /**
   * The secret in base64, as {@code wg genkey} prints it.
   *
   * @return the secret in base64, as {@code wg genkey} prints it
   */
  public String toBase64() {
    return KeyCodec.toBase64(bytes);
  }

  /**
   * The secret in lowercase hex, as the UAPI carries it.
   *
   * @return the secret in lowercase hex, as the UAPI carries it
   */
  public String toHex() {
    return KeyCodec.toHex(bytes);
  }

  /** Constant-time comparison of the secret bytes. */
  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof PrivateKey && MessageDigest.isEqual(bytes, ((PrivateKey) o).bytes);
  }

  /** A constant: consistent with {@link #equals} without hashing the secret. */
  @Override
  public int hashCode() {
    return 0x5052_4b00;
  }

  /** Always {@code PrivateKey[redacted]}. */
  @Override
  public String toString() {
    return "PrivateKey[redacted]";
  }
}
