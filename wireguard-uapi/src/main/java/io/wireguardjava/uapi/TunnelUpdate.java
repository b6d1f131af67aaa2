package io.wireguardjava.uapi;

import io.wireguardjava.Config;
import io.wireguardjava.Interface;
import io.wireguardjava.Tunnel;
import java.io.IOException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Carries out {@code set} requests on a {@link Tunnel}, one at a time: a request is computed from
 * the tunnel's configuration and applied before the next one reads it, so two clients cannot lose
 * each other's changes. Reads ({@code get}) never take this lock.
 *
 * <p>The only step that can fail (binding a new listen port, refusing a mark) comes first, so a
 * failure leaves the tunnel as it was; the peers then change in one {@link Tunnel#replacePeers}
 * call, which keeps the sessions of peers whose key stays.
 */
final class TunnelUpdate {
  private final Tunnel tunnel;
  private final ReentrantLock lock = new ReentrantLock();

  TunnelUpdate(Tunnel tunnel) {
    this.tunnel = tunnel;
  }

  /** Applies {@code request} whole, or throws with the errno to answer and changes nothing. */
  void apply(SetRequest request) throws UapiException {
    lock.lock();
    try {
      applyLocked(request);
    } catch (IllegalStateException e) {
      if (!tunnel.isClosed()) {
        throw e;
      }
      throw new UapiException(Errno.IO, "tunnel " + tunnel.name() + " is closed", e);
    } finally {
      lock.unlock();
    }
  }

  private void applyLocked(SetRequest request) throws UapiException {
    Config current = tunnel.config();
    Config next = request.applyTo(current);
    Interface now = current.iface();
    Interface then = next.iface();
    int port = then.listenPort().orElse(0);
    if (port != now.listenPort().orElse(0)) {
      try {
        tunnel.setListenPort(port);
      } catch (IOException e) {
        throw new UapiException(Errno.PORT_IN_USE, "failed to set listen_port " + port, e);
      }
    }
    int mark = then.fwMark().orElse(0);
    if (mark != now.fwMark().orElse(0)) {
      try {
        tunnel.setFwMark(mark);
      } catch (UnsupportedOperationException e) {
        // wireguard-go answers a mark its socket cannot take with the port-in-use errno
        throw new UapiException(Errno.PORT_IN_USE, "failed to set fwmark: " + e.getMessage(), e);
      }
    }
    if (then.privateKey().isPresent() && !then.privateKey().equals(now.privateKey())) {
      tunnel.setPrivateKey(then.privateKey().get());
    } else if (then.privateKey().isEmpty() && now.privateKey().isPresent()) {
      tunnel.clearPrivateKey(); // private_key=0000...: as wireguard-go, no identity
    }
    if (!next.peers().equals(current.peers())) {
      tunnel.replacePeers(next.peers());
    }
  }
}
