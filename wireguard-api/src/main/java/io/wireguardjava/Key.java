package io.wireguardjava;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A WireGuard public key: 32 bytes, the X25519 public key of a peer or of this interface.
 *
 * <p>Written as 44 characters of base64 in configuration files and by {@code wg}, and as 64
 * lowercase hex digits on the UAPI. Immutable; {@link #getBytes()} returns a copy. Equality
 * compares the bytes in constant time.
 */
public final class Key {
  /** The length of a key in bytes. */
  public static final int LENGTH = KeyCodec.KEY_LENGTH;

  private final byte[] bytes;

  /** {@link #hashCode()}, computed once: a public key is hashed in every map of peers. */
  private final int hash;

  private Key(byte[] bytes) {
    this.bytes = bytes;
    this.hash = Arrays.hashCode(bytes);
  }

  /**
   * A key from its 32 bytes (copied).
   *
   * @param bytes the key's 32 bytes
   * @return a key from its 32 bytes (copied)
   * @throws IllegalArgumentException if {@code bytes} is not 32 bytes long
   */
  public static Key fromBytes(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException("a key has 32 bytes, not " + bytes.length);
    }
    return new Key(bytes.clone());
  }

  /**
   * A key from its base64 form, as {@code wg pubkey} prints it.
   *
   * @param base64 the key in base64 (44 characters)
   * @return a key from its base64 form, as {@code wg pubkey} prints it
   * @throws IllegalArgumentException unless {@code base64} is 44 characters of canonical base64
   *     encoding 32 bytes
   */
  public static Key fromBase64(String base64) {
    return new Key(KeyCodec.fromBase64(Objects.requireNonNull(base64, "base64")));
  }

  /**
   * A key from 64 lowercase hex digits, the UAPI's form.
   *
   * @param hex the key in hex (64 digits)
   * @return a key from 64 lowercase hex digits, the UAPI's form
   * @throws IllegalArgumentException unless {@code hex} is 64 characters of {@code [0-9a-f]}
   */
  public static Key fromHex(String hex) {
    return new Key(KeyCodec.fromHex(Objects.requireNonNull(hex, "hex")));
  }

  /**
   * A copy of the 32 bytes.
   *
   * @return a copy of the 32 bytes
   */
  public byte[] getBytes() {
    return bytes.clone();
  }

  /**
   * The 44-character base64 form, as {@code wg} prints it.
   *
   * @return the 44-character base64 form, as {@code wg} prints it
   */
  public String toBase64() {
    return KeyCodec.toBase64(bytes);
  }

  /**
   * The 64-character lowercase hex form used on the UAPI.
   *
   * @return the 64-character lowercase hex form used on the UAPI
   */
  public String toHex() {
    return KeyCodec.toHex(bytes);
  }

  /** Constant-time comparison of the bytes. */
  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Key && MessageDigest.isEqual(bytes, ((Key) o).bytes);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  /** The base64 form (a public key is not secret). */
  @Override
  public String toString() {
    return toBase64();
  }
}
