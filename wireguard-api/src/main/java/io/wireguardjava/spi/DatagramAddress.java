package io.wireguardjava.spi;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A UDP peer address, and optionally the local address on our side of the conversation: where a
 * received datagram arrived, and so where a reply must leave from (a multi-homed host answers from
 * the address the peer wrote to, as wireguard-go's sticky source does).
 *
 * <p>Mutable, so that a transport fills preallocated holders without allocating per datagram.
 * Ownership: a holder inside a {@link DatagramBatch} belongs to the batch and is overwritten by the
 * next receive; to keep an address, {@link #copy()} it. An engine that publishes a copy to other
 * threads (a peer's endpoint) must not change it afterwards: treat published holders as frozen. Not
 * thread-safe. Addresses are kept in IPv6 form (IPv4 as IPv4-mapped), so comparing two holders
 * ({@link #sameAs}) is a byte comparison.
 */
public final class DatagramAddress {
  private static final byte[] MAPPED_PREFIX = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff
  };

  private final byte[] remote = new byte[16];
  private int remotePort;
  private final byte[] local = new byte[16];
  private boolean hasLocal;
  private int localInterface;

  /** The last {@link #toInetSocketAddress()} answer, dropped when the remote side changes. */
  private @Nullable InetSocketAddress cached;

  /** An empty holder: remote {@code [::]:0}, no local address. */
  public DatagramAddress() {}

  /**
   * A holder for {@code remote}, without a local address.
   *
   * @param remote the peer's address and port; must be resolved
   * @return a new holder
   * @throws IllegalArgumentException when {@code remote} is unresolved
   */
  public static DatagramAddress of(InetSocketAddress remote) {
    DatagramAddress a = new DatagramAddress();
    a.setRemote(remote);
    return a;
  }

  /**
   * Sets the remote side to {@code address}; clears the local address.
   *
   * @param address the peer's address and port; must be resolved
   * @throws IllegalArgumentException when {@code address} is unresolved
   */
  public void setRemote(InetSocketAddress address) {
    if (address != cached) { // the JDK hands back the same instance for a repeated sender
      InetAddress ip = address.getAddress();
      if (ip == null) {
        throw new IllegalArgumentException("unresolved UDP address " + address.getHostString());
      }
      byte[] b = ip.getAddress();
      setRemote(b, 0, b.length, address.getPort());
      cached = address;
    }
    clearLocal();
  }

  /**
   * Sets the remote side from raw bytes, as a transport reads them from the OS.
   *
   * @param src where the address bytes are
   * @param off where in {@code src} they start
   * @param len 4 (IPv4) or 16 (IPv6, possibly IPv4-mapped)
   * @param port the port, 0..65535
   * @throws IllegalArgumentException when {@code len} or {@code port} is out of range
   */
  public void setRemote(byte[] src, int off, int len, int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("UDP port out of range: " + port);
    }
    if (!store(src, off, len, remote) && port == remotePort) {
      return; // unchanged: keep the cached InetSocketAddress
    }
    remotePort = port;
    cached = null;
  }

  /**
   * Sets the local address a datagram arrived on (and a reply should leave from).
   *
   * @param src where the address bytes are
   * @param off where in {@code src} they start
   * @param len 4 (IPv4) or 16 (IPv6)
   * @param interfaceIndex the interface it arrived on (0: unknown)
   * @throws IllegalArgumentException when {@code len} is neither 4 nor 16
   */
  public void setLocal(byte[] src, int off, int len, int interfaceIndex) {
    store(src, off, len, local);
    hasLocal = true;
    localInterface = interfaceIndex;
  }

  /** Forgets the local address: replies leave from whatever address the OS picks. */
  public void clearLocal() {
    if (hasLocal) {
      hasLocal = false;
      localInterface = 0;
      Arrays.fill(local, (byte) 0);
    }
  }

  /** Copies {@code len} bytes into {@code dst} in IPv6 form; returns whether anything changed. */
  private static boolean store(byte[] src, int off, int len, byte[] dst) {
    Objects.checkFromIndexSize(off, len, src.length);
    if (len == 16) {
      if (Arrays.equals(dst, 0, 16, src, off, off + 16)) {
        return false;
      }
      System.arraycopy(src, off, dst, 0, 16);
      return true;
    }
    if (len != 4) {
      throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + len);
    }
    if (Arrays.equals(dst, 0, 12, MAPPED_PREFIX, 0, 12)
        && Arrays.equals(dst, 12, 16, src, off, off + 4)) {
      return false;
    }
    System.arraycopy(MAPPED_PREFIX, 0, dst, 0, 12);
    System.arraycopy(src, off, dst, 12, 4);
    return true;
  }

  /**
   * Makes this holder equal to {@code other}, local address included.
   *
   * @param other the holder to copy
   */
  public void copyFrom(DatagramAddress other) {
    System.arraycopy(other.remote, 0, remote, 0, 16);
    remotePort = other.remotePort;
    System.arraycopy(other.local, 0, local, 0, 16);
    hasLocal = other.hasLocal;
    localInterface = other.localInterface;
    cached = other.cached;
  }

  /**
   * A new holder equal to this one.
   *
   * @return a copy, local address included
   */
  public DatagramAddress copy() {
    DatagramAddress a = new DatagramAddress();
    a.copyFrom(this);
    return a;
  }

  /**
   * Whether {@code other} names the same remote address and port and the same local address.
   * Allocates nothing.
   *
   * @param other the holder to compare with
   * @return whether both sides are equal
   */
  public boolean sameAs(DatagramAddress other) {
    return sameRemote(other)
        && hasLocal == other.hasLocal
        && localInterface == other.localInterface
        && Arrays.equals(local, other.local);
  }

  /**
   * Whether {@code other} names the same remote address and port (local addresses ignored).
   *
   * @param other the holder to compare with
   * @return whether the remote sides are equal
   */
  public boolean sameRemote(DatagramAddress other) {
    return remotePort == other.remotePort && Arrays.equals(remote, other.remote);
  }

  /**
   * Whether the remote address is IPv4 (stored IPv4-mapped).
   *
   * @return whether the remote address is IPv4
   */
  public boolean isIpv4() {
    return Arrays.equals(remote, 0, 12, MAPPED_PREFIX, 0, 12);
  }

  /**
   * The remote port.
   *
   * @return the remote port, 0..65535
   */
  public int port() {
    return remotePort;
  }

  /**
   * Copies the remote address, in IPv6 form (IPv4-mapped for IPv4), into {@code dst[off..off+16)}.
   *
   * @param dst where the 16 bytes go
   * @param off where in {@code dst}
   */
  public void copyRemoteIpv6(byte[] dst, int off) {
    System.arraycopy(remote, 0, dst, off, 16);
  }

  /**
   * Whether a local address is set.
   *
   * @return whether a local address is set
   */
  public boolean hasLocal() {
    return hasLocal;
  }

  /**
   * The interface index the local address was learned on (0: unknown or none).
   *
   * @return the interface index
   */
  public int localInterface() {
    return localInterface;
  }

  /**
   * Copies the local address, in IPv6 form, into {@code dst[off..off+16)}; zeros when none.
   *
   * @param dst where the 16 bytes go
   * @param off where in {@code dst}
   */
  public void copyLocalIpv6(byte[] dst, int off) {
    System.arraycopy(local, 0, dst, off, 16);
  }

  /**
   * The remote side as a socket address; IPv4-mapped addresses come back as IPv4. Cached: repeated
   * calls without a change of the remote side return the same instance.
   *
   * @return the remote address and port
   */
  public InetSocketAddress toInetSocketAddress() {
    InetSocketAddress a = cached;
    if (a == null) {
      a = new InetSocketAddress(inetAddress(remote), remotePort);
      cached = a;
    }
    return a;
  }

  /**
   * The local address, when one is set; IPv4-mapped comes back as IPv4.
   *
   * @return the local address, or empty
   */
  public Optional<InetAddress> localAddress() {
    return hasLocal ? Optional.of(inetAddress(local)) : Optional.empty();
  }

  private static InetAddress inetAddress(byte[] ipv6Form) {
    try {
      InetAddress a = InetAddress.getByAddress(ipv6Form); // IPv4-mapped becomes an Inet4Address
      return a;
    } catch (UnknownHostException e) {
      throw new AssertionError("16 bytes are always an address", e);
    }
  }

  /**
   * {@code addr:port}, with {@code from local} when a local address is set.
   *
   * @return the addresses in words
   */
  @Override
  public String toString() {
    InetSocketAddress r = toInetSocketAddress();
    InetAddress ip = r.getAddress();
    String host =
        ip instanceof Inet4Address ? ip.getHostAddress() : "[" + ip.getHostAddress() + "]";
    return host
        + ":"
        + remotePort
        + localAddress().map(l -> " (local " + l.getHostAddress() + ")").orElse("");
  }
}
