package io.wireguardjava.netstack.internal.stack;

import io.wireguardjava.netstack.internal.tcp.TcpSocket;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/** A socket's input: blocking reads from the TCP handle, with the socket's current timeout. */
final class TunnelInputStream extends InputStream {
  private final TcpSocket socket;
  private final TunnelSocketImpl impl;
  private volatile boolean closed;

  TunnelInputStream(TcpSocket socket, TunnelSocketImpl impl) {
    this.socket = socket;
    this.impl = impl;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (closed) {
      throw new java.net.SocketException("Socket closed");
    }
    return socket.read(b, off, len, impl.readTimeoutNanos());
  }

  @Override
  public int available() throws IOException {
    return closed ? 0 : socket.available();
  }

  @Override
  public void close() throws IOException {
    closed = true;
    impl.close(); // as for a kernel socket: closing either stream closes the socket
  }
}
