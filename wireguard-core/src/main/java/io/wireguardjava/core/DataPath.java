package io.wireguardjava.core;

import io.wireguardjava.spi.PacketDevice;
import java.util.function.IntSupplier;

/**
 * What the send and receive threads share, passed to them rather than reached for in the engine:
 * the two ends (packet device, UDP transport), the routing tables, the drop counters, the live MTU
 * and the tunnel's lifecycle.
 *
 * @param device the packet device (OS or in-process)
 * @param transport the UDP socket
 * @param routes the peers' allowed IPs (cryptokey routing)
 * @param localAddresses the interface's own addresses: packets to them are never forwarded
 * @param forwarding whether packets from one peer to another are forwarded
 * @param events drop counters and listeners
 * @param mtu the tunnel's current MTU
 * @param lifecycle whether the tunnel is closing, and how a failing thread closes it
 */
record DataPath(
    PacketDevice device,
    UdpTransport transport,
    AllowedIps<PeerState> routes,
    AllowedIps<Boolean> localAddresses,
    boolean forwarding,
    Events events,
    IntSupplier mtu,
    Lifecycle lifecycle) {}
