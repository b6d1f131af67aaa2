package io.wireguardjava.tun.linux;

import static org.assertj.core.api.Assertions.assertThat;

import io.wireguardjava.tun.linux.internal.LibC;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Asks the C compiler, with the kernel's own headers, for the virtio_net_hdr layout and the TUN
 * offload constants we write by hand. Constants newer than this machine's headers (USO, GSO_UDP_L4)
 * are checked only where the headers define them. Skipped without {@code cc}, except under CI=true,
 * where it must run.
 */
class CLayoutTest {

  private static final String SOURCE =
      String.join(
          "\n",
          "#include <stdio.h>",
          "#include <stddef.h>",
          "#include <sys/ioctl.h>",
          "#include <linux/if_tun.h>",
          "#include <linux/virtio_net.h>",
          "#define P(name, value) printf(\"%s=%ld\\n\", name, (long) (value))",
          "int main(void) {",
          "  P(\"size\", sizeof(struct virtio_net_hdr));",
          "  P(\"flags\", offsetof(struct virtio_net_hdr, flags));",
          "  P(\"gso_type\", offsetof(struct virtio_net_hdr, gso_type));",
          "  P(\"hdr_len\", offsetof(struct virtio_net_hdr, hdr_len));",
          "  P(\"gso_size\", offsetof(struct virtio_net_hdr, gso_size));",
          "  P(\"csum_start\", offsetof(struct virtio_net_hdr, csum_start));",
          "  P(\"csum_offset\", offsetof(struct virtio_net_hdr, csum_offset));",
          "  P(\"F_NEEDS_CSUM\", VIRTIO_NET_HDR_F_NEEDS_CSUM);",
          "  P(\"GSO_NONE\", VIRTIO_NET_HDR_GSO_NONE);",
          "  P(\"GSO_TCPV4\", VIRTIO_NET_HDR_GSO_TCPV4);",
          "  P(\"GSO_TCPV6\", VIRTIO_NET_HDR_GSO_TCPV6);",
          "  P(\"GSO_ECN\", VIRTIO_NET_HDR_GSO_ECN);",
          "#ifdef VIRTIO_NET_HDR_GSO_UDP_L4",
          "  P(\"GSO_UDP_L4\", VIRTIO_NET_HDR_GSO_UDP_L4);",
          "#endif",
          "  P(\"TUNSETIFF\", TUNSETIFF);",
          "  P(\"TUNSETOFFLOAD\", TUNSETOFFLOAD);",
          "  P(\"IFF_TUN\", IFF_TUN);",
          "  P(\"IFF_NO_PI\", IFF_NO_PI);",
          "  P(\"IFF_VNET_HDR\", IFF_VNET_HDR);",
          "  P(\"TUN_F_CSUM\", TUN_F_CSUM);",
          "  P(\"TUN_F_TSO4\", TUN_F_TSO4);",
          "  P(\"TUN_F_TSO6\", TUN_F_TSO6);",
          "#ifdef TUN_F_USO4",
          "  P(\"TUN_F_USO4\", TUN_F_USO4);",
          "  P(\"TUN_F_USO6\", TUN_F_USO6);",
          "#endif",
          "  return 0;",
          "}",
          "");

  @Test
  void theCompilerAgreesWithTheHandWrittenLayouts(@TempDir Path dir) throws Exception {
    Map<String, Long> c = CProgram.compileAndRun(dir, SOURCE);

    assertThat(c.get("size")).isEqualTo(VirtioNetHeader.LENGTH);
    assertThat(c.get("flags")).isEqualTo(VirtioNetHeader.FLAGS);
    assertThat(c.get("gso_type")).isEqualTo(VirtioNetHeader.GSO_TYPE);
    assertThat(c.get("hdr_len")).isEqualTo(VirtioNetHeader.HDR_LEN);
    assertThat(c.get("gso_size")).isEqualTo(VirtioNetHeader.GSO_SIZE);
    assertThat(c.get("csum_start")).isEqualTo(VirtioNetHeader.CSUM_START);
    assertThat(c.get("csum_offset")).isEqualTo(VirtioNetHeader.CSUM_OFFSET);
    assertThat(c.get("F_NEEDS_CSUM")).isEqualTo(VirtioNetHeader.F_NEEDS_CSUM);
    assertThat(c.get("GSO_NONE")).isEqualTo(VirtioNetHeader.GSO_NONE);
    assertThat(c.get("GSO_TCPV4")).isEqualTo(VirtioNetHeader.GSO_TCPV4);
    assertThat(c.get("GSO_TCPV6")).isEqualTo(VirtioNetHeader.GSO_TCPV6);
    assertThat(c.get("GSO_ECN")).isEqualTo(VirtioNetHeader.GSO_ECN);
    assertThat(c.getOrDefault("GSO_UDP_L4", (long) VirtioNetHeader.GSO_UDP_L4))
        .isEqualTo(VirtioNetHeader.GSO_UDP_L4);
    assertThat(c.get("TUNSETIFF")).isEqualTo(LibC.TUNSETIFF);
    assertThat(c.get("TUNSETOFFLOAD")).isEqualTo(LibC.TUNSETOFFLOAD);
    assertThat(c.get("IFF_TUN")).isEqualTo(LibC.IFF_TUN);
    assertThat(c.get("IFF_NO_PI")).isEqualTo(LibC.IFF_NO_PI);
    assertThat(c.get("IFF_VNET_HDR")).isEqualTo(LibC.IFF_VNET_HDR);
    assertThat(c.get("TUN_F_CSUM")).isEqualTo(LibC.TUN_F_CSUM);
    assertThat(c.get("TUN_F_TSO4")).isEqualTo(LibC.TUN_F_TSO4);
    assertThat(c.get("TUN_F_TSO6")).isEqualTo(LibC.TUN_F_TSO6);
    assertThat(c.getOrDefault("TUN_F_USO4", (long) LibC.TUN_F_USO4)).isEqualTo(LibC.TUN_F_USO4);
    assertThat(c.getOrDefault("TUN_F_USO6", (long) LibC.TUN_F_USO6)).isEqualTo(LibC.TUN_F_USO6);
  }
}
