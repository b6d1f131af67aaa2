package io.wireguardjava.tun.mac;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The C structs this module passes to the macOS kernel, encoded by hand at fixed offsets into byte
 * arrays in native byte order (x86-64 and arm64 Macs are both little-endian and LP64).
 *
 * <p>Each layout is written down from its header; {@code StructsTest} checks the sizes and offsets
 * against the same numbers. Only the structs this module uses are here: addresses and routes go
 * through ifconfig/route as wg-quick's darwin script does, so {@code ifaliasreq} and {@code
 * in6_aliasreq} are not needed.
 */
final class Structs {

  private Structs() {}

  /**
   * {@code struct ctl_info} (bsd/sys/kern_control.h): {@code u_int32_t ctl_id; char
   * ctl_name[MAX_KCTL_NAME];}, 100 bytes.
   */
  static final class CtlInfo {
    static final int SIZE = 100;
    static final int CTL_ID = 0;
    static final int CTL_NAME = 4;

    private CtlInfo() {}

    /** A request for the control id of {@code name}; the id field is zero. */
    static byte[] request(String name) {
      byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
      if (bytes.length >= Darwin.MAX_KCTL_NAME) {
        throw new IllegalArgumentException("kernel control name too long: " + name);
      }
      byte[] struct = new byte[SIZE];
      System.arraycopy(bytes, 0, struct, CTL_NAME, bytes.length);
      return struct;
    }

    /** The {@code ctl_id} the kernel filled in. */
    static int id(byte[] struct) {
      return order(struct).getInt(CTL_ID);
    }
  }

  /**
   * {@code struct sockaddr_ctl} (bsd/sys/kern_control.h): {@code u_char sc_len; u_char sc_family;
   * u_int16_t ss_sysaddr; u_int32_t sc_id; u_int32_t sc_unit; u_int32_t sc_reserved[5];}, 32 bytes.
   */
  static final class SockaddrCtl {
    static final int SIZE = 32;
    static final int SC_LEN = 0;
    static final int SC_FAMILY = 1;
    static final int SS_SYSADDR = 2;
    static final int SC_ID = 4;
    static final int SC_UNIT = 8;
    static final int SC_RESERVED = 12;

    private SockaddrCtl() {}

    /**
     * The address of utun control {@code ctlId}; {@code unit} 0 lets the kernel pick the first free
     * utun, unit {@code N + 1} asks for {@code utunN}.
     */
    static byte[] of(int ctlId, int unit) {
      byte[] struct = new byte[SIZE];
      ByteBuffer b = order(struct);
      b.put(SC_LEN, (byte) SIZE);
      b.put(SC_FAMILY, (byte) Darwin.AF_SYSTEM);
      b.putShort(SS_SYSADDR, (short) Darwin.AF_SYS_CONTROL);
      b.putInt(SC_ID, ctlId);
      b.putInt(SC_UNIT, unit);
      return struct;
    }
  }

  /**
   * {@code struct ifreq} (bsd/net/if.h): {@code char ifr_name[IFNAMSIZ];} then a union whose
   * largest members are 16 bytes ({@code struct sockaddr}, {@code struct ifkpi}) and whose
   * alignment is 8 ({@code caddr_t}), so 32 bytes; {@code ifr_mtu} is the union's {@code int} at
   * offset 16.
   */
  static final class IfReq {
    static final int SIZE = 32;
    static final int IFR_NAME = 0;
    static final int IFR_MTU = Darwin.IFNAMSIZ;

    private IfReq() {}

    /** An ifreq naming {@code ifname}, for SIOCGIFMTU. */
    static byte[] named(String ifname) {
      byte[] bytes = ifname.getBytes(StandardCharsets.US_ASCII);
      if (bytes.length >= Darwin.IFNAMSIZ || bytes.length == 0) {
        throw new IllegalArgumentException("bad interface name: " + ifname);
      }
      byte[] struct = new byte[SIZE];
      System.arraycopy(bytes, 0, struct, IFR_NAME, bytes.length);
      return struct;
    }

    /** An ifreq naming {@code ifname} with {@code ifr_mtu} set, for SIOCSIFMTU. */
    static byte[] withMtu(String ifname, int mtu) {
      byte[] struct = named(ifname);
      order(struct).putInt(IFR_MTU, mtu);
      return struct;
    }

    static int mtu(byte[] struct) {
      return order(struct).getInt(IFR_MTU);
    }
  }

  /**
   * {@code struct pollfd} (bsd/sys/poll.h): {@code int fd; short events; short revents;}, 8 bytes;
   * the same on Linux.
   */
  static final class PollFd {
    static final int SIZE = 8;
    static final int FD = 0;
    static final int EVENTS = 4;
    static final int REVENTS = 6;

    private PollFd() {}
  }

  /** A NUL-terminated C string at the start of {@code bytes}, at most {@code max} bytes long. */
  static String cString(byte[] bytes, int max) {
    int end = 0;
    int limit = Math.min(max, bytes.length);
    while (end < limit && bytes[end] != 0) {
      end++;
    }
    return new String(bytes, 0, end, StandardCharsets.US_ASCII);
  }

  private static ByteBuffer order(byte[] struct) {
    return ByteBuffer.wrap(struct).order(ByteOrder.nativeOrder());
  }
}
