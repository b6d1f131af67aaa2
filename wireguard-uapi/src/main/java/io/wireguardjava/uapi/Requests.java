package io.wireguardjava.uapi;

import io.wireguardjava.Tunnel;
import java.lang.System.Logger.Level;

/**
 * What a {@code get} and a {@code set} do to the tunnel, once the request has been read whole: a
 * get writes the tunnel's state, a set applies all or nothing and gives the errno to answer.
 */
final class Requests {
  private static final System.Logger LOG = System.getLogger(UapiServer.class.getName());

  private final Tunnel tunnel;
  private final TunnelUpdate update;

  Requests(Tunnel tunnel) {
    this.tunnel = tunnel;
    this.update = new TunnelUpdate(tunnel);
  }

  /** The whole reply to a get; a tunnel that fails to answer gives {@code errno=-5}. */
  String get() {
    try {
      StringBuilder sb = new StringBuilder(4096);
      GetReply.write(tunnel, sb);
      return sb.append("errno=0\n\n").toString();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "UAPI get on " + tunnel.name() + " failed", e);
      return "errno=" + Errno.IO + "\n\n";
    }
  }

  /** Applies a parsed set; the errno to answer. */
  int set(SetRequest request) {
    try {
      update.apply(request);
      return Errno.OK;
    } catch (UapiException e) {
      LOG.log(Level.DEBUG, "UAPI set on {0} failed: {1}", tunnel.name(), e.getMessage());
      return e.errno();
    } catch (IllegalArgumentException e) {
      LOG.log(Level.WARNING, "UAPI set on " + tunnel.name() + " refused by the tunnel", e);
      return Errno.INVALID;
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "UAPI set on " + tunnel.name() + " failed", e);
      return Errno.IO;
    }
  }

  String name() {
    return tunnel.name();
  }
}
