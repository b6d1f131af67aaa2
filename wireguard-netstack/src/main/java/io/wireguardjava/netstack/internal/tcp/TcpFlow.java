package io.wireguardjava.netstack.internal.tcp;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Objects;

/**
 * The immutable 4-tuple of one connection, created once per connection and reused for every
 * segment. Keeps the raw address bytes so that demultiplexing compares packet bytes in place.
 */
public final class TcpFlow {
  private final InetSocketAddress local;
  private final InetSocketAddress remote;
  private final byte[] localBytes;
  private final byte[] remoteBytes;
  private final int hash;

  /**
   * Creates a flow from resolved socket addresses of the same family.
   *
   * @param local our address and port (not a wildcard)
   * @param remote the peer's address and port
   * @throws IllegalArgumentException if unresolved, of different families, or port 0
   */
  public TcpFlow(InetSocketAddress local, InetSocketAddress remote) {
    Objects.requireNonNull(local, "local");
    Objects.requireNonNull(remote, "remote");
    if (local.isUnresolved() || remote.isUnresolved()) {
      throw new IllegalArgumentException(
          "flow addresses must be resolved: " + local + " -> " + remote);
    }
    if ((local.getAddress() instanceof Inet6Address)
        != (remote.getAddress() instanceof Inet6Address)) {
      throw new IllegalArgumentException("flow mixes IPv4 and IPv6: " + local + " -> " + remote);
    }
    if (local.getPort() == 0 || remote.getPort() == 0) {
      throw new IllegalArgumentException("flow port 0: " + local + " -> " + remote);
    }
    this.local = local;
    this.remote = remote;
    this.localBytes = local.getAddress().getAddress();
    this.remoteBytes = remote.getAddress().getAddress();
    this.hash =
        hash(remoteBytes, 0, localBytes, 0, localBytes.length, remote.getPort(), local.getPort());
  }

  /** Builds a flow from packet bytes (a received segment: its destination is our side). */
  static TcpFlow fromPacket(
      byte[] p, int srcOff, int dstOff, int addrLen, int srcPort, int dstPort) {
    try {
      InetAddress src = InetAddress.getByAddress(Arrays.copyOfRange(p, srcOff, srcOff + addrLen));
      InetAddress dst = InetAddress.getByAddress(Arrays.copyOfRange(p, dstOff, dstOff + addrLen));
      return new TcpFlow(new InetSocketAddress(dst, dstPort), new InetSocketAddress(src, srcPort));
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("address length " + addrLen, e);
    }
  }

  /**
   * The local address and port.
   *
   * @return our side of the connection
   */
  public InetSocketAddress local() {
    return local;
  }

  /**
   * The remote address and port.
   *
   * @return the peer's side of the connection
   */
  public InetSocketAddress remote() {
    return remote;
  }

  /**
   * Whether the flow is IPv6.
   *
   * @return true for IPv6, false for IPv4
   */
  public boolean ipv6() {
    return localBytes.length == 16;
  }

  int localPort() {
    return local.getPort();
  }

  int remotePort() {
    return remote.getPort();
  }

  /** Raw local address; callers must not modify it. */
  byte[] localBytes() {
    return localBytes;
  }

  /** Raw remote address; callers must not modify it. */
  byte[] remoteBytes() {
    return remoteBytes;
  }

  int demuxHash() {
    return hash;
  }

  /** True if a received segment with these packet bytes belongs to this flow. */
  boolean matches(byte[] p, int srcOff, int dstOff, int addrLen, int srcPort, int dstPort) {
    return srcPort == remote.getPort()
        && dstPort == local.getPort()
        && addrLen == localBytes.length
        && Arrays.equals(p, srcOff, srcOff + addrLen, remoteBytes, 0, addrLen)
        && Arrays.equals(p, dstOff, dstOff + addrLen, localBytes, 0, addrLen);
  }

  /** The demultiplexing hash, computed from packet bytes without allocating. */
  static int hash(
      byte[] remote,
      int remoteOff,
      byte[] localAddr,
      int localOff,
      int addrLen,
      int remotePort,
      int localPort) {
    int h = remotePort * 31 + localPort;
    for (int i = 0; i < addrLen; i++) {
      h = h * 31 + remote[remoteOff + i];
      h = h * 17 + localAddr[localOff + i];
    }
    return h ^ (h >>> 16);
  }

  static boolean isIpv4(InetAddress a) {
    return a instanceof Inet4Address;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TcpFlow f && local.equals(f.local) && remote.equals(f.remote);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return local + " -> " + remote;
  }
}
