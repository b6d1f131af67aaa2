package io.wireguardjava.examples.lab;

import io.wireguardjava.examples.lab.InteropLab.Side;

/** What every interop test needs before it builds a lab, and which side it tests. */
final class InteropTools {
  private InteropTools() {}

  /** Root and every tool (skips locally, fails under CI=true); the current wireguard-go too. */
  static void require() {
    Lab.requireTools(
        "ip",
        "wg",
        "wireguard-go",
        "ping",
        "nc",
        "nft",
        "dnsmasq",
        "ss",
        "setpriv",
        "sysctl",
        "sha256sum");
    if ("true".equals(System.getenv("CI"))) {
      InteropLab.currentWireguardGo(); // fails with what is missing
    }
  }

  /**
   * {@code -Dhlab.side=KERNEL} checks the lab with the kernel's TCP; the default tests our stack.
   */
  static Side side() {
    return Side.valueOf(System.getProperty("hlab.side", Side.NETSTACK.name()));
  }
}
