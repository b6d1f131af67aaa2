/**
 * macOS packet devices: utun interfaces opened through the kernel-control socket API with JNR-FFI,
 * configured the way wg-quick's darwin script does it.
 *
 * <p>Nothing here has been run on a Mac yet; what can be checked on Linux (struct layouts, ioctl
 * numbers, packet framing, the poll/close logic on a socketpair, the ifconfig/route command
 * sequence) is checked by the unit tests.
 */
@NullMarked
package io.wireguardjava.tun.mac;

import org.jspecify.annotations.NullMarked;
