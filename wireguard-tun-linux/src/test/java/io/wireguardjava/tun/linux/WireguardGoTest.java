package io.wireguardjava.tun.linux;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The harness itself, on the reference implementation: wireguard-go to wireguard-go. */
@Timeout(60)
class WireguardGoTest {

  @BeforeAll
  static void tools() {
    NetnsLab.requireTools("wireguard-go", "wg", "ping");
  }

  @Test
  void twoWireguardGoPeersPingOverIpv4AndIpv6() {
    try (NetnsLab lab = new NetnsLab()) {
      String a = lab.namespace("a");
      String b = lab.namespace("b");
      lab.veth(a, List.of("10.200.0.1/24"), b, List.of("10.200.0.2/24"));
      String ka = lab.run("wg", "genkey").check("genkey").stdout().trim();
      String kb = lab.run("wg", "genkey").check("genkey").stdout().trim();
      String pa = lab.run(NetnsLab.COMMAND_TIMEOUT, ka, "wg", "pubkey").stdout().trim();
      String pb = lab.run(NetnsLab.COMMAND_TIMEOUT, kb, "wg", "pubkey").stdout().trim();
      String wa = lab.name("wa");
      String wb = lab.name("wb");
      lab.wireguardGo(a, wa, 1420, List.of("10.100.0.1/24", "fd00:100::1/64"));
      lab.wireguardGo(b, wb, 1420, List.of("10.100.0.2/24", "fd00:100::2/64"));
      lab.wgSetconf(
          wa,
          "[Interface]\nPrivateKey = "
              + ka
              + "\nListenPort = 51820\n\n[Peer]\n"
              + "PublicKey = "
              + pb
              + "\nAllowedIPs = 10.100.0.2/32, fd00:100::2/128\n"
              + "Endpoint = 10.200.0.2:51821\n");
      lab.wgSetconf(
          wb,
          "[Interface]\nPrivateKey = "
              + kb
              + "\nListenPort = 51821\n\n[Peer]\n"
              + "PublicKey = "
              + pa
              + "\nAllowedIPs = 10.100.0.1/32, fd00:100::1/128\n");
      lab.exec(a, "ping", "-c", "2", "-i", "0.2", "-W", "3", "10.100.0.2").check("ping v4");
      lab.exec(b, "ping", "-c", "2", "-i", "0.2", "-W", "3", "fd00:100::1").check("ping v6");
    }
  }
}
