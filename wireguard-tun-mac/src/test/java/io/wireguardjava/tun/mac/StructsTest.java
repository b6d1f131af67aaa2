package io.wireguardjava.tun.mac;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * Struct sizes and offsets, and ioctl numbers, against the values written down from the macOS
 * headers (apple-oss-distributions/xnu: bsd/sys/kern_control.h, bsd/net/if.h, bsd/sys/sockio.h,
 * bsd/sys/ioccom.h, bsd/sys/poll.h). {@link CLayoutTest} also asks a C compiler.
 */
class StructsTest {

  @Test
  void ctlInfoIsAnIdThenA96ByteName() {
    // struct ctl_info { u_int32_t ctl_id; char ctl_name[MAX_KCTL_NAME]; }; MAX_KCTL_NAME = 96
    assertThat(Darwin.MAX_KCTL_NAME).isEqualTo(96);
    assertThat(Structs.CtlInfo.SIZE).isEqualTo(100);
    assertThat(Structs.CtlInfo.CTL_ID).isEqualTo(0);
    assertThat(Structs.CtlInfo.CTL_NAME).isEqualTo(4);

    byte[] request = Structs.CtlInfo.request("com.apple.net.utun_control");
    assertThat(request).hasSize(100);
    assertThat(new String(request, 4, 26, java.nio.charset.StandardCharsets.US_ASCII))
        .isEqualTo("com.apple.net.utun_control");
    assertThat(request[4 + 26]).isZero();
    assertThat(Structs.CtlInfo.id(request)).isZero();
    native32(request, 0, 0x1234_5678);
    assertThat(Structs.CtlInfo.id(request)).isEqualTo(0x1234_5678);
  }

  @Test
  void sockaddrCtlIs32Bytes() {
    // struct sockaddr_ctl { u_char sc_len; u_char sc_family; u_int16_t ss_sysaddr;
    //   u_int32_t sc_id; u_int32_t sc_unit; u_int32_t sc_reserved[5]; }
    assertThat(Structs.SockaddrCtl.SIZE).isEqualTo(32);
    assertThat(Structs.SockaddrCtl.SC_LEN).isEqualTo(0);
    assertThat(Structs.SockaddrCtl.SC_FAMILY).isEqualTo(1);
    assertThat(Structs.SockaddrCtl.SS_SYSADDR).isEqualTo(2);
    assertThat(Structs.SockaddrCtl.SC_ID).isEqualTo(4);
    assertThat(Structs.SockaddrCtl.SC_UNIT).isEqualTo(8);
    assertThat(Structs.SockaddrCtl.SC_RESERVED).isEqualTo(12);

    byte[] addr = Structs.SockaddrCtl.of(0x0abc_def0, 5);
    ByteBuffer b = ByteBuffer.wrap(addr).order(ByteOrder.nativeOrder());
    assertThat(addr).hasSize(32);
    assertThat(addr[0]).isEqualTo((byte) 32);
    assertThat(addr[1]).isEqualTo((byte) 32); // AF_SYSTEM
    assertThat(b.getShort(2)).isEqualTo((short) 2); // AF_SYS_CONTROL
    assertThat(b.getInt(4)).isEqualTo(0x0abc_def0);
    assertThat(b.getInt(8)).isEqualTo(5);
    for (int i = 12; i < 32; i++) {
      assertThat(addr[i]).as("sc_reserved byte %d", i).isZero();
    }
  }

  @Test
  void ifreqIs32BytesWithTheMtuAfterTheName() {
    // struct ifreq { char ifr_name[IFNAMSIZ]; union { struct sockaddr (16); ...; int ifru_mtu;
    //   caddr_t ifru_data; struct ifkpi (16, pack 4); ... } ifr_ifru; }
    assertThat(Darwin.IFNAMSIZ).isEqualTo(16);
    assertThat(Structs.IfReq.SIZE).isEqualTo(32);
    assertThat(Structs.IfReq.IFR_NAME).isEqualTo(0);
    assertThat(Structs.IfReq.IFR_MTU).isEqualTo(16);

    byte[] ifr = Structs.IfReq.withMtu("utun12", 1420);
    assertThat(ifr).hasSize(32);
    assertThat(Structs.cString(ifr, 16)).isEqualTo("utun12");
    assertThat(ByteBuffer.wrap(ifr).order(ByteOrder.nativeOrder()).getInt(16)).isEqualTo(1420);
    assertThat(Structs.IfReq.mtu(ifr)).isEqualTo(1420);
  }

  @Test
  void ifreqRejectsNamesThatDoNotFit() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> Structs.IfReq.named("a-name-of-16-chr"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Structs.cString(Structs.IfReq.named("a-name-of-15-ch"), 16))
        .isEqualTo("a-name-of-15-ch");
  }

  @Test
  void pollfdIsEightBytes() {
    assertThat(Structs.PollFd.SIZE).isEqualTo(8);
    assertThat(Structs.PollFd.EVENTS).isEqualTo(4);
    assertThat(Structs.PollFd.REVENTS).isEqualTo(6);
  }

  @Test
  void ioctlNumbersFollowTheIocMacro() {
    // bsd/sys/kern_control.h: CTLIOCGINFO _IOWR('N', 3, struct ctl_info)
    assertThat(Darwin.ioc(Darwin.IOC_INOUT, 'N', 3, Structs.CtlInfo.SIZE))
        .isEqualTo(Darwin.CTLIOCGINFO)
        .isEqualTo(0xc0644e03L);
    // bsd/sys/sockio.h: SIOCGIFMTU _IOWR('i', 51, struct ifreq); SIOCSIFMTU _IOW('i', 52, ...)
    assertThat(Darwin.ioc(Darwin.IOC_INOUT, 'i', 51, Structs.IfReq.SIZE))
        .isEqualTo(Darwin.SIOCGIFMTU)
        .isEqualTo(0xc0206933L);
    assertThat(Darwin.ioc(Darwin.IOC_IN, 'i', 52, Structs.IfReq.SIZE))
        .isEqualTo(Darwin.SIOCSIFMTU)
        .isEqualTo(0x80206934L);
  }

  @Test
  void familiesAndProtocolNumbersAreDarwins() {
    assertThat(Darwin.AF_INET).isEqualTo(2);
    assertThat(Darwin.AF_INET6).isEqualTo(30); // not Linux's 10
    assertThat(Darwin.AF_SYSTEM).isEqualTo(32);
    assertThat(Darwin.PF_SYSTEM).isEqualTo(32);
    assertThat(Darwin.SYSPROTO_CONTROL).isEqualTo(2);
    assertThat(Darwin.AF_SYS_CONTROL).isEqualTo(2);
    assertThat(Darwin.UTUN_OPT_IFNAME).isEqualTo(2);
    assertThat(Darwin.UTUN_CONTROL_NAME).isEqualTo("com.apple.net.utun_control");
    assertThat(Darwin.EAGAIN).isEqualTo(35);
    assertThat(Darwin.O_NONBLOCK).isEqualTo(4);
  }

  @Test
  void cStringStopsAtNulOrLimit() {
    assertThat(Structs.cString(new byte[] {'u', 't', 0, 'x'}, 4)).isEqualTo("ut");
    assertThat(Structs.cString(new byte[] {'u', 't', 'u'}, 2)).isEqualTo("ut");
  }

  private static void native32(byte[] b, int offset, int value) {
    ByteBuffer.wrap(b).order(ByteOrder.nativeOrder()).putInt(offset, value);
  }
}
