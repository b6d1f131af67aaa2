package io.wireguardjava.core;

import io.wireguardjava.DropReason;
import io.wireguardjava.crypto.Keypair;
import io.wireguardjava.crypto.Messages;
import io.wireguardjava.crypto.Protocol;
import io.wireguardjava.crypto.Reason;
import io.wireguardjava.spi.DatagramAddress;
import io.wireguardjava.spi.DatagramBatch;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.ClosedChannelException;

/*
 * The receive path: one thread, a batch of datagrams at a time, each batch run to completion
 * before the next is received.
 *
 *   1. receive   transport.receive(batch)   blocks for the first datagram, then takes what is
 *                ready (recvmmsg, a GRO super-datagram split); each datagram with its source
 *                and the local address it arrived on. Steps 2-9 run per datagram, in order:
 *   2. validate  Messages.validate: type, reserved bytes, length      else drop MALFORMED
 *   3. dispatch  initiation / response / cookie reply: copied into the handshake gate's ring
 *                (full: drop HANDSHAKE_QUEUE_FULL); done. The gate thread does MAC1, MAC2 and
 *                cookie replies, the handshake thread the Diffie-Hellmans
 *                transport data: go on
 *   4. session   receiver index -> IndexEntry -> keypair              else drop UNKNOWN_SESSION
 *   5. open      Keypair.open(datagram -> the next slot of `writes`): authenticate, decrypt,
 *                replay window          else drop DECRYPTION_FAILED / REPLAYED / ...
 *                the first datagram on a responder's new session confirms it (at once: staged
 *                packets wait for it); source, bytes and keypair go into the batch's tally
 *   6. keepalive an empty plaintext ends here
 *   7. check     inner IPv4/IPv6 header and length; the source address must route to this
 *                same peer (cryptokey routing)    else drop INVALID_IP_PACKET / SOURCE_NOT_ALLOWED
 *   8. size      inner length <= MTU        else drop TOO_LARGE, and answer the sender (through
 *                its peer) with ICMP fragmentation needed / packet too big
 *   9. deliver   kept in `writes` for the device; or, when forwarding and the destination is
 *                another peer's, that peer's send path at once (sealed again under its send
 *                lock); a peer without an endpoint: NO_ENDPOINT, and ICMP unreachable back
 *  10. per peer  once per batch (ReceiveTally): roam the endpoint to the latest source (sticky
 *                local address included), rx bytes, timers (any-authenticated-received, data
 *                received), the last-minute rekey check
 *  11. write     the batch's packets to the device, in order (DeviceWrites)
 *
 * A peer's datagrams are opened in the order received and its packets written in that order.
 * Ownership: `batch`, `writes`, `tally`, `scratch` and `ctx` belong to this thread and are
 * reused; nothing is allocated per packet or per batch (a batch slot keeps its InetSocketAddress
 * while its sender repeats, and a peer's endpoint is replaced only when it roams). The replay
 * window of each keypair is only advanced here. Handshake messages leave this thread as copies
 * in the gate's preallocated slots, so a flood of them costs this thread one copy each: no MAC,
 * no cookie reply, never a Diffie-Hellman.
 *
 * Many cores: the opens of one batch are independent per datagram except for each keypair's
 * replay window, so a crypto stage per core could open a batch's datagrams in parallel and hand
 * back the verdicts in order; steps 10 and 11 stay here. On two CPUs, one thread is faster.
 */

/** The receive thread: UDP to device. */
final class ReceiveLoop implements Runnable {
  private static final System.Logger LOG = System.getLogger(ReceiveLoop.class.getName());
  private static final int MAX_DATAGRAM = 65536;

  /** Datagrams per receive call; the buffer holds that many full-size ones, or one of 64 KB. */
  static final int BATCH = 128;

  private static final int BATCH_BYTES = BATCH * 2048 + MAX_DATAGRAM;

  private final DataPath path;
  private final Events events;
  private final IndexTable<IndexEntry> sessions;
  private final HandshakeInbox handshakes;
  private final DatagramBatch batch = new DatagramBatch(BATCH, BATCH_BYTES);
  private final DeviceWrites writes;
  private final boolean batchWrites;
  private final ReceiveTally tally = new ReceiveTally(BATCH);

  /** A refused packet copied to offset 0, where the ICMP answers read it. */
  private final byte[] scratch = new byte[MAX_DATAGRAM];

  private final SendContext ctx;

  /** This thread's ICMP answers, sent back through the peer a refused packet came from. */
  private final IcmpUnreachable icmp;

  /**
   * @param path the device, socket, routes and counters this thread shares
   * @param sessions our session indices: transport data finds its keypair there
   * @param handshakes where handshake messages go
   * @param icmp this thread's ICMP answers
   */
  ReceiveLoop(
      DataPath path,
      IndexTable<IndexEntry> sessions,
      HandshakeInbox handshakes,
      IcmpUnreachable icmp) {
    this.path = path;
    this.events = path.events();
    this.sessions = sessions;
    this.handshakes = handshakes;
    this.ctx = new SendContext(PacketSize.datagramLength(path.mtu().getAsInt()));
    this.icmp = icmp;
    this.writes = new DeviceWrites(BATCH, path.mtu().getAsInt());
    this.batchWrites = DeviceWrites.hasBatchWrite(path.device());
  }

  @Override
  public void run() {
    try {
      while (!path.lifecycle().closed()) {
        int count = path.transport().receive(batch);
        byte[] data = batch.data();
        for (int i = 0; i < count; i++) {
          try {
            handle(data, batch.offset(i), batch.length(i), batch.address(i));
          } catch (RuntimeException e) { // a bug below us must not stop the tunnel
            events.drop(DropReason.INTERNAL_ERROR, null);
            LOG.log(Level.WARNING, "datagram from " + batch.address(i) + " failed; carrying on", e);
          }
        }
        endBatch();
      }
    } catch (ClosedChannelException e) {
      // closed
    } catch (IOException e) {
      if (!path.lifecycle().closed()) {
        LOG.log(Level.WARNING, "UDP receive failed; tunnel " + path.device().name() + " closes", e);
        path.lifecycle().fail(e);
      }
    } catch (RuntimeException | Error e) {
      LOG.log(Level.ERROR, "receive thread failed", e);
    }
  }

  /** Steps 10 and 11: the peers' bookkeeping, then the device writes. */
  void endBatch() {
    tally.flush();
    writes.flush(path.device(), batchWrites, events, path.lifecycle());
    writes.fit(path.mtu().getAsInt()); // grows once after an MTU increase
  }

  /**
   * Steps 2 to 9 for one datagram {@code buf[off..off+len)} from {@code from}; {@link #endBatch}
   * finishes the batch.
   */
  void handle(byte[] buf, int off, int len, DatagramAddress from) {
    if (Messages.validate(buf, off, len) != Reason.OK) {
      events.drop(DropReason.MALFORMED, null);
      return;
    }
    int type = buf[off];
    if (type != Protocol.TYPE_TRANSPORT) {
      if (!handshakes.offer(buf, off, len, from)) {
        events.drop(DropReason.HANDSHAKE_QUEUE_FULL, null);
      }
      return;
    }
    IndexEntry entry = sessions.get(Messages.receiverIndex(buf, off));
    Keypair kp = entry == null ? null : entry.keypair;
    if (entry == null || kp == null) {
      events.drop(DropReason.UNKNOWN_SESSION, null);
      return;
    }
    PeerState peer = entry.peer;
    if (writes.isFull()) {
      endBatch(); // cannot happen with a transport that honours the batch; stay correct anyway
    }
    // the next device slot holds any packet of the MTU; a longer plaintext (a peer with a larger
    // MTU) is opened into the scratch buffer, to be refused as too large
    boolean fits = len - Protocol.TRANSPORT_MIN_LENGTH <= writes.room();
    byte[] plain = fits ? writes.buffer() : scratch;
    int p = fits ? writes.nextOffset() : 0;
    int n = kp.open(buf, off, len, plain, p); // never throws: a repeated datagram is REPLAYED
    if (n < 0) {
      events.drop(reasonOf(n), peer);
      return;
    }
    peer.confirmSession(kp, ctx);
    tally.authenticated(peer, kp, from, len);
    if (n == 0) {
      return; // keepalive
    }
    int version = IpPackets.version(plain, p, n);
    int ipLength = version == 0 ? 0 : IpPackets.declaredLength(plain, p, version);
    if (version == 0 || ipLength > n || ipLength < (version == 4 ? 20 : 40)) {
      events.drop(DropReason.INVALID_IP_PACKET, peer);
      return;
    }
    int addrLen = IpPackets.addressLength(version);
    if (path.routes().lookup(plain, p + IpPackets.sourceOffset(version), addrLen) != peer) {
      events.drop(DropReason.SOURCE_NOT_ALLOWED, peer);
      return;
    }
    tally.dataReceived(peer);
    int mtu = path.mtu().getAsInt();
    if (!PacketSize.fits(ipLength, mtu) || ipLength > writes.room()) {
      events.drop(DropReason.TOO_LARGE, peer);
      if (plain != scratch) {
        System.arraycopy(plain, p, scratch, 0, ipLength);
      }
      answer(peer, icmp.tooBig(scratch, ipLength, version, mtu));
      return;
    }
    if (!fits) { // padded past the slot, yet the packet itself fits: into the slot after all
      System.arraycopy(scratch, 0, writes.buffer(), writes.nextOffset(), ipLength);
      plain = writes.buffer();
      p = writes.nextOffset();
    }
    int dst = p + IpPackets.destinationOffset(version);
    if (path.forwarding() && path.localAddresses().lookup(plain, dst, addrLen) == null) {
      PeerState to = path.routes().lookup(plain, dst, addrLen);
      if (to != null && to != peer) {
        switch (to.send(plain, p, ipLength, ctx)) {
          case TOO_LARGE -> {
            System.arraycopy(plain, p, scratch, 0, ipLength); // the answers read offset 0 (fits)
            answer(peer, icmp.tooBig(scratch, ipLength, version, path.mtu().getAsInt()));
          }
          case NO_ENDPOINT -> {
            System.arraycopy(plain, p, scratch, 0, ipLength);
            answer(peer, icmp.answer(scratch, ipLength, version));
          }
          case ACCEPTED -> {}
        }
        return;
      }
    }
    writes.add(ipLength, peer);
  }

  /** Sends the ICMP answer of length {@code m} (0: none) back to {@code peer}, best effort. */
  private void answer(PeerState peer, int m) {
    if (m > 0) {
      peer.send(icmp.buffer(), 0, m, ctx);
    }
  }

  private static DropReason reasonOf(int code) {
    switch (Reason.fromCode(code)) {
      case REPLAYED:
        return DropReason.REPLAYED;
      case KEYPAIR_EXPIRED:
      case COUNTER_LIMIT:
        return DropReason.SESSION_EXPIRED;
      case WRONG_LENGTH:
        return DropReason.MALFORMED;
      default:
        return DropReason.DECRYPTION_FAILED;
    }
  }
}
