package io.wireguardjava.core;

import io.wireguardjava.spi.DatagramAddress;

/**
 * The source address bytes a cookie is bound to (4 for IPv4, 16 for IPv6, as the kernel's {@code
 * cookie.c} takes them), read from a {@link DatagramAddress} into scratch arrays: one per thread
 * that checks MAC2 or writes cookie replies, so nothing is allocated per message.
 */
final class CookieSource {
  private final byte[] v4 = new byte[4];
  private final byte[] v6 = new byte[16];

  /**
   * The remote address of {@code from}; valid until the next call.
   *
   * @return one of this object's arrays, 4 or 16 bytes long
   */
  byte[] bytesOf(DatagramAddress from) {
    from.copyRemoteIpv6(v6, 0);
    if (from.isIpv4()) {
      System.arraycopy(v6, 12, v4, 0, 4);
      return v4;
    }
    return v6;
  }
}
