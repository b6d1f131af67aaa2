/**
 * WireGuard's UAPI socket ({@code wg}/{@code wg-quick} management) over the api's {@link
 * io.wireguardjava.Tunnel}: the server the engine starts for a tunnel with a UAPI directory, and
 * the client of the {@code wg-java} command line.
 */
module io.wireguardjava.uapi {
  requires transitive io.wireguardjava;
  requires transitive org.jspecify;

  exports io.wireguardjava.uapi;
}
