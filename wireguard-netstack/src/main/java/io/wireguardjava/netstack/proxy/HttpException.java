package io.wireguardjava.netstack.proxy;

import java.io.IOException;

/** A request the HTTP proxy answers with an error status, then closes the connection. */
final class HttpException extends IOException {
  private static final long serialVersionUID = 1L;
  private final int status;

  HttpException(int status, String message) {
    super(message);
    this.status = status;
  }

  HttpException(int status, String message, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  int status() {
    return status;
  }

  /** The status for a destination that could not be reached. */
  static int statusOf(Failure f) {
    switch (f) {
      case NOT_ALLOWED:
        return 403;
      case TIMEOUT:
        return 504;
      case BAD_NAME:
        return 400;
      default:
        return 502;
    }
  }

  /** The reason phrase of the statuses the proxy sends itself. */
  static String reason(int status) {
    switch (status) {
      case 400:
        return "Bad Request";
      case 403:
        return "Forbidden";
      case 408:
        return "Request Timeout";
      case 431:
        return "Request Header Fields Too Large";
      case 501:
        return "Not Implemented";
      case 502:
        return "Bad Gateway";
      case 504:
        return "Gateway Timeout";
      case 505:
        return "HTTP Version Not Supported";
      default:
        return "Error";
    }
  }
}
