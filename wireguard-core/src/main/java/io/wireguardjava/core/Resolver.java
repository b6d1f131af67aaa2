package io.wireguardjava.core;

import io.wireguardjava.Endpoint;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Turns a peer's configured endpoint into a socket address; the engine calls it on the handshake
 * thread when a host-name endpoint is first needed and again after {@link
 * Limits#RERESOLVE_AFTER_ATTEMPTS} failed handshake attempts. A seam for tests, which resolve host
 * names without DNS.
 */
interface Resolver {
  /** The system resolver: {@link Endpoint#resolve()}, anew on each call. */
  Resolver SYSTEM = Endpoint::resolve;

  /**
   * Resolves {@code endpoint} now.
   *
   * @throws UnknownHostException if the name does not resolve
   */
  InetSocketAddress resolve(Endpoint endpoint) throws UnknownHostException;
}
