/**
 * The WireGuard engine behind {@link io.wireguardjava.Tunnel#open}: registered as a {@link
 * io.wireguardjava.spi.TunnelProvider}, it finds OS devices through {@link
 * io.wireguardjava.spi.PacketDeviceProvider}. Applications program against {@code
 * io.wireguardjava}; the engine's own package is not exported.
 */
module io.wireguardjava.core {
  requires transitive io.wireguardjava;
  requires io.wireguardjava.crypto;
  requires io.wireguardjava.uapi;
  requires transitive org.jspecify;

  uses io.wireguardjava.spi.PacketDeviceProvider;
  uses io.wireguardjava.spi.DatagramTransportProvider;

  provides io.wireguardjava.spi.TunnelProvider with
      io.wireguardjava.core.CoreTunnelProvider;
}
