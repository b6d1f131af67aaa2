package io.wireguardjava.netstack.internal.stack;

import io.wireguardjava.netstack.internal.wire.Bytes;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The stack's own addresses, as raw bytes for comparing with packets without allocating. */
public final class OwnAddresses {
  private final List<InetAddress> all;
  private final byte[][] v4;
  private final byte[][] v6;

  /**
   * Takes the interface's addresses.
   *
   * @param addresses IPv4 and IPv6 addresses, in preference order
   * @throws IllegalArgumentException when the list is empty
   */
  public OwnAddresses(List<InetAddress> addresses) {
    if (addresses.isEmpty()) {
      throw new IllegalArgumentException(
          "the interface has no Address: the stack needs at least one");
    }
    this.all = List.copyOf(addresses);
    List<byte[]> four = new ArrayList<>();
    List<byte[]> six = new ArrayList<>();
    for (InetAddress a : addresses) {
      (a instanceof Inet4Address ? four : six).add(a.getAddress());
    }
    this.v4 = four.toArray(new byte[0][]);
    this.v6 = six.toArray(new byte[0][]);
  }

  /**
   * All addresses.
   *
   * @return the list given at construction
   */
  public List<InetAddress> all() {
    return all;
  }

  /**
   * Whether {@code p[off, off+length)} is one of our addresses.
   *
   * @param p the packet
   * @param off where the address starts
   * @param length 4 or 16
   * @return whether it is ours
   */
  public boolean contains(byte[] p, int off, int length) {
    for (byte[] a : length == 4 ? v4 : v6) {
      if (Bytes.equal(a, 0, p, off, length)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether {@code address} is one of ours.
   *
   * @param address the address
   * @return whether it is ours
   */
  public boolean contains(InetAddress address) {
    byte[] b = address.getAddress();
    return contains(b, 0, b.length);
  }

  /**
   * The source address for talking to a destination of that family: the first one configured.
   *
   * @param v6 the family
   * @return the raw address, shared (do not modify), or empty when the stack has none of that
   *     family
   */
  public Optional<byte[]> source(boolean v6) {
    byte[][] list = v6 ? this.v6 : this.v4;
    return list.length == 0 ? Optional.empty() : Optional.of(list[0]);
  }

  /**
   * The local address for a connection to {@code remote}.
   *
   * @param remote the destination
   * @return our first address of the same family
   * @throws java.net.NoRouteToHostException when the stack has no address of that family
   */
  public InetAddress localFor(InetAddress remote) throws java.net.NoRouteToHostException {
    boolean six = remote instanceof Inet6Address;
    for (InetAddress a : all) {
      if ((a instanceof Inet6Address) == six) {
        return a;
      }
    }
    throw new java.net.NoRouteToHostException(
        "No "
            + (six ? "IPv6" : "IPv4")
            + " address on the tunnel interface to reach "
            + remote.getHostAddress());
  }
}
