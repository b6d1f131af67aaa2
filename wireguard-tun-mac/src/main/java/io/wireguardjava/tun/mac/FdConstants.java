package io.wireguardjava.tun.mac;

/**
 * The few libc numbers {@link UtunDevice} needs that differ between macOS and Linux. The device
 * runs with {@link #DARWIN}; the tests run the same code on Linux, over a socketpair, with Linux's
 * numbers.
 */
record FdConstants(int eintr, int eagain, int oNonblock) {

  /** bsd/sys/errno.h and bsd/sys/fcntl.h. */
  static final FdConstants DARWIN = new FdConstants(Darwin.EINTR, Darwin.EAGAIN, Darwin.O_NONBLOCK);
}
