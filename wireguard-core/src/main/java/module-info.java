/**
 * The WireGuard engine behind {@link io.wireguardjava.Tunnel#open}: registered as a {@link
 * io.wireguardjava.spi.TunnelProvider}, it finds OS devices through {@link
 * io.wireguardjava.spi.PacketDeviceProvider}. Applications program against {@code
 * io.wireguardjava}; the engine's own package is not exported.
 */
module io.wireguardjava.core {
  requires transitive io.wireguardjava;
  requires io.wireguardjava.crypto;
  requires transitive org.jspecify;

  // The UAPI socket (wg/wg-quick management); used by the wg-java command line.
  exports io.wireguardjava.core.uapi;

  uses io.wireguardjava.spi.PacketDeviceProvider;

  provides io.wireguardjava.spi.TunnelProvider with
      io.wireguardjava.core.CoreTunnelProvider;
}
