package io.wireguardjava.core.uapi;

/** A UAPI request failed; {@link #errno()} is the negative value the reply carries. */
public final class UapiException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int errno;

  public UapiException(int errno, String message) {
    super(message + " (errno=" + errno + ")");
    if (errno >= 0) {
      throw new IllegalArgumentException("errno must be negative: " + errno);
    }
    this.errno = errno;
  }

  public UapiException(int errno, String message, Throwable cause) {
    this(errno, message);
    initCause(cause);
  }

  /** The negated errno, such as {@link Errno#INVALID}. */
  public int errno() {
    return errno;
  }
}
