package io.wireguardjava.netstack.proxy;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;

/** Small socket helpers shared by the proxies. */
final class Sockets {
  private Sockets() {}

  /** Closes, ignoring errors: used on paths that are already failing. */
  static void closeQuietly(Closeable c) {
    try {
      c.close();
    } catch (IOException e) {
      // already closed or reset: nothing more to release
    }
  }

  /** Closes with a reset (SO_LINGER 0), as a reset from the other side is passed on. */
  static void abort(Socket s) {
    try {
      s.setSoLinger(true, 0);
    } catch (SocketException e) {
      // already closed: the close below is a no-op
    }
    closeQuietly(s);
  }

  /** Stops sending (FIN) after the other side's FIN, ignoring a socket that is gone. */
  static void shutdownOutput(Socket s) {
    try {
      s.shutdownOutput();
    } catch (IOException e) {
      // reset or closed: the other direction will find out
    }
  }

  /** The remote address and port of a connected socket, for messages. */
  static String remote(Socket s) {
    return format(new InetSocketAddress(s.getInetAddress(), s.getPort()));
  }

  /** {@code host:port}, {@code [v6]:port}. */
  static String format(InetSocketAddress a) {
    String host = a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
  }
}
