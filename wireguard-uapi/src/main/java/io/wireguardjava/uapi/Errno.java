package io.wireguardjava.uapi;

/**
 * The negated errno values a UAPI reply ends with ({@code errno=N}), the same numbers as
 * wireguard-go's {@code ipc} package on Linux, plus three for situations wireguard-go never reports
 * (a timed-out or overloaded socket).
 */
public final class Errno {
  /** Success. */
  public static final int OK = 0;

  /** {@code -EIO}: the request could not be read (a line longer than the limit, a read error). */
  public static final int IO = -5;

  /** {@code -EPROTO}: a line without {@code =}, or a request that ended before its blank line. */
  public static final int PROTOCOL = -71;

  /** {@code -EINVAL}: an unknown key or a value that does not parse. */
  public static final int INVALID = -22;

  /** {@code -EADDRINUSE}: the listen port (or fwmark) could not be applied to the socket. */
  public static final int PORT_IN_USE = -98;

  /** wireguard-go's catch-all ({@code -ENOANO}). */
  public static final int UNKNOWN = -55;

  /** {@code -ETIMEDOUT}: the client took longer than the request timeout (not in wireguard-go). */
  public static final int TIMED_OUT = -110;

  /** {@code -EAGAIN}: too many clients at once; try again (not in wireguard-go). */
  public static final int BUSY = -11;

  /** {@code -EMSGSIZE}: the request is larger than the limit (not in wireguard-go). */
  public static final int TOO_LARGE = -90;

  private Errno() {}
}
