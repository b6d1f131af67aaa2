package io.wireguardjava.netstack.proxy;

import java.io.IOException;

/** A destination that could not be reached, with the {@link Failure} to reply with. */
final class DialException extends IOException {
  private static final long serialVersionUID = 1L;
  private final Failure failure;

  DialException(Failure failure, String message, Throwable cause) {
    super(message, cause);
    this.failure = failure;
  }

  DialException(Failure failure, String message) {
    super(message);
    this.failure = failure;
  }

  Failure failure() {
    return failure;
  }
}
