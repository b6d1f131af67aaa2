package io.wireguardjava.netstack.internal.stack;

import io.wireguardjava.netstack.internal.tcp.TcpSocket;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketImpl;
import java.net.SocketOption;
import java.net.SocketOptions;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The {@link SocketImpl} behind {@link TunnelSocket}: a client socket over a {@link TcpSocket}.
 * {@code java.net.Socket} calls these methods; they map its options (timeout, no-delay, keepalive,
 * buffer sizes, linger) onto the TCP layer's handle. Options set before connecting are applied when
 * the connection is made.
 */
final class TunnelSocketImpl extends SocketImpl {
  private static final Set<SocketOption<?>> OPTIONS =
      Set.of(
          StandardSocketOptions.TCP_NODELAY,
          StandardSocketOptions.SO_KEEPALIVE,
          StandardSocketOptions.SO_RCVBUF,
          StandardSocketOptions.SO_SNDBUF,
          StandardSocketOptions.SO_LINGER,
          StandardSocketOptions.SO_REUSEADDR,
          StandardSocketOptions.IP_TOS);

  private final SocketContext context;
  private volatile @Nullable TcpSocket handle;
  private @Nullable InetSocketAddress bindpoint;
  private volatile int timeoutMillis;
  private volatile int lingerSeconds = -1;
  private boolean noDelay;
  private boolean keepAlive;
  private int receiveBuffer;
  private int sendBuffer;
  private int tos;
  private boolean reuseAddress;
  private @Nullable InputStream in;
  private @Nullable OutputStream out;

  TunnelSocketImpl(SocketContext context) {
    this.context = context;
  }

  /** An impl around a connection a listener accepted; {@code connect} then only records it. */
  TunnelSocketImpl(SocketContext context, TcpSocket accepted) {
    this.context = context;
    this.handle = accepted;
  }

  @Override
  protected void create(boolean stream) throws IOException {
    if (!stream) {
      throw new SocketException(
          "a tunnel Socket is a TCP socket: use TunnelNetwork.openDatagram for UDP");
    }
  }

  @Override
  protected void connect(String host, int port) throws IOException {
    connect(new InetSocketAddress(host, port), 0);
  }

  @Override
  protected void connect(InetAddress address, int port) throws IOException {
    connect(new InetSocketAddress(address, port), 0);
  }

  @Override
  protected void connect(SocketAddress endpoint, int timeout) throws IOException {
    TcpSocket accepted = handle;
    if (accepted != null) {
      record(accepted);
      return;
    }
    if (!(endpoint instanceof InetSocketAddress)) {
      throw new IllegalArgumentException("Unsupported address type: " + endpoint);
    }
    InetSocketAddress to = (InetSocketAddress) endpoint;
    List<InetAddress> candidates =
        to.isUnresolved()
            ? context.resolver().resolve(to.getHostString())
            : List.of(to.getAddress());
    long deadline = timeout == 0 ? 0 : System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeout);
    IOException failure = null;
    for (InetAddress address : candidates) {
      long left = deadline == 0 ? 0 : deadline - System.nanoTime();
      if (deadline != 0 && left <= 0) {
        break;
      }
      try {
        connectOnce(new InetSocketAddress(address, to.getPort()), left);
        return;
      } catch (IOException e) {
        failure = e;
      }
    }
    if (failure == null) {
      throw new java.net.SocketTimeoutException("Connect timed out");
    }
    throw failure;
  }

  private void connectOnce(InetSocketAddress to, long timeoutNanos) throws IOException {
    InetSocketAddress bind = bindpoint;
    InetAddress local =
        bind == null || bind.getAddress().isAnyLocalAddress()
            ? context.addresses().localFor(to.getAddress())
            : bind.getAddress();
    TcpSocket s =
        context.tcp().connect(new InetSocketAddress(local, bind == null ? 0 : bind.getPort()), to);
    applyOptions(s);
    try {
      s.awaitConnected(timeoutNanos);
    } catch (IOException e) {
      s.abort();
      throw e;
    }
    handle = s;
    record(s);
  }

  private void applyOptions(TcpSocket s) {
    s.setNoDelay(noDelay);
    s.setKeepAlive(keepAlive);
    if (receiveBuffer > 0) {
      s.setReceiveBufferSize(receiveBuffer);
    }
    if (sendBuffer > 0) {
      s.setSendBufferSize(sendBuffer);
    }
  }

  private void record(TcpSocket s) {
    address = s.remoteAddress().getAddress();
    port = s.remoteAddress().getPort();
    localport = s.localAddress().getPort();
  }

  @Override
  protected void bind(InetAddress host, int port) throws IOException {
    if (!host.isAnyLocalAddress() && !context.addresses().contains(host)) {
      throw new java.net.BindException(
          "Cannot assign requested address: "
              + host.getHostAddress()
              + " is not a tunnel interface address");
    }
    bindpoint = new InetSocketAddress(host, port);
    localport = port;
  }

  @Override
  protected void listen(int backlog) throws IOException {
    throw new SocketException("listen on a client socket: use TunnelNetwork.listen");
  }

  @Override
  protected void accept(SocketImpl s) throws IOException {
    throw new SocketException("accept on a client socket: use TunnelNetwork.listen");
  }

  private TcpSocket connected() throws SocketException {
    TcpSocket s = handle;
    if (s == null) {
      throw new SocketException("Socket is not connected");
    }
    return s;
  }

  @Override
  protected synchronized InputStream getInputStream() throws IOException {
    TcpSocket s = connected();
    if (in == null) {
      in = new TunnelInputStream(s, this);
    }
    return in;
  }

  @Override
  protected synchronized OutputStream getOutputStream() throws IOException {
    TcpSocket s = connected();
    if (out == null) {
      out = new TunnelOutputStream(s, this);
    }
    return out;
  }

  /** The read timeout in nanoseconds (0 = none), read by the input stream on each read. */
  long readTimeoutNanos() {
    return TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
  }

  @Override
  protected int available() throws IOException {
    TcpSocket s = handle;
    return s == null ? 0 : s.available();
  }

  @Override
  protected void close() throws IOException {
    TcpSocket s = handle;
    if (s != null) {
      if (lingerSeconds == 0) {
        s.abort();
      } else {
        s.close();
      }
    }
  }

  @Override
  protected void shutdownInput() throws IOException {
    connected().shutdownInput();
  }

  @Override
  protected void shutdownOutput() throws IOException {
    connected().shutdownOutput();
  }

  @Override
  protected boolean supportsUrgentData() {
    return false;
  }

  @Override
  protected void sendUrgentData(int data) throws IOException {
    throw new SocketException("Urgent data is not supported by the tunnel network");
  }

  @Override
  protected FileDescriptor getFileDescriptor() {
    return new FileDescriptor(); // there is none: the socket lives in the JVM
  }

  // ---------------------------------------------------------------- options, old style

  @Override
  public void setOption(int optID, Object value) throws SocketException {
    TcpSocket s = handle;
    switch (optID) {
      case SocketOptions.SO_TIMEOUT:
        int t = (Integer) value;
        if (t < 0) {
          throw new IllegalArgumentException("timeout < 0");
        }
        timeoutMillis = t;
        break;
      case SocketOptions.TCP_NODELAY:
        noDelay = (Boolean) value;
        if (s != null) {
          s.setNoDelay(noDelay);
        }
        break;
      case SocketOptions.SO_KEEPALIVE:
        keepAlive = (Boolean) value;
        if (s != null) {
          s.setKeepAlive(keepAlive);
        }
        break;
      case SocketOptions.SO_RCVBUF:
        receiveBuffer = positive((Integer) value, "SO_RCVBUF");
        if (s != null) {
          s.setReceiveBufferSize(receiveBuffer);
        }
        break;
      case SocketOptions.SO_SNDBUF:
        sendBuffer = positive((Integer) value, "SO_SNDBUF");
        if (s != null) {
          s.setSendBufferSize(sendBuffer);
        }
        break;
      case SocketOptions.SO_LINGER:
        lingerSeconds = value instanceof Boolean ? -1 : (Integer) value;
        break;
      case SocketOptions.SO_REUSEADDR:
        reuseAddress = (Boolean) value;
        break;
      case SocketOptions.IP_TOS:
        tos = (Integer) value;
        break;
      case SocketOptions.SO_OOBINLINE:
        if ((Boolean) value) {
          throw new SocketException("SO_OOBINLINE is not supported by the tunnel network");
        }
        break;
      default:
        throw new SocketException("Option " + optID + " is not supported by the tunnel network");
    }
  }

  private static int positive(int v, String name) {
    if (v <= 0) {
      throw new IllegalArgumentException(name + " must be positive: " + v);
    }
    return v;
  }

  @Override
  public Object getOption(int optID) throws SocketException {
    TcpSocket s = handle;
    switch (optID) {
      case SocketOptions.SO_TIMEOUT:
        return timeoutMillis;
      case SocketOptions.TCP_NODELAY:
        return s != null ? s.noDelay() : noDelay;
      case SocketOptions.SO_KEEPALIVE:
        return s != null ? s.keepAlive() : keepAlive;
      case SocketOptions.SO_RCVBUF:
        return s != null
            ? s.receiveBufferSize()
            : receiveBuffer > 0 ? receiveBuffer : context.tcp().settings().initialReceiveBuffer();
      case SocketOptions.SO_SNDBUF:
        return s != null
            ? s.sendBufferSize()
            : sendBuffer > 0 ? sendBuffer : context.tcp().settings().initialSendBuffer();
      case SocketOptions.SO_LINGER:
        return lingerSeconds < 0 ? (Object) Boolean.FALSE : (Object) lingerSeconds;
      case SocketOptions.SO_REUSEADDR:
        return reuseAddress;
      case SocketOptions.IP_TOS:
        return tos;
      case SocketOptions.SO_OOBINLINE:
        return Boolean.FALSE;
      case SocketOptions.SO_BINDADDR:
        if (s != null) {
          return s.localAddress().getAddress();
        }
        InetSocketAddress b = bindpoint;
        return b != null ? b.getAddress() : anyLocal();
      default:
        throw new SocketException("Option " + optID + " is not supported by the tunnel network");
    }
  }

  private static InetAddress anyLocal() {
    try {
      return InetAddress.getByAddress(new byte[4]);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  // ---------------------------------------------------------------- options, SocketOption style

  @Override
  protected Set<SocketOption<?>> supportedOptions() {
    return OPTIONS;
  }

  @Override
  protected <T> void setOption(SocketOption<T> name, T value) throws IOException {
    setOption(
        idOf(name),
        name == StandardSocketOptions.SO_LINGER && ((Integer) value) < 0 ? Boolean.FALSE : value);
  }

  @Override
  @SuppressWarnings("unchecked")
  protected <T> T getOption(SocketOption<T> name) throws IOException {
    Object v = getOption(idOf(name));
    if (name == StandardSocketOptions.SO_LINGER && v instanceof Boolean) {
      v = -1;
    }
    return (T) v;
  }

  private static int idOf(SocketOption<?> name) {
    if (name == StandardSocketOptions.TCP_NODELAY) {
      return SocketOptions.TCP_NODELAY;
    } else if (name == StandardSocketOptions.SO_KEEPALIVE) {
      return SocketOptions.SO_KEEPALIVE;
    } else if (name == StandardSocketOptions.SO_RCVBUF) {
      return SocketOptions.SO_RCVBUF;
    } else if (name == StandardSocketOptions.SO_SNDBUF) {
      return SocketOptions.SO_SNDBUF;
    } else if (name == StandardSocketOptions.SO_LINGER) {
      return SocketOptions.SO_LINGER;
    } else if (name == StandardSocketOptions.SO_REUSEADDR) {
      return SocketOptions.SO_REUSEADDR;
    } else if (name == StandardSocketOptions.IP_TOS) {
      return SocketOptions.IP_TOS;
    }
    throw new UnsupportedOperationException(
        "'" + name + "' is not supported by the tunnel network");
  }
}
