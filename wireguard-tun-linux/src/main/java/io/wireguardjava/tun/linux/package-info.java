/**
 * Linux TUN devices for wireguard-java: {@link io.wireguardjava.tun.linux.LinuxTunProvider} opens
 * {@code /dev/net/tun} through JNR-FFI and configures the interface over rtnetlink, as wg-quick
 * does. All native calls go through the package-private {@code LibC} binding.
 */
@NullMarked
package io.wireguardjava.tun.linux;

import org.jspecify.annotations.NullMarked;
