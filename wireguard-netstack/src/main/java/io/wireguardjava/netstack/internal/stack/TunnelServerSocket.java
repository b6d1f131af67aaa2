package io.wireguardjava.netstack.internal.stack;

import io.wireguardjava.netstack.internal.tcp.TcpListener;
import io.wireguardjava.netstack.internal.tcp.TcpSocket;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketImpl;
import java.net.SocketOptions;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ServerSocket} listening on the tunnel network. {@code bind} (done by {@code
 * TunnelNetwork.listen}) opens the TCP layer's listener; {@link #accept} returns {@link
 * TunnelSocket}s; {@code setSoTimeout}, {@code close} and the address getters are inherited.
 */
public final class TunnelServerSocket extends ServerSocket {
  private final ListenerImpl impl;

  /**
   * Creates the socket and listens.
   *
   * @param context the network
   * @param local the address (wildcard or one of ours) and port (0: ephemeral)
   * @param backlog the accept queue bound
   * @throws IOException when the address is taken or not ours
   */
  public TunnelServerSocket(SocketContext context, InetSocketAddress local, int backlog)
      throws IOException {
    this(new ListenerImpl(context));
    bind(local, backlog);
  }

  private TunnelServerSocket(ListenerImpl impl) throws IOException {
    super(impl);
    this.impl = impl;
  }

  @Override
  public Socket accept() throws IOException {
    if (isClosed()) {
      throw new SocketException("Socket is closed");
    }
    TcpListener l = impl.listener;
    if (l == null) {
      throw new SocketException("Socket is not bound yet");
    }
    TcpSocket s = l.accept(TimeUnit.MILLISECONDS.toNanos(impl.timeoutMillis));
    try {
      return TunnelSocket.accepted(impl.context, s);
    } catch (IOException | RuntimeException e) {
      s.abort();
      throw e;
    }
  }

  @Override
  public String toString() {
    return "TunnelServerSocket[" + getLocalSocketAddress() + (isClosed() ? ", closed]" : "]");
  }

  /** The listener behind the server socket; only what {@code ServerSocket} calls is supported. */
  static final class ListenerImpl extends SocketImpl {
    final SocketContext context;
    volatile @Nullable TcpListener listener;
    volatile int timeoutMillis;
    private @Nullable InetSocketAddress requested;
    private int receiveBuffer;

    ListenerImpl(SocketContext context) {
      this.context = context;
    }

    @Override
    protected void create(boolean stream) throws IOException {
      if (!stream) {
        throw new SocketException("a tunnel ServerSocket is TCP");
      }
    }

    @Override
    protected void bind(InetAddress host, int port) throws IOException {
      if (!host.isAnyLocalAddress() && !context.addresses().contains(host)) {
        throw new java.net.BindException(
            "Cannot assign requested address: "
                + host.getHostAddress()
                + " is not a tunnel interface address");
      }
      requested = new InetSocketAddress(host, port);
    }

    @Override
    protected void listen(int backlog) throws IOException {
      InetSocketAddress r = requested;
      if (r == null) {
        throw new SocketException("Socket is not bound yet");
      }
      TcpListener l = context.tcp().listen(r, backlog);
      listener = l;
      address = l.localAddress().getAddress();
      localport = l.localAddress().getPort();
    }

    @Override
    protected void close() throws IOException {
      TcpListener l = listener;
      if (l != null) {
        l.close();
      }
    }

    @Override
    public void setOption(int optID, Object value) throws SocketException {
      if (optID == SocketOptions.SO_TIMEOUT) {
        timeoutMillis = (Integer) value;
      } else if (optID == SocketOptions.SO_RCVBUF) {
        receiveBuffer = (Integer) value; // accepted sockets get the layer's defaults
      } else if (optID != SocketOptions.SO_REUSEADDR) {
        throw new SocketException("Option " + optID + " is not supported on a tunnel ServerSocket");
      }
    }

    @Override
    public Object getOption(int optID) throws SocketException {
      switch (optID) {
        case SocketOptions.SO_TIMEOUT:
          return timeoutMillis;
        case SocketOptions.SO_REUSEADDR:
          return Boolean.TRUE;
        case SocketOptions.SO_RCVBUF:
          return receiveBuffer > 0
              ? receiveBuffer
              : context.tcp().settings().initialReceiveBuffer();
        case SocketOptions.SO_BINDADDR:
          return address;
        default:
          throw new SocketException(
              "Option " + optID + " is not supported on a tunnel ServerSocket");
      }
    }

    @Override
    protected void connect(String host, int port) throws IOException {
      throw new SocketException("connect on a ServerSocket");
    }

    @Override
    protected void connect(InetAddress address, int port) throws IOException {
      throw new SocketException("connect on a ServerSocket");
    }

    @Override
    protected void connect(SocketAddress address, int timeout) throws IOException {
      throw new SocketException("connect on a ServerSocket");
    }

    @Override
    protected void accept(SocketImpl s) throws IOException {
      throw new SocketException("accept goes through TunnelServerSocket.accept");
    }

    @Override
    protected InputStream getInputStream() throws IOException {
      throw new SocketException("a ServerSocket has no input stream");
    }

    @Override
    protected OutputStream getOutputStream() throws IOException {
      throw new SocketException("a ServerSocket has no output stream");
    }

    @Override
    protected int available() {
      return 0;
    }

    @Override
    protected void sendUrgentData(int data) throws IOException {
      throw new SocketException("urgent data on a ServerSocket");
    }

    @Override
    protected FileDescriptor getFileDescriptor() {
      return new FileDescriptor();
    }
  }
}
