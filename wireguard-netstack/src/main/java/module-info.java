/**
 * A userspace TCP/IP stack over an in-process tunnel: {@link
 * io.wireguardjava.netstack.TunnelNetwork} gives {@code java.net} sockets, UDP, DNS and ping
 * without root; {@code io.wireguardjava.netstack.proxy} serves SOCKS5, HTTP and port forwards
 * through it. The {@code internal} packages are not exported.
 */
module io.wireguardjava.netstack {
  requires transitive io.wireguardjava;
  requires transitive org.jspecify;

  exports io.wireguardjava.netstack;
  exports io.wireguardjava.netstack.proxy;
}
