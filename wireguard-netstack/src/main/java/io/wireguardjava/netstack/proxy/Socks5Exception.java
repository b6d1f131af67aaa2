package io.wireguardjava.netstack.proxy;

import java.io.IOException;

/**
 * A SOCKS5 client broke the protocol: the server replies with {@link #reply()} if it is not
 * negative, then closes.
 */
final class Socks5Exception extends IOException {
  private static final long serialVersionUID = 1L;

  /** No reply fits (before the request, or a stream we cannot frame any more). */
  static final int CLOSE = -1;

  private final int reply;

  Socks5Exception(int reply, String message) {
    super(message);
    this.reply = reply;
  }

  int reply() {
    return reply;
  }
}
