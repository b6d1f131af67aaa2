package io.wireguardjava;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A WireGuard preshared key: 32 secret random bytes mixed into the handshake of one peer, for
 * post-quantum resistance.
 *
 * <p>Security guarantees: {@link #toString()} never shows the key; {@link #equals} compares in
 * constant time; {@link #hashCode()} is a constant, so the secret is never hashed; decoding
 * takes time independent of the key's value. The bytes are read only through
 * {@link #getBytes()}, {@link #toBase64()} and {@link #toHex()}, each a fresh copy.
 */
public final class PresharedKey {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] bytes;

  private PresharedKey(byte[] bytes) {
    this.bytes = bytes;
  }

  /**
   * A new random preshared key, like {@code wg genpsk}.
   *
   * @return a new random preshared key, like {@code wg genpsk}
   */
  public static PresharedKey generate() {
    byte[] k = new byte[KeyCodec.KEY_LENGTH];
    RANDOM.nextBytes(k);
    return new PresharedKey(k);
  }

  /**
   * A preshared key from its 32 bytes (copied).
   *
   * @param bytes the key's 32 bytes
   * @return a preshared key from its 32 bytes (copied)
   * @throws IllegalArgumentException if {@code bytes} is not 32 bytes long
   */
  public static PresharedKey fromBytes(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length != KeyCodec.KEY_LENGTH) {
      throw new IllegalArgumentException("a preshared key has 32 bytes, not " + bytes.length);
    }
    return new PresharedKey(bytes.clone());
  }

  /**
   * A preshared key from its base64 form.
   *
   * @param base64 the key in base64 (44 characters)
   * @return a preshared key from its base64 form
   * @throws IllegalArgumentException unless {@code base64} is 44 characters of canonical base64
   *     encoding 32 bytes (the message never contains the text)
   */
  public static PresharedKey fromBase64(String base64) {
    return new PresharedKey(KeyCodec.fromBase64(Objects.requireNonNull(base64, "base64")));
  }

  /**
   * A preshared key from 64 lowercase hex digits, the UAPI's form.
   *
   * @param hex the key in hex (64 digits)
   * @return a preshared key from 64 lowercase hex digits, the UAPI's form
   * @throws IllegalArgumentException unless {@code hex} is 64 characters of {@code [0-9a-f]}
   */
  public static PresharedKey fromHex(String hex) {
    return new PresharedKey(KeyCodec.fromHex(Objects.requireNonNull(hex, "hex")));
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
   * The secret in base64.
   *
   * @return the secret in base64
   */
  public String toBase64() {
    return KeyCodec.toBase64(bytes);
  }

  /**
   * The secret in lowercase hex.
   *
   * @return the secret in lowercase hex
   */
  public String toHex() {
    return KeyCodec.toHex(bytes);
  }

  /** Constant-time comparison of the secret bytes. */
  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof PresharedKey && MessageDigest.isEqual(bytes, ((PresharedKey) o).bytes);
  }

  /** A constant: consistent with {@link #equals} without hashing the secret. */
  @Override
  public int hashCode() {
    return 0x5053_4b00;
  }

  /** Always {@code PresharedKey[redacted]}. */
  @Override
  public String toString() {
    return "PresharedKey[redacted]";
  }
}
