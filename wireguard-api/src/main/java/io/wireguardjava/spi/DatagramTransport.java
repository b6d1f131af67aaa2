package io.wireguardjava.spi;

import java.io.Closeable;
import java.io.IOException;

/**
 * A tunnel's UDP socket: sends and receives WireGuard datagrams, many per call where the OS allows
 * (wireguard-go's {@code conn.Bind}). One socket, dual stack (IPv4 and IPv6) unless bound to one
 * address.
 *
 * <p>Contract, for every implementation:
 *
 * <ul>
 *   <li>{@link #receive} is called by one thread at a time; the {@code send} methods may be called
 *       by several threads at once, concurrently with {@code receive}.
 *   <li>The caller owns every batch, array and address passed in; the transport must not keep a
 *       reference after returning, and allocates nothing of its own per datagram on the normal
 *       path.
 *   <li>After {@link #close()}, a blocked or later {@code receive} and a later {@code send} throw
 *       {@link java.nio.channels.ClosedChannelException}; no thread stays blocked in the transport
 *       after {@code close()} returns (a send blocked on a full socket buffer is woken too).
 * </ul>
 */
public interface DatagramTransport extends Closeable {

  /**
   * The local UDP port the socket is bound to.
   *
   * @return the port, 1..65535
   */
  int port();

  /**
   * Receives at least one datagram into {@code batch}, which is cleared first; blocks until one
   * arrives. Each datagram's source (and, where the OS says, the local address it arrived on) goes
   * into {@link DatagramBatch#address(int)}. A coalesced (GRO) super-datagram of the OS is split
   * into its datagrams. A datagram too long for the room left is not cut: it waits for the next
   * call, unless it cannot fit even an empty batch, in which case it is dropped and counted in
   * {@link #oversizedDrops()}.
   *
   * @param batch where the datagrams go; the caller's
   * @return how many datagrams the batch now holds, at least 1
   * @throws java.nio.channels.ClosedChannelException once the transport is closed
   * @throws IOException when the OS reports another error
   */
  int receive(DatagramBatch batch) throws IOException;

  /**
   * Sends one datagram, {@code buf[off..off+len)}, to {@code to}, from {@code to}'s local address
   * when it has one and this transport can choose it.
   *
   * @param buf the datagram; the caller's
   * @param off where it starts
   * @param len its length
   * @param to the peer; read, not kept
   * @throws java.nio.channels.ClosedChannelException once the transport is closed
   * @throws IOException when the OS refuses (unreachable network and the like)
   */
  void send(byte[] buf, int off, int len, DatagramAddress to) throws IOException;

  /**
   * Sends every datagram of {@code batch}, in order, to the one peer {@code to}: as few system
   * calls as the OS allows (segmentation offload for runs of equal-length datagrams where
   * supported). The default sends them one by one.
   *
   * @param batch the datagrams; the caller's, unchanged
   * @param to the peer; read, not kept
   * @throws java.nio.channels.ClosedChannelException once the transport is closed
   * @throws IOException when the OS refuses; datagrams before the failing one may have been sent
   */
  default void send(DatagramBatch batch, DatagramAddress to) throws IOException {
    byte[] data = batch.data();
    for (int i = 0; i < batch.count(); i++) {
      send(data, batch.offset(i), batch.length(i), to);
    }
  }

  /**
   * Whether {@link #setMark} works: the socket's packets can carry a firewall mark ({@code SO_MARK}
   * on Linux), so routing rules can tell them apart from the tunnel's own traffic.
   *
   * @return whether marks are supported
   */
  default boolean supportsMark() {
    return false;
  }

  /**
   * Marks every packet this socket sends with {@code mark} (0: no mark), as wg's {@code fwmark}.
   *
   * @param mark the mark, an unsigned 32-bit value
   * @throws IOException when the OS refuses (without CAP_NET_ADMIN, say)
   * @throws UnsupportedOperationException when {@link #supportsMark()} is false and {@code mark} is
   *     not 0
   */
  default void setMark(int mark) throws IOException {
    if (mark != 0) {
      throw new UnsupportedOperationException(
          "this UDP transport cannot mark its packets (no SO_MARK)");
    }
  }

  /**
   * How many received datagrams were dropped because they were longer than any batch could hold.
   *
   * @return the count since the transport was opened
   */
  default long oversizedDrops() {
    return 0;
  }

  /**
   * A short description for messages and diagnostics, such as {@code linux-udp [gso, gro]}.
   *
   * @return what this transport is and which offloads it uses
   */
  String description();

  /** Closes the socket and wakes any blocked thread; idempotent. */
  @Override
  void close();
}
