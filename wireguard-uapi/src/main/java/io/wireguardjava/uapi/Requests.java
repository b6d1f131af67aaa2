package io.wireguardjava.uapi;

import io.wireguardjava.Tunnel;
import java.io.IOException;
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

  /**
   * Writes the whole reply to a get, its errno line included; a tunnel that fails to answer gives
   * {@code errno=-5}. The state is read first, then streamed: nothing is held while writing.
   */
  void get(ReplyWriter out) throws IOException {
    GetReply.Snapshot snapshot;
    try {
      snapshot = GetReply.Snapshot.of(tunnel);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "UAPI get on " + tunnel.name() + " failed", e);
      out.text("errno=" + Errno.IO + "\n\n").flush();
      return;
    }
    GetReply.write(snapshot, out);
    out.text("errno=0\n\n").flush();
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
