package io.wireguardjava.core;

import io.wireguardjava.DropReason;
import io.wireguardjava.spi.PacketBatch;
import java.io.IOException;
import java.lang.System.Logger.Level;
import org.jspecify.annotations.Nullable;

/*
 * The send path: one thread, a batch of packets at a time, each batch run to completion before
 * the next is read.
 *
 *   1. read      device.readBatch(batch)                blocks for the first packet, then takes
 *                                                       what is ready (a TUN's TSO super-packet
 *                                                       split, or queued packets); -1 once closed
 *   2. check     each: IPv4/IPv6 header                 else drop INVALID_IP_PACKET
 *   3. route     each: allowedIps.lookup(destination)   else drop NO_ROUTE, and answer with
 *                                                       ICMP unreachable (IcmpUnreachable)
 *   4. admit     each: PeerState.admit: length <= MTU   else drop TOO_LARGE, answer ICMP
 *                                                       fragmentation needed / packet too big;
 *                an endpoint                            else drop NO_ENDPOINT, answer ICMP
 *   5. group     the admitted packets by peer, each peer's in the order read
 *   6. per peer  PeerState.sendBatch, under the peer's send lock once:
 *                a. no usable session (or packets already staged): stage them (128 per peer,
 *                   oldest dropped), ask the handshake thread for an initiation
 *                b. seal: Keypair.seal of each packet into the peer's SealedDatagrams, back to
 *                   back, taking consecutive counters
 *                c. timers: any-authenticated-sent, data-sent, once for the batch
 *                d. transmit: the datagrams to the peer's current endpoint, in order
 *                e. counters once; rekey request if the session is old
 *
 * Ownership: `batch`, `sealed`, `ctx` and the grouping arrays belong to this thread alone and are
 * reused for every batch; nothing is allocated per packet or per batch. A batch slot holds an
 * MTU-sized packet (at least 1,500 bytes, so an ICMP answer can quote it); a longer one arrives
 * cut, with its full length, to be counted and answered. The slots and `sealed` grow only when
 * the MTU does. A staged packet's bytes are copied into a pool buffer owned by the peer's staging
 * queue until it is sealed (by whichever thread flushes the queue, under the same lock). Counters
 * are taken under the peer's send lock, so a peer's packets leave in order; the send lock is also
 * what makes the handshake thread's keepalives and flushes and the receive thread's forwarded
 * packets safe to interleave with this thread.
 *
 * Many cores: the per-peer groups of step 5 are the unit a crypto stage per core would take
 * (counters reserved in order under the lock, sealed in parallel, sent in counter order); on two
 * CPUs one thread running the batch to completion is faster than any handoff.
 */

/** The send thread: device to UDP, a batch at a time. */
final class SendLoop implements Runnable {
  private static final System.Logger LOG = System.getLogger(SendLoop.class.getName());

  /** Packets per device read: a 64 KB TSO super-packet is about 45 segments. */
  static final int BATCH = 64;

  /** The smallest slot: an ICMP answer quotes up to 1,232 bytes of the packet. */
  private static final int MIN_SLOT = 1500;

  private final DataPath path;
  private final Events events;
  private final SendContext ctx;
  private final SealedDatagrams sealed;
  private final IcmpUnreachable unreachable;
  private PacketBatch batch;

  // grouping of one batch by peer: peers[g] gets packets members[g][0..sizes[g])
  private final PeerState[] peers = new PeerState[BATCH];
  private final int[][] members = new int[BATCH][BATCH];
  private final int[] sizes = new int[BATCH];
  private int groups;

  /** Batches of more than one packet read so far (one volatile write per such batch; tests). */
  private volatile long multiPacketBatches;

  /**
   * @param path the device, socket, routes and counters this thread shares
   * @param unreachable this thread's ICMP answers
   */
  SendLoop(DataPath path, IcmpUnreachable unreachable) {
    this.path = path;
    this.events = path.events();
    this.unreachable = unreachable;
    int mtu = path.mtu().getAsInt();
    this.batch = PacketBatch.allocate(BATCH, 0, Math.max(mtu, MIN_SLOT));
    this.ctx = new SendContext(PacketSize.datagramLength(mtu));
    this.sealed = new SealedDatagrams(BATCH, mtu);
  }

  @Override
  public void run() {
    try {
      while (!path.lifecycle().closed()) {
        int mtu = path.mtu().getAsInt();
        if (mtu > batch.maxLength()) { // the MTU grew: packets of the new size must fit
          batch = PacketBatch.allocate(BATCH, 0, mtu);
        }
        int n = path.device().readBatch(batch);
        if (n < 0) {
          if (!path.lifecycle().closed()) { // the device went away under us (interface deleted)
            path.lifecycle()
                .fail(
                    new java.io.EOFException("packet device " + path.device().name() + " closed"));
          }
          break;
        }
        if (n > 1) {
          multiPacketBatches = multiPacketBatches + 1; // this thread is the only writer
        }
        try {
          route(batch);
        } catch (RuntimeException e) { // a bug below us must not stop the tunnel
          events.drop(DropReason.INTERNAL_ERROR, null);
          LOG.log(Level.WARNING, "packets from the device failed; carrying on", e);
        } finally {
          clearGroups();
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

  /** Batches of more than one packet read so far. */
  long multiPacketBatches() {
    return multiPacketBatches;
  }

  /** Steps 2 to 6 for every packet of {@code b}. */
  private void route(PacketBatch b) {
    for (int i = 0; i < b.count(); i++) {
      PeerState peer = admit(b, i);
      if (peer != null) {
        join(peer, i);
      }
    }
    for (int g = 0; g < groups; g++) {
      peers[g].sendBatch(b, members[g], sizes[g], sealed, ctx);
    }
  }

  /** The peer packet {@code i} goes to, or null when it was dropped (and answered). */
  private @Nullable PeerState admit(PacketBatch b, int i) {
    byte[] buf = b.array(i);
    int off = b.offset(i);
    int n = b.length(i);
    int version = IpPackets.version(buf, off, Math.min(n, b.maxLength()));
    if (version == 0) {
      events.drop(DropReason.INVALID_IP_PACKET, null);
      return null;
    }
    int mtu = path.mtu().getAsInt();
    if (n > b.maxLength()) { // cut by the device: longer than any slot, so than the MTU
      events.drop(DropReason.TOO_LARGE, null);
      reply(unreachable.tooBig(buf, b.maxLength(), version, mtu));
      return null;
    }
    PeerState peer =
        path.routes()
            .lookup(
                buf, off + IpPackets.destinationOffset(version), IpPackets.addressLength(version));
    if (peer == null) {
      events.drop(DropReason.NO_ROUTE, null);
      reply(unreachable.answer(buf, n, version));
      return null;
    }
    switch (peer.admit(n)) {
      case TOO_LARGE -> reply(unreachable.tooBig(buf, n, version, mtu));
      case NO_ENDPOINT -> reply(unreachable.answer(buf, n, version));
      case ACCEPTED -> {
        return peer;
      }
    }
    return null;
  }

  /** Adds packet {@code i} to its peer's group (most batches have one peer: found at once). */
  private void join(PeerState peer, int i) {
    int g = groups - 1;
    while (g >= 0 && peers[g] != peer) {
      g--;
    }
    if (g < 0) {
      g = groups++;
      peers[g] = peer;
      sizes[g] = 0;
    }
    members[g][sizes[g]++] = i;
  }

  /** Forgets the batch's peers, so a removed peer is not kept reachable by this thread. */
  private void clearGroups() {
    for (int g = 0; g < groups; g++) {
      peers[g] = null;
    }
    groups = 0;
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
