package io.wireguardjava.tun.linux;

import io.wireguardjava.Config;

/** Our tunnel on both sides. */
class OursWithOursTest extends InteropSuite {
  @Override
  SideB startB(String ns, String ifname, Config config) throws Exception {
    return ours(ns, ifname, config);
  }
}
