package io.wireguardjava.tun.mac;

/**
 * Numbers from the macOS (XNU) headers, each with the header it comes from. Read from
 * apple-oss-distributions/xnu (and apple/darwin-xnu for {@code bsd/sys/ioccom.h}); the unit tests
 * recompute the ioctl numbers from the {@code _IOC} macro and the struct sizes.
 */
final class Darwin {

  private Darwin() {}

  // bsd/sys/socket.h
  static final int AF_INET = 2;
  static final int AF_INET6 = 30;

  /** {@code AF_SYSTEM}; {@code PF_SYSTEM} is defined as the same value. */
  static final int AF_SYSTEM = 32;

  static final int PF_SYSTEM = AF_SYSTEM;
  static final int SOCK_DGRAM = 2;

  // bsd/sys/sys_domain.h
  /** Kernel control protocol, also the getsockopt level for utun options. */
  static final int SYSPROTO_CONTROL = 2;

  /** {@code ss_sysaddr} of a {@code sockaddr_ctl}. */
  static final int AF_SYS_CONTROL = 2;

  // bsd/sys/kern_control.h
  /** {@code MAX_KCTL_NAME}: the size of {@code ctl_info.ctl_name}, including the NUL. */
  static final int MAX_KCTL_NAME = 96;

  // bsd/net/if_utun.h
  static final String UTUN_CONTROL_NAME = "com.apple.net.utun_control";

  /** getsockopt(SYSPROTO_CONTROL, UTUN_OPT_IFNAME): the interface name, such as utun4. */
  static final int UTUN_OPT_IFNAME = 2;

  // bsd/net/if.h
  /** {@code IFNAMSIZ} (= {@code IF_NAMESIZE}), including the NUL. */
  static final int IFNAMSIZ = 16;

  // bsd/sys/ioccom.h: _IOC(inout, group, num, len) =
  //   inout | ((len & IOCPARM_MASK) << 16) | (group << 8) | num
  static final long IOC_OUT = 0x40000000L;
  static final long IOC_IN = 0x80000000L;
  static final long IOC_INOUT = IOC_IN | IOC_OUT;
  static final int IOCPARM_MASK = 0x1fff;

  /** The {@code _IOC} macro of bsd/sys/ioccom.h. */
  static long ioc(long inout, char group, int num, int len) {
    return inout | ((long) (len & IOCPARM_MASK) << 16) | ((long) group << 8) | num;
  }

  /**
   * bsd/sys/kern_control.h: {@code CTLIOCGINFO = _IOWR('N', 3, struct ctl_info)}; 0xc0644e03, the
   * value wireguard-go's tun_darwin.go also derives.
   */
  static final long CTLIOCGINFO = 0xc0644e03L;

  /** bsd/sys/sockio.h: {@code SIOCGIFMTU = _IOWR('i', 51, struct ifreq)}. */
  static final long SIOCGIFMTU = 0xc0206933L;

  /** bsd/sys/sockio.h: {@code SIOCSIFMTU = _IOW('i', 52, struct ifreq)}. */
  static final long SIOCSIFMTU = 0x80206934L;

  // bsd/sys/fcntl.h
  static final int F_SETFD = 2;
  static final int F_GETFL = 3;
  static final int F_SETFL = 4;
  static final int FD_CLOEXEC = 1;
  static final int O_NONBLOCK = 0x0004;

  // bsd/sys/errno.h
  static final int EPERM = 1;
  static final int EINTR = 4;
  static final int EBUSY = 16;
  static final int EAGAIN = 35;

  // bsd/sys/poll.h (the same values as on Linux)
  static final short POLLIN = 0x0001;
  static final short POLLERR = 0x0008;
  static final short POLLHUP = 0x0010;
  static final short POLLNVAL = 0x0020;
}
