package io.wireguardjava.tun.linux;

import io.wireguardjava.Config;

/** Our tunnel (A) against wireguard-go configured by wg (B). */
class OursWithWireguardGoTest extends InteropSuite {
  @Override
  SideB startB(String ns, String ifname, Config config) {
    return wireguardGo(ns, ifname, config);
  }
}
