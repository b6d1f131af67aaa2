/**
 * macOS utun devices and wg-quick style interface setup, registered as a {@link
 * io.wireguardjava.spi.PacketDeviceProvider}; {@link io.wireguardjava.tun.mac.MacTunSupport} says
 * whether they can be used here.
 */
@SuppressWarnings("requires-automatic") // JNR-FFI ships an Automatic-Module-Name only
module io.wireguardjava.tun.mac {
  requires transitive io.wireguardjava;
  requires org.jnrproject.ffi;
  requires transitive org.jspecify;

  exports io.wireguardjava.tun.mac;

  provides io.wireguardjava.spi.PacketDeviceProvider with
      io.wireguardjava.tun.mac.MacTunProvider;
}
