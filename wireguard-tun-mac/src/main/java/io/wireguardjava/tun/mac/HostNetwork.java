package io.wireguardjava.tun.mac;

import java.io.IOException;
import java.util.List;

/**
 * What {@link NetworkSetup} needs from the host: run a command (ifconfig, route) given as an
 * argument list, and read or set an interface MTU. {@link SystemHostNetwork} does it for real; the
 * tests record the calls.
 */
interface HostNetwork {

  /** A finished command: its exit code and its standard output and error, merged. */
  record Result(int exitCode, String output) {
    boolean ok() {
      return exitCode == 0;
    }
  }

  /** Runs {@code command} (no shell) and waits for it. */
  Result run(List<String> command) throws IOException;

  /** The MTU of {@code ifname}. */
  int mtu(String ifname) throws IOException;

  /** Sets the MTU of {@code ifname}. */
  void setMtu(String ifname, int mtu) throws IOException;
}
