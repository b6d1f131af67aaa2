package io.wireguardjava.tun.linux;

import io.wireguardjava.tun.linux.internal.LibC;
import java.io.Closeable;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jnr.ffi.Pointer;

/**
 * An rtnetlink ({@code NETLINK_ROUTE}) socket: the requests {@code ip link}, {@code ip address},
 * {@code ip route} and {@code ip rule} make, sent one at a time with {@code NLM_F_ACK}. Each method
 * returns once the kernel acknowledged, or throws a {@link NetlinkException} with the kernel's
 * errno. Not thread-safe. The socket belongs to the network namespace of the thread that opened it.
 */
final class Netlink implements Closeable {

  // netlink message types and flags (linux/netlink.h, linux/rtnetlink.h)
  static final short NLMSG_ERROR = 2;
  static final short NLMSG_DONE = 3;
  static final short RTM_NEWLINK = 16;
  static final short RTM_NEWADDR = 20;
  static final short RTM_DELADDR = 21;
  static final short RTM_NEWROUTE = 24;
  static final short RTM_DELROUTE = 25;
  static final short RTM_NEWRULE = 32;
  static final short RTM_DELRULE = 33;
  static final short NLM_F_REQUEST = 0x1;
  static final short NLM_F_ACK = 0x4;
  static final short NLM_F_EXCL = 0x200;
  static final short NLM_F_CREATE = 0x400;
  // attributes
  static final short IFLA_MTU = 4;
  static final short IFA_ADDRESS = 1;
  static final short IFA_LOCAL = 2;
  static final short RTA_DST = 1;
  static final short RTA_OIF = 4;
  static final short RTA_TABLE = 15;
  static final short FRA_PRIORITY = 6;
  static final short FRA_FWMARK = 10;
  static final short FRA_SUPPRESS_PREFIXLEN = 14;
  static final short FRA_TABLE = 15;
  static final short FRA_FWMASK = 16;
  static final short FRA_IP_PROTO = 22;
  static final short FRA_SPORT_RANGE = 23;
  // values
  static final int AF_INET = 2;
  static final int AF_INET6 = 10;
  static final int IFF_UP = 1;
  static final int RT_TABLE_MAIN = 254;
  static final int RTPROT_BOOT = 3;
  static final int RT_SCOPE_UNIVERSE = 0;
  static final int RT_SCOPE_LINK = 253;
  static final int RTN_UNICAST = 1;
  static final int FR_ACT_TO_TBL = 1;
  static final int FIB_RULE_INVERT = 0x2;
  static final int IPPROTO_UDP = 17;

  private static final int BUF_SIZE = 32 * 1024;

  private final LibC libc;
  private final int fd;
  private final Pointer buf = LibC.allocate(BUF_SIZE);
  private int seq = (int) (System.nanoTime() & 0x7fffffff);

  private Netlink(LibC libc, int fd) {
    this.libc = libc;
    this.fd = fd;
  }

  /** Opens a rtnetlink socket in the calling thread's network namespace. */
  static Netlink open() throws IOException {
    LibC libc = LibC.get();
    int fd = libc.socket(LibC.AF_NETLINK, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, LibC.NETLINK_ROUTE);
    if (fd < 0) {
      throw new IOException(LibC.describe("socket(AF_NETLINK)", LibC.errno()));
    }
    Pointer addr = LibC.allocate(12); // sockaddr_nl: family, pad, pid 0 (kernel assigns), groups 0
    addr.putShort(0, (short) LibC.AF_NETLINK);
    Pointer timeout = LibC.allocate(16); // struct timeval: 5 s
    timeout.putLong(0, 5);
    if (libc.bind(fd, addr, 12) < 0
        || libc.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_RCVTIMEO, timeout, 16) < 0) {
      int errno = LibC.errno();
      libc.close(fd);
      throw new IOException(LibC.describe("bind/setsockopt(AF_NETLINK)", errno));
    }
    return new Netlink(libc, fd);
  }

  /** The interface index of {@code name}. */
  int linkIndex(String name) throws IOException {
    int index = libc.if_nametoindex(name);
    if (index == 0) {
      throw new IOException(LibC.describe("if_nametoindex " + name, LibC.errno()));
    }
    return index;
  }

  /** {@code ip link set dev <index> mtu <mtu>}. */
  void setMtu(int index, int mtu) throws IOException {
    ByteBuffer m = message(RTM_NEWLINK, 0);
    ifinfomsg(m, index, 0, 0);
    attrInt(m, IFLA_MTU, mtu);
    send(m, "set MTU " + mtu);
  }

  /** {@code ip link set dev <index> up}. */
  void setUp(int index) throws IOException {
    ByteBuffer m = message(RTM_NEWLINK, 0);
    ifinfomsg(m, index, IFF_UP, IFF_UP);
    send(m, "set link up");
  }

  /** {@code ip address add <address>/<prefix> dev <index>}. */
  void addAddress(int index, InetAddress address, int prefix) throws IOException {
    ByteBuffer m = message(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL);
    m.put((byte) family(address)).put((byte) prefix).put((byte) 0).put((byte) RT_SCOPE_UNIVERSE);
    m.putInt(index);
    attr(m, IFA_LOCAL, address.getAddress());
    attr(m, IFA_ADDRESS, address.getAddress());
    send(m, "add address " + address.getHostAddress() + "/" + prefix);
  }

  /** {@code ip route add <dst>/<prefix> dev <index> table <table>}. */
  void addRoute(int index, InetAddress dst, int prefix, int table) throws IOException {
    send(
        route(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, index, dst, prefix, table),
        "add route " + dst.getHostAddress() + "/" + prefix + " table " + table);
  }

  /** {@code ip route del <dst>/<prefix> dev <index> table <table>}. */
  void deleteRoute(int index, InetAddress dst, int prefix, int table) throws IOException {
    send(
        route(RTM_DELROUTE, 0, index, dst, prefix, table),
        "delete route " + dst.getHostAddress() + "/" + prefix + " table " + table);
  }

  private ByteBuffer route(
      short type, int flags, int index, InetAddress dst, int prefix, int table) {
    ByteBuffer m = message(type, flags);
    boolean v4 = dst instanceof Inet4Address;
    m.put((byte) family(dst)).put((byte) prefix).put((byte) 0).put((byte) 0); // family dst src tos
    m.put((byte) (table < 256 ? table : 0)).put((byte) RTPROT_BOOT);
    m.put((byte) (v4 ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE)).put((byte) RTN_UNICAST);
    m.putInt(0); // flags
    attr(m, RTA_DST, dst.getAddress());
    attrInt(m, RTA_OIF, index);
    attrInt(m, RTA_TABLE, table);
    return m;
  }

  /** {@code ip rule add ...}; see {@link PolicyRule}. */
  void addRule(PolicyRule rule) throws IOException {
    send(rule(RTM_NEWRULE, NLM_F_CREATE | NLM_F_EXCL, rule), "add rule " + rule);
  }

  /** {@code ip rule del ...}. */
  void deleteRule(PolicyRule rule) throws IOException {
    send(rule(RTM_DELRULE, 0, rule), "delete rule " + rule);
  }

  private ByteBuffer rule(short type, int flags, PolicyRule r) {
    ByteBuffer m = message(type, flags);
    m.put((byte) (r.ipv6() ? AF_INET6 : AF_INET)).put((byte) 0).put((byte) 0).put((byte) 0);
    m.put((byte) (r.table() < 256 ? r.table() : 0)).put((byte) 0).put((byte) 0);
    m.put((byte) FR_ACT_TO_TBL);
    m.putInt(r.invert() ? FIB_RULE_INVERT : 0);
    attrInt(m, FRA_TABLE, r.table());
    if (r.priority() > 0) {
      attrInt(m, FRA_PRIORITY, r.priority());
    }
    if (r.fwmark() != 0) {
      attrInt(m, FRA_FWMARK, r.fwmark());
      attrInt(m, FRA_FWMASK, 0xffffffff);
    }
    if (r.udpSourcePort() != 0) {
      attr(m, FRA_IP_PROTO, new byte[] {(byte) IPPROTO_UDP});
      int p = r.udpSourcePort();
      attr(m, FRA_SPORT_RANGE, new byte[] {(byte) p, (byte) (p >> 8), (byte) p, (byte) (p >> 8)});
    }
    if (r.suppressPrefixLength() >= 0) {
      attrInt(m, FRA_SUPPRESS_PREFIXLEN, r.suppressPrefixLength());
    }
    return m;
  }

  private static int family(InetAddress a) {
    return a instanceof Inet4Address ? AF_INET : AF_INET6;
  }

  private ByteBuffer message(short type, int flags) {
    ByteBuffer m = ByteBuffer.allocate(1024).order(ByteOrder.nativeOrder());
    m.putInt(0); // length, patched in send
    m.putShort(type);
    m.putShort((short) (flags | NLM_F_REQUEST | NLM_F_ACK));
    m.putInt(++seq);
    m.putInt(0);
    return m;
  }

  private static void ifinfomsg(ByteBuffer m, int index, int flags, int change) {
    m.put((byte) 0).put((byte) 0).putShort((short) 0).putInt(index).putInt(flags).putInt(change);
  }

  private static void attr(ByteBuffer m, short type, byte[] data) {
    m.putShort((short) (4 + data.length)).putShort(type).put(data);
    while ((m.position() & 3) != 0) {
      m.put((byte) 0);
    }
  }

  private static void attrInt(ByteBuffer m, short type, int value) {
    m.putShort((short) 8).putShort(type).putInt(value);
  }

  /** Sends the request and waits for its acknowledgement. */
  private void send(ByteBuffer m, String what) throws IOException {
    int len = m.position();
    m.putInt(0, len);
    int mySeq = m.getInt(8);
    buf.put(0, m.array(), 0, len);
    if (libc.send(fd, buf, len, 0) != len) {
      throw new IOException(LibC.describe("netlink send (" + what + ")", LibC.errno()));
    }
    byte[] in = new byte[BUF_SIZE];
    while (true) {
      long n = libc.recv(fd, buf, BUF_SIZE, 0);
      if (n < 0) {
        int errno = LibC.errno();
        if (errno == LibC.EINTR) {
          continue;
        }
        throw new IOException(LibC.describe("netlink recv (" + what + ")", errno));
      }
      buf.get(0, in, 0, (int) n);
      ByteBuffer r = ByteBuffer.wrap(in, 0, (int) n).order(ByteOrder.nativeOrder());
      while (r.remaining() >= 16) {
        int start = r.position();
        int msgLen = r.getInt(start);
        short type = r.getShort(start + 4);
        int msgSeq = r.getInt(start + 8);
        if (msgLen < 16 || start + msgLen > n) {
          break;
        }
        if (msgSeq == mySeq && (type == NLMSG_ERROR || type == NLMSG_DONE)) {
          int error = type == NLMSG_ERROR ? r.getInt(start + 16) : 0;
          if (error != 0) {
            throw new NetlinkException(what, -error);
          }
          return;
        }
        r.position(start + ((msgLen + 3) & ~3));
      }
    }
  }

  @Override
  public void close() {
    libc.close(fd);
  }
}
