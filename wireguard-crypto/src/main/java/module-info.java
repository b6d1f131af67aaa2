/**
 * The WireGuard protocol without I/O (Noise IKpsk2, messages, cookies, keypairs, replay window,
 * primitives). An implementation module of the engine: nothing here is application API, so the
 * package is exported to the engine only.
 */
@SuppressWarnings("module") // the engine module is compiled after this one
module io.wireguardjava.crypto {
  requires io.wireguardjava;
  requires org.bouncycastle.provider;
  requires transitive org.jspecify;

  exports io.wireguardjava.crypto to
      io.wireguardjava.core;
}
