package io.wireguardjava.uapi;

/** A UAPI request failed; {@link #errno()} is the negative value the reply carries. */
public final class UapiException extends Exception {
  private static final long serialVersionUID = 1L;

  /** The errno the protocol reports (negative, as wireguard-go writes it). */
  private final int errno;

  /**
   * A failure answered with {@code errno}.
   *
   * @param errno the negated errno, such as {@link Errno#INVALID}
   * @param message what went wrong, for logs (the reply carries only the errno)
   * @throws IllegalArgumentException if {@code errno} is not negative
   */
  public UapiException(int errno, String message) {
    super(message + " (errno=" + errno + ")");
    if (errno >= 0) {
      throw new IllegalArgumentException("errno must be negative: " + errno);
    }
    this.errno = errno;
  }

  /**
   * Like {@link #UapiException(int, String)}, with the exception that caused it.
   *
   * @param errno the errno, as in {@link #UapiException(int, String)}
   * @param message what went wrong
   * @param cause the underlying failure
   */
  public UapiException(int errno, String message, Throwable cause) {
    this(errno, message);
    initCause(cause);
  }

  /**
   * The negated errno, such as {@link Errno#INVALID}.
   *
   * @return the negated errno, such as {@link Errno#INVALID}
   */
  public int errno() {
    return errno;
  }
}
