package io.wireguardjava.spi;

import java.io.Closeable;
import java.io.IOException;
import java.util.function.IntConsumer;

/**
 * A source and sink of IP packets: a TUN interface of the OS, or an in-process device.
 *
 * <p>Contract, for every implementation:
 *
 * <ul>
 *   <li>{@link #read} blocks until one whole IPv4 or IPv6 packet is available, and is called by one
 *       thread at a time; {@link #write} may be called by another thread concurrently.
 *   <li>The caller owns every array passed in; the implementation must not keep a reference to it
 *       after returning.
 *   <li>After {@link #close()}, a blocked or later {@code read} returns {@code -1}, and a later
 *       {@code write} throws {@link java.nio.channels.ClosedChannelException}. No thread stays
 *       blocked inside the device after {@code close()} returns.
 *   <li>The batch forms {@link #readBatch} and {@link #writeBatch} follow the same rules; by
 *       default they loop over {@link #read} and {@link #write}, so a simple device implements only
 *       those. A device that can move many packets per system call (a Linux TUN with offloads)
 *       overrides them. {@link #read} and {@link #readBatch} may be mixed on one device: packets
 *       already taken from the OS but not yet handed out are handed out first, in order.
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
   * The current MTU: the largest packet the device is meant to carry. It may change while the
   * device is open (an administrator's {@code ip link set mtu}); see {@link #onMtuChange}.
   *
   * @return the MTU in bytes
   */
  int mtu();

  /**
   * Changes the device's MTU (for an OS interface, its link MTU, as {@code ip link set mtu} does).
   * The default refuses.
   *
   * @param mtu the new MTU in bytes
   * @throws IOException when the OS refuses the change; the old MTU stays
   * @throws UnsupportedOperationException when this device cannot change its MTU
   */
  default void setMtu(int mtu) throws IOException {
    throw new UnsupportedOperationException("device " + name() + " cannot change its MTU");
  }

  /**
   * Registers the one listener told the new MTU whenever it changes other than through {@link
   * #setMtu} (wireguard-go's {@code EventMTUUpdate}); a later call replaces it. The listener may be
   * called on any thread, including the one blocked in {@link #read}, and must return quickly. The
   * default does nothing: the device's MTU never changes on its own.
   *
   * @param listener called with the new MTU
   */
  default void onMtuChange(IntConsumer listener) {}

  /**
   * Reads one IP packet into {@code buf[offset..offset+length)}. A packet longer than {@code
   * length} is not skipped: its first {@code length} bytes are copied and its full length is
   * returned, so the caller can count it (and answer it) as too large.
   *
   * @param buf where the packet goes; the caller's, not kept
   * @param offset where in {@code buf} it starts
   * @param length how many bytes of {@code buf} may be written
   * @return the packet's full length (more than {@code length} when it was cut short), or {@code
   *     -1} once the device is closed
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

  /**
   * Reads at least one packet into {@code batch}, blocking until one is available, and then as many
   * more as are ready without blocking, up to the batch's capacity. The batch is cleared first;
   * packets are added in the order the host sent them. A packet longer than {@link
   * PacketBatch#maxLength()} is cut and added with its full length, as {@link #read} does.
   *
   * <p>The default reads one packet with {@link #read}.
   *
   * @param batch where the packets go; the caller's, not kept
   * @return the number of packets read (at least 1), or {@code -1} once the device is closed
   * @throws IOException when the OS reports an error other than being closed
   */
  default int readBatch(PacketBatch batch) throws IOException {
    batch.clear();
    int n = read(batch.array(0), batch.offset(0), batch.maxLength());
    if (n < 0) {
      return -1;
    }
    batch.add(n);
    return 1;
  }

  /**
   * Writes the packets of {@code batch}, in order, towards the host. A device may merge packets of
   * one flow into fewer, larger ones for the host (TCP/UDP segmentation offload); the host sees the
   * same bytes in the same order. A packet the host's queue has no room for is dropped, as {@link
   * #write} does.
   *
   * <p>The default calls {@link #write} for each packet and stops at the first that throws.
   *
   * @param batch the packets; the caller's, neither kept nor changed
   * @throws IOException when the device fails; packets before the failing one were written
   */
  default void writeBatch(PacketBatch batch) throws IOException {
    for (int i = 0; i < batch.count(); i++) {
      write(batch.array(i), batch.offset(i), batch.length(i));
    }
  }

  /** Closes the device and wakes any blocked reader; idempotent. */
  @Override
  void close();
}
