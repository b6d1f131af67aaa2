package io.wireguardjava.tun.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Asks the C compiler and the Linux headers for every layout and constant of {@link SocketLayout}.
 * Skipped when there is no {@code cc}, except under CI=true, where it must run (and fails).
 */
class SocketLayoutCTest {

  private static final String SOURCE =
      String.join(
          "\n",
          "#define _GNU_SOURCE",
          "#include <stdio.h>",
          "#include <stddef.h>",
          "#include <errno.h>",
          "#include <sys/socket.h>",
          "#include <netinet/in.h>",
          "#include <netinet/udp.h>",
          "#include <sys/uio.h>",
          "#ifndef UDP_SEGMENT",
          "#define UDP_SEGMENT 103",
          "#endif",
          "#ifndef UDP_GRO",
          "#define UDP_GRO 104",
          "#endif",
          "#define P(name, value) printf(\"%s=%ld\\n\", name, (long) (value))",
          "int main(void) {",
          "  struct cmsghdr c;",
          "  P(\"iovec.size\", sizeof(struct iovec));",
          "  P(\"iovec.base\", offsetof(struct iovec, iov_base));",
          "  P(\"iovec.len\", offsetof(struct iovec, iov_len));",
          "  P(\"msghdr.size\", sizeof(struct msghdr));",
          "  P(\"msghdr.name\", offsetof(struct msghdr, msg_name));",
          "  P(\"msghdr.namelen\", offsetof(struct msghdr, msg_namelen));",
          "  P(\"msghdr.iov\", offsetof(struct msghdr, msg_iov));",
          "  P(\"msghdr.iovlen\", offsetof(struct msghdr, msg_iovlen));",
          "  P(\"msghdr.control\", offsetof(struct msghdr, msg_control));",
          "  P(\"msghdr.controllen\", offsetof(struct msghdr, msg_controllen));",
          "  P(\"msghdr.flags\", offsetof(struct msghdr, msg_flags));",
          "  P(\"mmsghdr.size\", sizeof(struct mmsghdr));",
          "  P(\"mmsghdr.len\", offsetof(struct mmsghdr, msg_len));",
          "  P(\"cmsghdr.len\", offsetof(struct cmsghdr, cmsg_len));",
          "  P(\"cmsghdr.level\", offsetof(struct cmsghdr, cmsg_level));",
          "  P(\"cmsghdr.type\", offsetof(struct cmsghdr, cmsg_type));",
          "  P(\"cmsghdr.data\", (char *) CMSG_DATA(&c) - (char *) &c);",
          "  P(\"CMSG_LEN(2)\", CMSG_LEN(2));",
          "  P(\"CMSG_SPACE(2)\", CMSG_SPACE(2));",
          "  P(\"CMSG_LEN(12)\", CMSG_LEN(12));",
          "  P(\"CMSG_SPACE(12)\", CMSG_SPACE(12));",
          "  P(\"CMSG_LEN(20)\", CMSG_LEN(20));",
          "  P(\"CMSG_SPACE(20)\", CMSG_SPACE(20));",
          "  P(\"CMSG_SPACE(4)\", CMSG_SPACE(4));",
          "  P(\"sockaddr_in6.size\", sizeof(struct sockaddr_in6));",
          "  P(\"sockaddr_in6.family\", offsetof(struct sockaddr_in6, sin6_family));",
          "  P(\"sockaddr_in6.port\", offsetof(struct sockaddr_in6, sin6_port));",
          "  P(\"sockaddr_in6.flowinfo\", offsetof(struct sockaddr_in6, sin6_flowinfo));",
          "  P(\"sockaddr_in6.addr\", offsetof(struct sockaddr_in6, sin6_addr));",
          "  P(\"sockaddr_in6.scope_id\", offsetof(struct sockaddr_in6, sin6_scope_id));",
          "  P(\"in_pktinfo.size\", sizeof(struct in_pktinfo));",
          "  P(\"in_pktinfo.ifindex\", offsetof(struct in_pktinfo, ipi_ifindex));",
          "  P(\"in_pktinfo.spec_dst\", offsetof(struct in_pktinfo, ipi_spec_dst));",
          "  P(\"in_pktinfo.addr\", offsetof(struct in_pktinfo, ipi_addr));",
          "  P(\"in6_pktinfo.size\", sizeof(struct in6_pktinfo));",
          "  P(\"in6_pktinfo.addr\", offsetof(struct in6_pktinfo, ipi6_addr));",
          "  P(\"in6_pktinfo.ifindex\", offsetof(struct in6_pktinfo, ipi6_ifindex));",
          "  P(\"AF_INET\", AF_INET);",
          "  P(\"AF_INET6\", AF_INET6);",
          "  P(\"SOCK_DGRAM\", SOCK_DGRAM);",
          "  P(\"SOCK_CLOEXEC\", SOCK_CLOEXEC);",
          "  P(\"SOL_SOCKET\", SOL_SOCKET);",
          "  P(\"SO_SNDBUF\", SO_SNDBUF);",
          "  P(\"SO_RCVBUF\", SO_RCVBUF);",
          "  P(\"SO_SNDBUFFORCE\", SO_SNDBUFFORCE);",
          "  P(\"SO_RCVBUFFORCE\", SO_RCVBUFFORCE);",
          "  P(\"SO_MARK\", SO_MARK);",
          "  P(\"SOL_IP\", SOL_IP);",
          "  P(\"IP_PKTINFO\", IP_PKTINFO);",
          "  P(\"SOL_IPV6\", SOL_IPV6);",
          "  P(\"IPV6_V6ONLY\", IPV6_V6ONLY);",
          "  P(\"IPV6_RECVPKTINFO\", IPV6_RECVPKTINFO);",
          "  P(\"IPV6_PKTINFO\", IPV6_PKTINFO);",
          "  P(\"SOL_UDP\", SOL_UDP);",
          "  P(\"UDP_SEGMENT\", UDP_SEGMENT);",
          "  P(\"UDP_GRO\", UDP_GRO);",
          "  P(\"MSG_DONTWAIT\", MSG_DONTWAIT);",
          "  P(\"SHUT_RDWR\", SHUT_RDWR);",
          "  P(\"EINTR\", EINTR);",
          "  P(\"EIO\", EIO);",
          "  P(\"EAGAIN\", EAGAIN);",
          "  P(\"EINVAL\", EINVAL);",
          "  P(\"EADDRINUSE\", EADDRINUSE);",
          "  P(\"EADDRNOTAVAIL\", EADDRNOTAVAIL);",
          "  P(\"EPERM\", EPERM);",
          "  return 0;",
          "}",
          "");

  @Test
  void theCompilerAgreesWithTheHandWrittenLayouts(@TempDir Path dir) throws Exception {
    Map<String, Long> c = CProgram.compileAndRun(dir, SOURCE);
    Map<String, Integer> ours = new HashMap<>();
    ours.put("iovec.size", SocketLayout.IOVEC_SIZE);
    ours.put("iovec.base", SocketLayout.IOV_BASE);
    ours.put("iovec.len", SocketLayout.IOV_LEN);
    ours.put("msghdr.size", SocketLayout.MSGHDR_SIZE);
    ours.put("msghdr.name", SocketLayout.MSG_NAME);
    ours.put("msghdr.namelen", SocketLayout.MSG_NAMELEN);
    ours.put("msghdr.iov", SocketLayout.MSG_IOV);
    ours.put("msghdr.iovlen", SocketLayout.MSG_IOVLEN);
    ours.put("msghdr.control", SocketLayout.MSG_CONTROL);
    ours.put("msghdr.controllen", SocketLayout.MSG_CONTROLLEN);
    ours.put("msghdr.flags", SocketLayout.MSG_FLAGS);
    ours.put("mmsghdr.size", SocketLayout.MMSGHDR_SIZE);
    ours.put("mmsghdr.len", SocketLayout.MMSG_LEN);
    ours.put("cmsghdr.len", SocketLayout.CMSG_LEN_FIELD);
    ours.put("cmsghdr.level", SocketLayout.CMSG_LEVEL);
    ours.put("cmsghdr.type", SocketLayout.CMSG_TYPE);
    ours.put("cmsghdr.data", SocketLayout.CMSG_DATA);
    ours.put("CMSG_LEN(2)", SocketLayout.cmsgLen(2));
    ours.put("CMSG_SPACE(2)", SocketLayout.cmsgSpace(2));
    ours.put("CMSG_LEN(12)", SocketLayout.cmsgLen(SocketLayout.IN_PKTINFO_SIZE));
    ours.put("CMSG_SPACE(12)", SocketLayout.cmsgSpace(SocketLayout.IN_PKTINFO_SIZE));
    ours.put("CMSG_LEN(20)", SocketLayout.cmsgLen(SocketLayout.IN6_PKTINFO_SIZE));
    ours.put("CMSG_SPACE(20)", SocketLayout.cmsgSpace(SocketLayout.IN6_PKTINFO_SIZE));
    ours.put("CMSG_SPACE(4)", SocketLayout.cmsgSpace(4));
    ours.put("sockaddr_in6.size", SocketLayout.SOCKADDR_IN6_SIZE);
    ours.put("sockaddr_in6.family", SocketLayout.SIN6_FAMILY);
    ours.put("sockaddr_in6.port", SocketLayout.SIN6_PORT);
    ours.put("sockaddr_in6.flowinfo", SocketLayout.SIN6_FLOWINFO);
    ours.put("sockaddr_in6.addr", SocketLayout.SIN6_ADDR);
    ours.put("sockaddr_in6.scope_id", SocketLayout.SIN6_SCOPE_ID);
    ours.put("in_pktinfo.size", SocketLayout.IN_PKTINFO_SIZE);
    ours.put("in_pktinfo.ifindex", SocketLayout.IPI_IFINDEX);
    ours.put("in_pktinfo.spec_dst", SocketLayout.IPI_SPEC_DST);
    ours.put("in_pktinfo.addr", SocketLayout.IPI_ADDR);
    ours.put("in6_pktinfo.size", SocketLayout.IN6_PKTINFO_SIZE);
    ours.put("in6_pktinfo.addr", SocketLayout.IPI6_ADDR);
    ours.put("in6_pktinfo.ifindex", SocketLayout.IPI6_IFINDEX);
    ours.put("AF_INET", SocketLayout.AF_INET);
    ours.put("AF_INET6", SocketLayout.AF_INET6);
    ours.put("SOCK_DGRAM", SocketLayout.SOCK_DGRAM);
    ours.put("SOCK_CLOEXEC", SocketLayout.SOCK_CLOEXEC);
    ours.put("SOL_SOCKET", SocketLayout.SOL_SOCKET);
    ours.put("SO_SNDBUF", SocketLayout.SO_SNDBUF);
    ours.put("SO_RCVBUF", SocketLayout.SO_RCVBUF);
    ours.put("SO_SNDBUFFORCE", SocketLayout.SO_SNDBUFFORCE);
    ours.put("SO_RCVBUFFORCE", SocketLayout.SO_RCVBUFFORCE);
    ours.put("SO_MARK", SocketLayout.SO_MARK);
    ours.put("SOL_IP", SocketLayout.SOL_IP);
    ours.put("IP_PKTINFO", SocketLayout.IP_PKTINFO);
    ours.put("SOL_IPV6", SocketLayout.SOL_IPV6);
    ours.put("IPV6_V6ONLY", SocketLayout.IPV6_V6ONLY);
    ours.put("IPV6_RECVPKTINFO", SocketLayout.IPV6_RECVPKTINFO);
    ours.put("IPV6_PKTINFO", SocketLayout.IPV6_PKTINFO);
    ours.put("SOL_UDP", SocketLayout.SOL_UDP);
    ours.put("UDP_SEGMENT", SocketLayout.UDP_SEGMENT);
    ours.put("UDP_GRO", SocketLayout.UDP_GRO);
    ours.put("MSG_DONTWAIT", SocketLayout.MSG_DONTWAIT);
    ours.put("SHUT_RDWR", SocketLayout.SHUT_RDWR);
    ours.put("EINTR", SocketLayout.EINTR);
    ours.put("EIO", SocketLayout.EIO);
    ours.put("EAGAIN", SocketLayout.EAGAIN);
    ours.put("EINVAL", SocketLayout.EINVAL);
    ours.put("EADDRINUSE", SocketLayout.EADDRINUSE);
    ours.put("EADDRNOTAVAIL", SocketLayout.EADDRNOTAVAIL);
    ours.put("EPERM", SocketLayout.EPERM);

    assertThat(c.keySet()).containsExactlyInAnyOrderElementsOf(ours.keySet());
    for (Map.Entry<String, Integer> e : ours.entrySet()) {
      assertThat(e.getValue().longValue()).as(e.getKey()).isEqualTo(c.get(e.getKey()));
    }
  }
}
