package io.wireguardjava;

import java.io.IOException;
import java.time.Duration;

/**
 * The application's side of an in-process packet device: IP packets sent here leave through the
 * tunnel (routed to the peer whose allowed IPs contain the destination), and IP packets the tunnel
 * receives from peers are read here.
 *
 * <p>The caller owns every array passed in; the tunnel copies the bytes before returning and keeps
 * no reference. {@code send} may be called from several threads; {@code receive} too, each packet
 * being returned to exactly one caller. After the tunnel closes, {@code receive} returns {@code -1}
 * and {@code send} throws {@link java.nio.channels.ClosedChannelException}.
 */
public interface TunnelPackets {

  /**
   * The largest packet accepted or returned.
   *
   * @return the largest packet accepted or returned
   */
  int mtu();

  /**
   * Sends one IPv4 or IPv6 packet, {@code packet[offset..offset+length)}, into the tunnel. Blocks
   * while the tunnel's input queue is full.
   *
   * @param packet the buffer holding the packet
   * @param offset where the packet starts
   * @param length the packet's length
   * @throws IllegalArgumentException when {@code length} exceeds {@link #mtu()} or is 0
   * @throws IOException when the tunnel is closed
   */
  void send(byte[] packet, int offset, int length) throws IOException;

  /**
   * Waits for the next packet from a peer and copies it to {@code buf[offset..)}.
   *
   * @param buf the buffer to fill
   * @param offset where in {@code buf} to start
   * @param length how many bytes {@code buf} can take from {@code offset}
   * @return the packet's length, or {@code -1} once the tunnel is closed
   * @throws IllegalArgumentException when the packet is longer than {@code length}
   * @throws java.io.IOException when the tunnel fails
   */
  int receive(byte[] buf, int offset, int length) throws IOException;

  /**
   * Like {@link #receive(byte[], int, int)}, waiting at most {@code timeout}.
   *
   * @param buf the buffer to fill
   * @param offset where in {@code buf} to start
   * @param length how many bytes {@code buf} can take from {@code offset}
   * @param timeout how long to wait at most
   * @return the packet's length, {@code 0} on timeout, or {@code -1} once the tunnel is closed
   * @throws java.io.IOException when the tunnel fails
   */
  int receive(byte[] buf, int offset, int length, Duration timeout) throws IOException;
}
