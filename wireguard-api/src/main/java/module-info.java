/**
 * The public API of wireguard-java: keys, configurations in wg-quick format, {@link
 * io.wireguardjava.Tunnel}, statistics and listeners, and the service interfaces that an engine
 * ({@code io.wireguardjava.core}) and OS device modules implement.
 */
module io.wireguardjava {
  requires transitive org.jspecify;

  exports io.wireguardjava;
  exports io.wireguardjava.spi;

  uses io.wireguardjava.spi.TunnelProvider;
}
