package io.wireguardjava.spi;

import java.io.Closeable;
import java.io.IOException;

/**
 * A source and sink of IP packets: a TUN interface of the OS, or an in-process device.
 *
 * <p>Contract, for every implementation:
 * <ul>
 *   <li>{@link #read} blocks until one whole IPv4 or IPv6 packet is available, and is called by
 *       one thread at a time; {@link #write} may be called by another thread concurrently.
 *   <li>The caller owns every array passed in; the implementation must not keep a reference to it
 *       after returning.
 *   <li>After {@link #close()}, a blocked or later {@code read} returns {@code -1}, and a later
 *       {@code write} throws {@link java.nio.channels.ClosedChannelException}. No thread stays
 *       blocked inside the device after {@code close()} returns.
 * </ul>
 */
public interface PacketDevice extends Closeable {

  /**
   * The interface name, such as {@code wg0}; for an in-process device, the name it was given.
   *
   * @return the interface name, such as {@code wg0}; for an in-process device, the name it was
   *     given
   */
  String name();

  /**
   * The MTU: the largest packet {@link #read} returns and {@link #write} accepts.
   *
   * @return the MTU: the largest packet {@link #read} returns and {@link #write} accepts
   */
  int mtu();

  /**
   * Reads one IP packet into {@code buf[offset..offset+length)}.
   *
   * @param buf the buffer to fill; the device does not keep it
   * @param offset where in {@code buf} to start
   * @param length how many bytes {@code buf} can take from {@code offset}
   * @return the packet's length, or {@code -1} once the device is closed
   * @throws IOException when the OS reports an error other than being closed
   */
  int read(byte[] buf, int offset, int length) throws IOException;

  /**
   * Writes one IP packet, {@code buf[offset..offset+length)}, towards the host.
   *
   * @param buf the buffer holding the packet; the device does not keep it
   * @param offset where the packet starts
   * @param length the packet's length
   * @throws java.io.IOException when the device fails
   */
  void write(byte[] buf, int offset, int length) throws IOException;

  /** Closes the device and wakes any blocked reader; idempotent. */
  @Override
  void close();
}
