package io.wireguardjava.tun.mac;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Asks a C compiler for the layouts: the struct declarations below are those of the macOS headers
 * (renamed, so they do not clash with Linux's), compiled for the host. macOS on x86-64 and arm64 is
 * LP64 with natural alignment, like x86-64/aarch64 Linux, so for these structs (chars, shorts,
 * ints, one pointer, one {@code #pragma pack(4)}) the host compiler gives the Mac layout.
 *
 * <p>Skipped when there is no {@code cc}, except under CI=true, where it must run.
 */
class CLayoutTest {

  private static final String SOURCE =
      String.join(
          "\n",
          "#include <stdio.h>",
          "#include <stddef.h>",
          "typedef unsigned char u_char_;",
          "typedef unsigned short u_int16_t_;",
          "typedef unsigned int u_int32_t_;",
          "typedef char *caddr_t_;",
          "/* bsd/sys/kern_control.h */",
          "struct ctl_info_ { u_int32_t_ ctl_id; char ctl_name[96]; };",
          "struct sockaddr_ctl_ { u_char_ sc_len; u_char_ sc_family; u_int16_t_ ss_sysaddr;",
          "  u_int32_t_ sc_id; u_int32_t_ sc_unit; u_int32_t_ sc_reserved[5]; };",
          "/* bsd/sys/socket.h */",
          "struct sockaddr_ { u_char_ sa_len; u_char_ sa_family; char sa_data[14]; };",
          "/* bsd/net/if.h */",
          "struct ifdevmtu_ { int ifdm_current; int ifdm_min; int ifdm_max; };",
          "#pragma pack(4)",
          "struct ifkpi_ { unsigned int ifk_module_id; unsigned int ifk_type;",
          "  union { void *ifk_ptr; int ifk_value; } ifk_data; };",
          "#pragma pack()",
          "struct ifreq_ { char ifr_name[16]; union { struct sockaddr_ ifru_addr;",
          "  struct sockaddr_ ifru_dstaddr; struct sockaddr_ ifru_broadaddr; short ifru_flags;",
          "  int ifru_metric; int ifru_mtu; int ifru_phys; int ifru_media; int ifru_intval;",
          "  caddr_t_ ifru_data; struct ifdevmtu_ ifru_devmtu; struct ifkpi_ ifru_kpi;",
          "  u_int32_t_ ifru_wake_flags; u_int32_t_ ifru_route_refcnt; int ifru_cap[2];",
          "  u_int32_t_ ifru_functional_type; } ifr_ifru; };",
          "/* bsd/sys/poll.h */",
          "struct pollfd_ { int fd; short events; short revents; };",
          "#define P(name, value) printf(\"%s=%zu\\n\", name, (size_t) (value))",
          "int main(void) {",
          "  P(\"ctl_info.size\", sizeof(struct ctl_info_));",
          "  P(\"ctl_info.ctl_id\", offsetof(struct ctl_info_, ctl_id));",
          "  P(\"ctl_info.ctl_name\", offsetof(struct ctl_info_, ctl_name));",
          "  P(\"sockaddr_ctl.size\", sizeof(struct sockaddr_ctl_));",
          "  P(\"sockaddr_ctl.sc_family\", offsetof(struct sockaddr_ctl_, sc_family));",
          "  P(\"sockaddr_ctl.ss_sysaddr\", offsetof(struct sockaddr_ctl_, ss_sysaddr));",
          "  P(\"sockaddr_ctl.sc_id\", offsetof(struct sockaddr_ctl_, sc_id));",
          "  P(\"sockaddr_ctl.sc_unit\", offsetof(struct sockaddr_ctl_, sc_unit));",
          "  P(\"sockaddr_ctl.sc_reserved\", offsetof(struct sockaddr_ctl_, sc_reserved));",
          "  P(\"ifreq.size\", sizeof(struct ifreq_));",
          "  P(\"ifreq.ifr_mtu\", offsetof(struct ifreq_, ifr_ifru.ifru_mtu));",
          "  P(\"pollfd.size\", sizeof(struct pollfd_));",
          "  P(\"pollfd.events\", offsetof(struct pollfd_, events));",
          "  P(\"pollfd.revents\", offsetof(struct pollfd_, revents));",
          "  return 0;",
          "}",
          "");

  @Test
  void theCompilerAgreesWithTheHandWrittenLayouts(@TempDir Path dir) throws Exception {
    Path cc = Path.of("/usr/bin/cc");
    assumeTrue(Files.isExecutable(cc) || "true".equals(System.getenv("CI")), "no C compiler here");
    Path source = dir.resolve("layout.c");
    Files.writeString(source, SOURCE, StandardCharsets.US_ASCII);
    Path binary = dir.resolve("layout");
    run(List.of(cc.toString(), "-o", binary.toString(), source.toString()));
    Map<String, Integer> c = new HashMap<>();
    for (String line : run(List.of(binary.toString())).split("\n")) {
      String[] kv = line.split("=");
      c.put(kv[0], Integer.parseInt(kv[1]));
    }

    assertThat(c.get("ctl_info.size")).isEqualTo(Structs.CtlInfo.SIZE);
    assertThat(c.get("ctl_info.ctl_id")).isEqualTo(Structs.CtlInfo.CTL_ID);
    assertThat(c.get("ctl_info.ctl_name")).isEqualTo(Structs.CtlInfo.CTL_NAME);
    assertThat(c.get("sockaddr_ctl.size")).isEqualTo(Structs.SockaddrCtl.SIZE);
    assertThat(c.get("sockaddr_ctl.sc_family")).isEqualTo(Structs.SockaddrCtl.SC_FAMILY);
    assertThat(c.get("sockaddr_ctl.ss_sysaddr")).isEqualTo(Structs.SockaddrCtl.SS_SYSADDR);
    assertThat(c.get("sockaddr_ctl.sc_id")).isEqualTo(Structs.SockaddrCtl.SC_ID);
    assertThat(c.get("sockaddr_ctl.sc_unit")).isEqualTo(Structs.SockaddrCtl.SC_UNIT);
    assertThat(c.get("sockaddr_ctl.sc_reserved")).isEqualTo(Structs.SockaddrCtl.SC_RESERVED);
    assertThat(c.get("ifreq.size")).isEqualTo(Structs.IfReq.SIZE);
    assertThat(c.get("ifreq.ifr_mtu")).isEqualTo(Structs.IfReq.IFR_MTU);
    assertThat(c.get("pollfd.size")).isEqualTo(Structs.PollFd.SIZE);
    assertThat(c.get("pollfd.events")).isEqualTo(Structs.PollFd.EVENTS);
    assertThat(c.get("pollfd.revents")).isEqualTo(Structs.PollFd.REVENTS);
  }

  private static String run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("%s: %s", command, out).isZero();
    return out;
  }
}
