/**
 * IP packet formats without I/O: IPv4, IPv6, UDP, ICMPv4 and ICMPv6 headers read and written in
 * place in caller-owned arrays, the one internet {@link
 * io.wireguardjava.netstack.internal.wire.Checksum}, and bounded IPv4 fragment reassembly.
 * Internal: no compatibility promise.
 */
@NullMarked
package io.wireguardjava.netstack.internal.wire;

import org.jspecify.annotations.NullMarked;
