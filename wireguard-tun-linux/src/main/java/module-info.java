/**
 * Linux TUN devices and wg-quick style interface setup, registered as a {@link
 * io.wireguardjava.spi.PacketDeviceProvider}; {@link io.wireguardjava.tun.linux.LinuxTunSupport}
 * says whether they can be used here.
 */
@SuppressWarnings("requires-automatic") // JNR-FFI ships an Automatic-Module-Name only
module io.wireguardjava.tun.linux {
  requires transitive io.wireguardjava;
  requires org.jnrproject.ffi;
  // JNR-FFI generates its bindings with ASM, which ships explicit modules: an automatic module
  // such as JNR's does not pull them into the module graph, so we require them for it.
  requires org.objectweb.asm;
  requires org.objectweb.asm.commons;
  requires org.objectweb.asm.tree;
  requires org.objectweb.asm.tree.analysis;
  requires org.objectweb.asm.util;
  requires transitive org.jspecify;

  exports io.wireguardjava.tun.linux;
  // Not API: JNR-FFI implements the libc binding in a class loader of its own, whose classes
  // can only use an interface of an unconditionally exported package.
  exports io.wireguardjava.tun.linux.internal;

  provides io.wireguardjava.spi.PacketDeviceProvider with
      io.wireguardjava.tun.linux.LinuxTunProvider;
  provides io.wireguardjava.spi.DatagramTransportProvider with
      io.wireguardjava.tun.linux.LinuxUdpProvider;
}
