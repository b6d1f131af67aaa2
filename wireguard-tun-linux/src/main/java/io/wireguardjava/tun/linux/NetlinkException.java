package io.wireguardjava.tun.linux;

import io.wireguardjava.tun.linux.internal.LibC;
import java.io.IOException;

/** A request the kernel refused over rtnetlink, with its errno (positive, such as 17 EEXIST). */
final class NetlinkException extends IOException {
  private static final long serialVersionUID = 1L;

  private final int errno;

  NetlinkException(String what, int errno) {
    super(LibC.describe(what, errno));
    this.errno = errno;
  }

  int errno() {
    return errno;
  }
}
