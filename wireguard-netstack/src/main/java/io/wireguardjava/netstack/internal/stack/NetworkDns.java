package io.wireguardjava.netstack.internal.stack;

import io.wireguardjava.netstack.internal.dns.DnsTransport;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/** DNS exchanges over the tunnel network: a fresh UDP endpoint per query, TCP on truncation. */
public final class NetworkDns implements DnsTransport {
  /** Opens a TCP connection through the tunnel network. */
  @FunctionalInterface
  public interface Connector {
    /**
     * Connects.
     *
     * @param to the server
     * @param timeoutNanos the connect timeout
     * @return the connected socket
     * @throws IOException when it fails
     */
    Socket connect(InetSocketAddress to, long timeoutNanos) throws IOException;
  }

  private static final int MAX_TCP_ANSWER = 65535;
  private final Stack stack;
  private final Connector tcp;

  /**
   * Creates the transport.
   *
   * @param stack the stack for UDP
   * @param tcp how to open TCP connections
   */
  public NetworkDns(Stack stack, Connector tcp) {
    this.stack = stack;
    this.tcp = tcp;
  }

  @Override
  public byte[] exchangeUdp(InetSocketAddress server, byte[] query, long timeoutNanos)
      throws IOException {
    UdpEndpoint ep = stack.bindUdp(0);
    try {
      ep.connect(server); // answers from elsewhere are ignored; port unreachable surfaces
      ep.send(ByteBuffer.wrap(query), null);
      long deadline = System.nanoTime() + timeoutNanos;
      ByteBuffer buf = ByteBuffer.allocate(MAX_TCP_ANSWER);
      while (true) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new SocketTimeoutException(
              "no DNS answer from "
                  + server
                  + " within "
                  + TimeUnit.NANOSECONDS.toMillis(timeoutNanos)
                  + " ms");
        }
        buf.clear();
        ep.receive(buf, left);
        if (buf.position() >= 2 && buf.get(0) == query[0] && buf.get(1) == query[1]) {
          byte[] r = new byte[buf.position()];
          buf.flip();
          buf.get(r);
          return r;
        }
      }
    } finally {
      ep.close();
    }
  }

  @Override
  public byte[] exchangeTcp(InetSocketAddress server, byte[] query, long timeoutNanos)
      throws IOException {
    try (Socket s = tcp.connect(server, timeoutNanos)) {
      s.setSoTimeout((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeoutNanos)));
      OutputStream out = s.getOutputStream();
      byte[] framed = new byte[2 + query.length];
      framed[0] = (byte) (query.length >>> 8);
      framed[1] = (byte) query.length;
      System.arraycopy(query, 0, framed, 2, query.length);
      out.write(framed);
      out.flush();
      DataInputStream in = new DataInputStream(s.getInputStream());
      int length = in.readUnsignedShort();
      byte[] r = new byte[length];
      in.readFully(r);
      return r;
    } catch (EOFException e) {
      throw new IOException(
          "DNS server " + server + " closed the TCP connection before answering", e);
    }
  }
}
