package io.wireguardjava.netstack;

import io.wireguardjava.netstack.internal.stack.UdpEndpoint;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A UDP socket on the tunnel network, bound to one port on all of the interface's addresses.
 * Obtained from {@link TunnelNetwork#openDatagram(int)}.
 *
 * <p>Every method is thread-safe; {@link #receive} blocks (on a lock condition, so virtual threads
 * do not pin their carrier). Datagrams that arrive while {@value
 * io.wireguardjava.netstack.internal.stack.Stack#UDP_QUEUE_LENGTH} are already waiting are dropped,
 * as a full kernel receive buffer drops them. When connected, only datagrams from the peer are
 * received, and an ICMP port unreachable from the peer makes the next {@link #send(ByteBuffer)} or
 * {@link #receive} throw {@link java.net.PortUnreachableException}.
 */
public final class TunnelDatagramSocket implements AutoCloseable {
  private final UdpEndpoint endpoint;
  private final InetSocketAddress local;
  private volatile long timeoutNanos;

  TunnelDatagramSocket(UdpEndpoint endpoint, InetSocketAddress local) {
    this.endpoint = endpoint;
    this.local = local;
  }

  /**
   * Sends one datagram; its payload is {@code data} from position to limit, which this consumes.
   * The caller keeps ownership of {@code data}: the bytes are copied before this returns.
   *
   * @param data the payload
   * @param to the destination (a resolved address)
   * @throws java.net.SocketException when closed, or the payload exceeds what one packet at the
   *     tunnel's MTU can carry, or the path MTU to {@code to} that an ICMP "packet too big"
   *     reported in the last 10 minutes ("Message too long", naming that MTU)
   * @throws java.net.NoRouteToHostException when the interface has no address of that family
   * @throws java.net.UnknownHostException when {@code to} is unresolved
   * @throws IOException on other failures
   */
  public void send(ByteBuffer data, InetSocketAddress to) throws IOException {
    endpoint.send(Objects.requireNonNull(data, "data"), Objects.requireNonNull(to, "to"));
  }

  /**
   * Sends one datagram to the connected peer.
   *
   * @param data the payload, from position to limit (consumed)
   * @throws java.net.PortUnreachableException when the peer answered an earlier datagram with ICMP
   *     port unreachable
   * @throws java.net.SocketException when not connected or closed, or the payload is too large for
   *     the tunnel's MTU or the reported path MTU (as {@link #send(ByteBuffer, InetSocketAddress)})
   * @throws IOException on other failures
   */
  public void send(ByteBuffer data) throws IOException {
    endpoint.send(Objects.requireNonNull(data, "data"), null);
  }

  /**
   * Waits for a datagram and copies its payload into {@code dst} from its position; what does not
   * fit is discarded.
   *
   * @param dst where the payload goes (the caller owns it)
   * @return the sender's address and port
   * @throws java.net.SocketTimeoutException when the {@link #setSoTimeout} timeout passed
   * @throws java.net.PortUnreachableException on a connected socket after ICMP port unreachable
   * @throws java.net.SocketException when the socket is closed, before or while waiting
   * @throws IOException on other failures
   */
  public InetSocketAddress receive(ByteBuffer dst) throws IOException {
    return endpoint.receive(Objects.requireNonNull(dst, "dst"), timeoutNanos);
  }

  /**
   * Sets how long {@link #receive} waits; {@link Duration#ZERO} (the default) waits forever.
   *
   * @param timeout the timeout
   * @throws IllegalArgumentException when negative
   */
  public void setSoTimeout(Duration timeout) {
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("negative timeout: " + timeout);
    }
    timeoutNanos = timeout.toNanos();
  }

  /**
   * The receive timeout.
   *
   * @return the timeout; zero means none
   */
  public Duration getSoTimeout() {
    return Duration.ofNanos(timeoutNanos);
  }

  /**
   * Connects to a peer: {@link #send(ByteBuffer)} goes there, and only its datagrams are received.
   *
   * @param peer the peer (a resolved address)
   * @throws IllegalArgumentException when {@code peer} is unresolved
   */
  public void connect(InetSocketAddress peer) {
    if (peer.isUnresolved()) {
      throw new IllegalArgumentException("cannot connect to an unresolved address: " + peer);
    }
    endpoint.connect(peer);
  }

  /** Removes the connection: datagrams from anyone are received again. */
  public void disconnect() {
    endpoint.disconnect();
  }

  /**
   * The connected peer.
   *
   * @return the peer, or empty when not connected
   */
  public Optional<InetSocketAddress> remoteAddress() {
    return Optional.ofNullable(endpoint.peer());
  }

  /**
   * The local address: the wildcard address (the socket receives on every interface address) and
   * the bound port.
   *
   * @return the local socket address
   */
  public InetSocketAddress localAddress() {
    return local;
  }

  /**
   * Whether {@link #close} was called, or the network closed.
   *
   * @return whether closed
   */
  public boolean isClosed() {
    return endpoint.isClosed();
  }

  /** Releases the port; a thread blocked in {@link #receive} gets a {@code SocketException}. */
  @Override
  public void close() {
    endpoint.close();
  }

  @Override
  public String toString() {
    return "TunnelDatagramSocket["
        + local
        + (endpoint.peer() == null ? "" : " -> " + endpoint.peer())
        + "]";
  }
}
