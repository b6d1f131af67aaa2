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
 * The receive path: one thread, each datagram run to completion before the next is received.
 *
 *   1. receive   transport.receive(batch)   blocks; up to a batch of datagrams (GRO split), each
 *                with its source and the local address it arrived on; steps 2-10 run per datagram
 *   2. validate  Messages.validate: type, reserved bytes, length      else drop MALFORMED
 *   3. dispatch  initiation / response / cookie reply: copied into the handshake gate's ring
 *                (full: drop HANDSHAKE_QUEUE_FULL); done. The gate thread does MAC1, MAC2 and
 *                cookie replies, the handshake thread the Diffie-Hellmans
 *                transport data: go on
 *   4. session   receiver index -> IndexEntry -> keypair              else drop UNKNOWN_SESSION
 *   5. open      Keypair.open(datagram -> plain): authenticate, decrypt, replay window
 *                                                   else drop DECRYPTION_FAILED / REPLAYED / ...
 *   6. peer      confirm a responder's new session, roam the endpoint to the source,
 *                timers (any-authenticated-received), rx bytes
 *   7. keepalive an empty plaintext ends here
 *   8. check     inner IPv4/IPv6 header and length; the source address must route to this
 *                same peer (cryptokey routing)    else drop INVALID_IP_PACKET / SOURCE_NOT_ALLOWED
 *   9. size      inner length <= MTU        else drop TOO_LARGE, and answer the sender (through
 *                its peer) with ICMP fragmentation needed / packet too big
 *  10. deliver   device.write(plain), or, when forwarding and the destination is another
 *                peer's, that peer's send path (sealed again under its send lock); a peer
 *                without an endpoint: NO_ENDPOINT, and ICMP unreachable back to the sender
 *
 * Ownership: `batch`, `plain` and `ctx` belong to this thread and are reused; nothing is
 * allocated per packet (a batch slot keeps its InetSocketAddress while its sender repeats, and a
 * peer's endpoint is replaced only when it roams). The replay
 * window of each keypair is only advanced here. Handshake messages leave this thread as copies
 * in the gate's preallocated slots, so a flood of them costs this thread one copy each: no MAC,
 * no cookie reply, never a Diffie-Hellman.
 */

/** The receive thread: UDP to device. */
final class ReceiveLoop implements Runnable {
  private static final System.Logger LOG = System.getLogger(ReceiveLoop.class.getName());
  private static final int MAX_DATAGRAM = 65536;

  /** Datagrams per receive call; the buffer holds that many full-size ones, or one of 64 KB. */
  static final int BATCH = 128;

  private final DataPath path;
  private final Events events;
  private final IndexTable<IndexEntry> sessions;
  private final HandshakeInbox handshakes;
  private final DatagramBatch batch = new DatagramBatch(BATCH, BATCH * 2048 + MAX_DATAGRAM);
  private final byte[] plain = new byte[MAX_DATAGRAM];
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

  /** Steps 2 to 10 for one datagram {@code buf[off..off+len)} from {@code from}. */
  void handle(byte[] buf, int off, int len, DatagramAddress from) {
    if (Messages.validate(buf, off, len) != Reason.OK) {
      events.drop(DropReason.MALFORMED, null);
      return;
    }
    int type = buf[off];
    if (type != Protocol.TYPE_TRANSPORT) {
      if (!handshakes.offer(buf, off, len, from.toInetSocketAddress())) {
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
    int n = kp.open(buf, off, len, plain, 0); // never throws: a repeated datagram is REPLAYED
    if (n < 0) {
      events.drop(reasonOf(n), peer);
      return;
    }
    peer.onAuthenticatedData(kp, from, len, ctx);
    if (n == 0) {
      return; // keepalive
    }
    int version = IpPackets.version(plain, 0, n);
    int ipLength = version == 0 ? 0 : IpPackets.declaredLength(plain, 0, version);
    if (version == 0 || ipLength > n || ipLength < (version == 4 ? 20 : 40)) {
      events.drop(DropReason.INVALID_IP_PACKET, peer);
      return;
    }
    int addrLen = IpPackets.addressLength(version);
    if (path.routes().lookup(plain, IpPackets.sourceOffset(version), addrLen) != peer) {
      events.drop(DropReason.SOURCE_NOT_ALLOWED, peer);
      return;
    }
    peer.timers.onDataReceived();
    int mtu = path.mtu().getAsInt();
    if (!PacketSize.fits(ipLength, mtu)) {
      events.drop(DropReason.TOO_LARGE, peer);
      answer(peer, icmp.tooBig(plain, ipLength, version, mtu));
      return;
    }
    int dst = IpPackets.destinationOffset(version);
    if (path.forwarding() && path.localAddresses().lookup(plain, dst, addrLen) == null) {
      PeerState to = path.routes().lookup(plain, dst, addrLen);
      if (to != null && to != peer) {
        switch (to.send(plain, 0, ipLength, ctx)) {
          case TOO_LARGE ->
              answer(peer, icmp.tooBig(plain, ipLength, version, path.mtu().getAsInt()));
          case NO_ENDPOINT -> answer(peer, icmp.answer(plain, ipLength, version));
          case ACCEPTED -> {}
        }
        return;
      }
    }
    try {
      path.device().write(plain, 0, ipLength);
    } catch (InProcessDevice.DeviceFullException e) {
      events.drop(DropReason.DEVICE_QUEUE_FULL, peer);
    } catch (IOException e) {
      if (!path.lifecycle().closed()) {
        events.drop(DropReason.IO_ERROR, peer);
      }
    }
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
