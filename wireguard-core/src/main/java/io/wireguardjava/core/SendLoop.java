package io.wireguardjava.core;

import io.wireguardjava.DropReason;
import java.io.IOException;
import java.lang.System.Logger.Level;

/*
 * The send path: one thread, each packet run to completion before the next is read.
 *
 *   1. read      device.read(packet)                   blocks; -1 once the device is closed
 *   2. check     IPv4/IPv6 header                       else drop INVALID_IP_PACKET
 *   3. route     allowedIps.lookup(destination)         else drop NO_ROUTE, and answer with
 *                                                       ICMP unreachable (IcmpUnreachable)
 *   4. to peer   PeerState.send: length <= MTU          else drop TOO_LARGE, answer ICMP
 *                                                       fragmentation needed / packet too big;
 *                an endpoint                            else drop NO_ENDPOINT, answer ICMP
 *                                                       unreachable; then under the send lock:
 *                a. no usable session: copy into a pooled buffer on the peer's staging queue
 *                   (128 packets, oldest dropped), ask the handshake thread for an initiation
 *                b. seal: Keypair.seal(packet -> ctx.datagram) takes the next counter
 *                c. transmit: UDP send of ctx.datagram to the peer's current endpoint
 *                d. timers: any-authenticated-sent, data-sent; rekey request if the session is old
 *
 * Ownership: `packet` and `ctx` belong to this thread alone and are reused for every packet;
 * nothing is allocated per packet. `packet` holds the largest IP packet, so one over the MTU (an
 * application's, or read while the MTU changes) arrives whole, to be counted and answered; `ctx`
 * follows PacketSize.datagramLength of the current MTU, growing only when the MTU does. A staged packet's bytes are copied into a pool buffer owned
 * by the peer's staging queue until it is sealed (by whichever thread flushes the queue, under
 * the same lock) and returned to the pool. Counters are taken under the peer's send lock, so a
 * peer's packets leave in order; the send lock is also what makes the handshake thread's
 * keepalives and flushes and the receive thread's forwarded packets safe to interleave with
 * this thread.
 */

/** The send thread: device to UDP. */
final class SendLoop implements Runnable {
  private static final System.Logger LOG = System.getLogger(SendLoop.class.getName());

  private final DataPath path;
  private final Events events;
  private final byte[] packet;
  private final SendContext ctx;
  private final IcmpUnreachable unreachable;

  /**
   * @param path the device, socket, routes and counters this thread shares
   * @param unreachable this thread's ICMP answers
   */
  SendLoop(DataPath path, IcmpUnreachable unreachable) {
    this.path = path;
    this.events = path.events();
    this.unreachable = unreachable;
    this.packet = new byte[PacketSize.MAX_IP_PACKET];
    this.ctx = new SendContext(PacketSize.datagramLength(path.mtu().getAsInt()));
  }

  @Override
  public void run() {
    try {
      while (!path.lifecycle().closed()) {
        int n = path.device().read(packet, 0, packet.length);
        if (n < 0) {
          if (!path.lifecycle().closed()) { // the device went away under us (interface deleted)
            path.lifecycle()
                .fail(
                    new java.io.EOFException("packet device " + path.device().name() + " closed"));
          }
          break;
        }
        try {
          route(packet, n);
        } catch (RuntimeException e) { // a bug below us must not stop the tunnel
          events.drop(DropReason.INTERNAL_ERROR, null);
          LOG.log(Level.WARNING, "packet from the device failed; carrying on", e);
        }
      }
    } catch (IOException e) {
      if (!path.lifecycle().closed()) {
        LOG.log(Level.WARNING, "device read failed; tunnel " + path.device().name() + " closes", e);
        path.lifecycle().fail(e);
      }
    } catch (RuntimeException | Error e) {
      LOG.log(Level.ERROR, "send thread failed", e);
    }
  }

  private void route(byte[] buf, int n) {
    if (n > buf.length) { // the device cut it short (PacketDevice.read): larger than any IP packet
      events.drop(DropReason.TOO_LARGE, null);
      return;
    }
    int version = IpPackets.version(buf, 0, n);
    if (version == 0) {
      events.drop(DropReason.INVALID_IP_PACKET, null);
      return;
    }
    PeerState peer =
        path.routes()
            .lookup(buf, IpPackets.destinationOffset(version), IpPackets.addressLength(version));
    if (peer == null) {
      events.drop(DropReason.NO_ROUTE, null);
      reply(unreachable.answer(buf, n, version));
      return;
    }
    switch (peer.send(buf, 0, n, ctx)) {
      case TOO_LARGE -> reply(unreachable.tooBig(buf, n, version, path.mtu().getAsInt()));
      case NO_ENDPOINT -> reply(unreachable.answer(buf, n, version));
      case ACCEPTED -> {}
    }
  }

  /** Writes the ICMP answer of length {@code m} (0: none) back to the device. */
  private void reply(int m) {
    if (m > 0) {
      try {
        path.device().write(unreachable.buffer(), 0, m);
      } catch (IOException e) {
        // best effort, as any ICMP error
      }
    }
  }
}
