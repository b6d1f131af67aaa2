/** A consumer of wireguard-java on the module path. */
module example.consumer {
  requires io.wireguardjava;
  requires io.wireguardjava.tun.linux;
}
