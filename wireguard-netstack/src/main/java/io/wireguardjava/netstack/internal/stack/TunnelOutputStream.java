package io.wireguardjava.netstack.internal.stack;

import io.wireguardjava.netstack.internal.tcp.TcpSocket;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/** A socket's output: writes block while the TCP send buffer is full; nothing is buffered here. */
final class TunnelOutputStream extends OutputStream {
  private final TcpSocket socket;
  private final TunnelSocketImpl impl;
  private volatile boolean closed;

  TunnelOutputStream(TcpSocket socket, TunnelSocketImpl impl) {
    this.socket = socket;
    this.impl = impl;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (closed) {
      throw new java.net.SocketException("Socket closed");
    }
    socket.write(b, off, len);
  }

  @Override
  public void close() throws IOException {
    closed = true;
    impl.close();
  }
}
