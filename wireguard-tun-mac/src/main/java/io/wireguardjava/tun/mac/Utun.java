package io.wireguardjava.tun.mac;

import io.wireguardjava.tun.mac.Native.LibC;
import java.io.IOException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jnr.ffi.Pointer;

/**
 * Opens utun interfaces and sets their MTU with the macOS system calls, as wireguard-go's
 * tun_darwin.go does: {@code socket(PF_SYSTEM, SOCK_DGRAM, SYSPROTO_CONTROL)}, {@code
 * ioctl(CTLIOCGINFO)} to find the id of {@code com.apple.net.utun_control}, {@code connect} with a
 * {@code sockaddr_ctl} whose unit picks the interface, {@code getsockopt(UTUN_OPT_IFNAME)} for its
 * name. The interface exists while the socket is open. Only runs on macOS.
 */
final class Utun {

  private static final Pattern UTUN_NAME = Pattern.compile("utun([0-9]{1,9})");

  private Utun() {}

  /** A connected utun control socket and the name of its interface. */
  record Opened(int fd, String name) {}

  /**
   * The {@code sc_unit} for a requested interface name: 0 (the kernel picks the first free utun)
   * for no name, {@code utun} or any name that is not {@code utunN}; {@code N + 1} for {@code
   * utunN}. macOS cannot give a utun another name (such as wg0).
   */
  static int unitFor(Optional<String> requestedName) {
    if (requestedName.isEmpty()) {
      return 0;
    }
    Matcher m = UTUN_NAME.matcher(requestedName.get());
    return m.matches() ? Integer.parseInt(m.group(1)) + 1 : 0;
  }

  /** Whether {@code name} is a name the kernel gives utun interfaces. */
  static boolean isUtunName(String name) {
    return UTUN_NAME.matcher(name).matches();
  }

  /** Creates a utun interface; {@code unit} as from {@link #unitFor}. */
  static Opened open(LibC libc, int unit) throws IOException {
    int fd = libc.socket(Darwin.PF_SYSTEM, Darwin.SOCK_DGRAM, Darwin.SYSPROTO_CONTROL);
    if (fd < 0) {
      throw new IOException(
          LibC.describe("socket(PF_SYSTEM, SOCK_DGRAM, SYSPROTO_CONTROL)", LibC.errno()));
    }
    try {
      Pointer info = LibC.copyOf(Structs.CtlInfo.request(Darwin.UTUN_CONTROL_NAME));
      if (libc.ioctl(fd, Darwin.CTLIOCGINFO, info) < 0) {
        throw new IOException(
            LibC.describe("ioctl(CTLIOCGINFO, " + Darwin.UTUN_CONTROL_NAME + ")", LibC.errno()));
      }
      byte[] infoBytes = new byte[Structs.CtlInfo.SIZE];
      info.get(0, infoBytes, 0, infoBytes.length);
      int ctlId = Structs.CtlInfo.id(infoBytes);

      Pointer addr = LibC.copyOf(Structs.SockaddrCtl.of(ctlId, unit));
      if (libc.connect(fd, addr, Structs.SockaddrCtl.SIZE) < 0) {
        int errno = LibC.errno();
        String what = unit == 0 ? "a new utun" : "utun" + (unit - 1);
        String hint =
            errno == Darwin.EBUSY
                ? " (already in use)"
                : errno == Darwin.EPERM ? " (creating a utun needs root)" : "";
        throw new IOException(LibC.describe("connect(" + what + ")", errno) + hint);
      }

      Pointer nameBuf = LibC.allocate(Darwin.IFNAMSIZ);
      Pointer nameLen = LibC.allocate(4);
      nameLen.putInt(0, Darwin.IFNAMSIZ);
      if (libc.getsockopt(fd, Darwin.SYSPROTO_CONTROL, Darwin.UTUN_OPT_IFNAME, nameBuf, nameLen)
          < 0) {
        throw new IOException(LibC.describe("getsockopt(UTUN_OPT_IFNAME)", LibC.errno()));
      }
      byte[] nameBytes = new byte[Darwin.IFNAMSIZ];
      nameBuf.get(0, nameBytes, 0, nameBytes.length);
      String name = Structs.cString(nameBytes, Math.min(nameLen.getInt(0), Darwin.IFNAMSIZ));
      if (!isUtunName(name)) {
        throw new IOException("getsockopt(UTUN_OPT_IFNAME) returned an unexpected name: " + name);
      }
      return new Opened(fd, name);
    } catch (IOException | RuntimeException e) {
      libc.close(fd);
      throw e;
    }
  }

  /** The MTU of {@code ifname} (SIOCGIFMTU on an AF_INET datagram socket). */
  static int mtu(LibC libc, String ifname) throws IOException {
    Pointer ifr = LibC.copyOf(Structs.IfReq.named(ifname));
    ifreqIoctl(libc, Darwin.SIOCGIFMTU, ifr, "SIOCGIFMTU " + ifname);
    byte[] bytes = new byte[Structs.IfReq.SIZE];
    ifr.get(0, bytes, 0, bytes.length);
    return Structs.IfReq.mtu(bytes);
  }

  /** Sets the MTU of {@code ifname} (SIOCSIFMTU), as wireguard-go's setMTU does. */
  static void setMtu(LibC libc, String ifname, int mtu) throws IOException {
    Pointer ifr = LibC.copyOf(Structs.IfReq.withMtu(ifname, mtu));
    ifreqIoctl(libc, Darwin.SIOCSIFMTU, ifr, "SIOCSIFMTU " + ifname + " " + mtu);
  }

  private static void ifreqIoctl(LibC libc, long request, Pointer ifr, String what)
      throws IOException {
    int s = libc.socket(Darwin.AF_INET, Darwin.SOCK_DGRAM, 0);
    if (s < 0) {
      throw new IOException(LibC.describe("socket(AF_INET, SOCK_DGRAM)", LibC.errno()));
    }
    try {
      if (libc.ioctl(s, request, ifr) < 0) {
        throw new IOException(LibC.describe("ioctl(" + what + ")", LibC.errno()));
      }
    } finally {
      libc.close(s);
    }
  }
}
