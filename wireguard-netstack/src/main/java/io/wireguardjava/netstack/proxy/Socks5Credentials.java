package io.wireguardjava.netstack.proxy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The one username and password a {@link Socks5Server} accepts (RFC 1929). Immutable; the password
 * is never shown by {@link #toString()} and compared in constant time.
 */
public final class Socks5Credentials {
  private final byte[] username;
  private final byte[] password;

  private Socks5Credentials(byte[] username, byte[] password) {
    this.username = username;
    this.password = password;
  }

  /**
   * Credentials from a UTF-8 username and password, each 1 to 255 bytes long (RFC 1929).
   *
   * @param username the username
   * @param password the password; the caller may wipe its array afterwards (it is copied)
   * @return the credentials
   * @throws IllegalArgumentException when either is empty or longer than 255 bytes
   */
  public static Socks5Credentials of(String username, byte[] password) {
    byte[] user = username.getBytes(StandardCharsets.UTF_8);
    check(user.length, "username");
    check(password.length, "password");
    return new Socks5Credentials(user, password.clone());
  }

  private static void check(int length, String what) {
    if (length < 1 || length > 255) {
      throw new IllegalArgumentException(
          "the SOCKS5 " + what + " must be 1 to 255 bytes long (RFC 1929), not " + length);
    }
  }

  /**
   * The username.
   *
   * @return the username as UTF-8 text
   */
  public String username() {
    return new String(username, StandardCharsets.UTF_8);
  }

  /** Whether a client's username and password are these, in constant time for the password. */
  boolean matches(byte[] user, byte[] pass) {
    boolean u = MessageDigest.isEqual(username, user);
    boolean p = MessageDigest.isEqual(password, pass);
    return u & p;
  }

  /**
   * Shows the username only.
   *
   * @return {@code Socks5Credentials[username=..., password=redacted]}
   */
  @Override
  public String toString() {
    return "Socks5Credentials[username=" + username() + ", password=redacted]";
  }

  /**
   * Equal when username and password are.
   *
   * @param o another object
   * @return whether both hold the same username and password
   */
  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Socks5Credentials && ((Socks5Credentials) o).matches(username, password);
  }

  /**
   * From the username only (never from the password).
   *
   * @return a hash of the username
   */
  @Override
  public int hashCode() {
    return Arrays.hashCode(username);
  }
}
