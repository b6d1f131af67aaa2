package io.wireguardjava.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.wireguardjava.DropReason;
import io.wireguardjava.crypto.Handshake;
import io.wireguardjava.crypto.Protocol;
import io.wireguardjava.crypto.RandomSource;
import io.wireguardjava.crypto.StaticIdentity;
import io.wireguardjava.spi.DatagramAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The handshake flood, deterministically: the receive thread's gate ({@link HandshakeGate}) and the
 * handshake thread's queues ({@link HandshakeWorker#processNext}) driven by hand on a manual clock,
 * no thread, no socket. Flood messages are initiations with a valid MAC1 for the victim from
 * identities it does not know, each worth a Diffie-Hellman if it got through.
 */
class HandshakeGateTest {
  private static final Duration RETRY =
      Protocol.REKEY_TIMEOUT.plus(Protocol.REKEY_TIMEOUT_JITTER_MAX).plusMillis(1);

  private final ManualClock clock = new ManualClock();
  private final FakeSide victim = new FakeSide(clock, 51820);
  private final FakeSide legit = new FakeSide(clock, 51001);
  private final PeerState legitAtVictim = victim.addPeer(legit);
  private final PeerState victimAtLegit = legit.addPeer(victim);
  private final HandshakeWorker worker =
      new HandshakeWorker(victim.handshakes, victim.scheduler, victim.events, victim.sender, clock);
  private final HandshakeGate gate = worker.gate();
  private final SendContext replyBuffer = new SendContext(Protocol.COOKIE_REPLY_LENGTH);
  private final List<byte[]> flood = floodMessages(16);
  private int floodSent;

  @Test
  void aLegitimateInitiationWithMac2IsServedFirstWhileTheFloodSaturatesTheQueue() {
    int refused = flood(20_000);
    assertThat(refused).as("nothing refused for a full queue").isZero();
    assertThat(worker.queued())
        .as("MAC1-only messages stop at the under-load mark")
        .isEqualTo(Limits.UNDER_LOAD_QUEUE_LENGTH);
    assertThat(victim.events.dropped(DropReason.COOKIE_SENT))
        .as("the rest answered with cookie replies")
        .isEqualTo(20_000 - Limits.UNDER_LOAD_QUEUE_LENGTH);
    assertThat(victim.drain())
        .hasSize(20_000 - Limits.UNDER_LOAD_QUEUE_LENGTH)
        .allMatch(s -> s.type() == Protocol.TYPE_COOKIE_REPLY);

    // the legitimate peer's first initiation gets a cookie, its retry carries MAC2
    legit.handshakes.sendInitiation(victimAtLegit, false);
    assertThat(gate.check(only(legit.drain()), 0, 148, legit.address, replyBuffer)).isTrue();
    byte[] cookieReply = only(victim.drain());
    assertThat(cookieReply[0]).isEqualTo((byte) Protocol.TYPE_COOKIE_REPLY);
    legit.handshakes.consumeCookieReply(cookieReply, cookieReply.length);
    clock.advance(RETRY);
    legit.runTimers();
    flood(5_000); // the flood goes on meanwhile
    victim.drain();
    assertThat(gate.check(only(legit.drain()), 0, 148, legit.address, replyBuffer)).isTrue();

    // 512 flood messages wait ahead of it, yet the handshake thread's next message is it
    assertThat(worker.processNext()).isTrue();
    byte[] response = only(victim.drain());
    assertThat(response[0]).isEqualTo((byte) Protocol.TYPE_RESPONSE);
    legit.handshakes.consumeResponse(response, response.length, victim.address);
    assertThat(victimAtLegit.keypairs.current()).as("session established").isNotNull();
    assertThat(legitAtVictim.endpoint).isEqualTo(legit.address);
  }

  @Test
  void cookieRepliesFromTheMarkUntilASecondAfterTheQueueDrained() {
    byte[] good = flood.get(0);
    InetSocketAddress from = source(1);
    assertThat(gate.check(good, 0, good.length, from, replyBuffer)).isTrue();
    assertThat(worker.queued()).as("not under load: admitted on MAC1").isEqualTo(1);
    assertThat(victim.drain()).isEmpty();

    byte[] badMac1 = good.clone();
    badMac1[Protocol.INITIATION_LENGTH - 2 * Protocol.MAC_LENGTH] ^= 1;
    assertThat(gate.check(badMac1, 0, badMac1.length, from, replyBuffer)).isTrue();
    assertThat(victim.events.dropped(DropReason.HANDSHAKE_INVALID)).isEqualTo(1);
    assertThat(worker.queued()).isEqualTo(1);

    flood(Limits.UNDER_LOAD_QUEUE_LENGTH - 1);
    assertThat(victim.events.dropped(DropReason.COOKIE_SENT)).isZero();
    assertThat(gate.check(good, 0, good.length, from, replyBuffer)).isTrue();
    assertThat(victim.events.dropped(DropReason.COOKIE_SENT)).as("under load").isEqualTo(1);
    FakeSide.Sent reply = victim.sent.get(0);
    assertThat(reply.type()).isEqualTo(Protocol.TYPE_COOKIE_REPLY);
    assertThat(reply.to()).isEqualTo(from);
    victim.drain();

    // the handshake thread checks the backlog again: under load, cookies instead of DHs
    int processed = 0;
    while (worker.processNext()) {
      processed++;
    }
    assertThat(processed).isEqualTo(Limits.UNDER_LOAD_QUEUE_LENGTH);
    assertThat(victim.events.dropped(DropReason.COOKIE_SENT))
        .isEqualTo(1 + Limits.UNDER_LOAD_QUEUE_LENGTH);
    assertThat(victim.events.dropped(DropReason.HANDSHAKE_INVALID))
        .as("no Diffie-Hellman was spent on the backlog")
        .isEqualTo(1);
    victim.drain();

    clock.advance(Duration.ofMillis(999));
    gate.check(good, 0, good.length, from, replyBuffer);
    assertThat(worker.queued()).as("still under load for a second").isZero();
    clock.advance(Duration.ofMillis(2));
    gate.check(good, 0, good.length, from, replyBuffer);
    assertThat(worker.queued()).as("load over: admitted on MAC1 again").isEqualTo(1);
  }

  @Test
  void underLoadMessagesWithMac2AreRateLimitedPerSource() {
    flood(Limits.UNDER_LOAD_QUEUE_LENGTH);
    legit.handshakes.sendInitiation(victimAtLegit, false);
    gate.check(only(legit.drain()), 0, 148, legit.address, replyBuffer);
    byte[] cookieReply = only(victim.drain());
    legit.handshakes.consumeCookieReply(cookieReply, cookieReply.length);
    clock.advance(RETRY);
    legit.runTimers();
    byte[] withMac2 = only(legit.drain());
    victim.drain();

    int before = worker.queued();
    for (int i = 0; i < 10; i++) {
      assertThat(gate.check(withMac2, 0, withMac2.length, legit.address, replyBuffer)).isTrue();
    }
    int burst = Limits.SOURCE_INITIATIONS_BURSTABLE;
    assertThat(worker.queued() - before).isEqualTo(burst);
    assertThat(victim.events.dropped(DropReason.RATE_LIMITED)).isEqualTo(10 - burst);
    assertThat(victim.drain()).as("no cookie for a message with MAC2").isEmpty();
  }

  @Test
  void theResponseLeavesFromTheLocalAddressTheInitiationArrivedOn() throws Exception {
    legit.handshakes.sendInitiation(victimAtLegit, false);
    byte[] initiation = only(legit.drain());
    DatagramAddress arrived = arrivedOn(legit.address, "192.0.2.77");
    // the receive thread's path: into the gate's ring, checked, queued, answered
    assertThat(gate.offer(initiation, 0, initiation.length, arrived)).isTrue();
    arrived.setRemote(source(9)); // the receive batch reuses its holder at once
    assertThat(drainGate()).isEqualTo(1);
    assertThat(worker.processNext()).isTrue();
    List<FakeSide.Sent> sent = victim.drain();
    assertThat(sent).hasSize(1);
    assertThat(sent.get(0).type()).isEqualTo(Protocol.TYPE_RESPONSE);
    assertThat(sent.get(0).to()).isEqualTo(legit.address);
    assertThat(sent.get(0).from()).contains(InetAddress.getByName("192.0.2.77"));
    assertThat(legitAtVictim.sendTo).isNotNull();
    assertThat(legitAtVictim.sendTo.localAddress())
        .as("data follows the same sticky source")
        .contains(InetAddress.getByName("192.0.2.77"));
  }

  @Test
  void aCookieReplyLeavesFromTheLocalAddressTheInitiationArrivedOn() throws Exception {
    flood(Limits.UNDER_LOAD_QUEUE_LENGTH);
    legit.handshakes.sendInitiation(victimAtLegit, false);
    byte[] initiation = only(legit.drain());
    DatagramAddress arrived = arrivedOn(legit.address, "2001:db8::77");
    assertThat(gate.offer(initiation, 0, initiation.length, arrived)).isTrue();
    assertThat(drainGate()).isEqualTo(1);
    List<FakeSide.Sent> sent = victim.drain();
    assertThat(sent).hasSize(1);
    assertThat(sent.get(0).type()).isEqualTo(Protocol.TYPE_COOKIE_REPLY);
    assertThat(sent.get(0).to()).isEqualTo(legit.address);
    assertThat(sent.get(0).from()).contains(InetAddress.getByName("2001:db8::77"));

    // the cookie works: the retry carries MAC2 bound to the same source and is admitted
    legit.handshakes.consumeCookieReply(sent.get(0).bytes(), sent.get(0).bytes().length);
    clock.advance(RETRY);
    legit.runTimers();
    byte[] retry = only(legit.drain());
    int before = worker.queued();
    assertThat(gate.offer(retry, 0, retry.length, arrived)).isTrue();
    assertThat(drainGate()).isEqualTo(1);
    assertThat(victim.drain()).as("no second cookie").isEmpty();
    assertThat(worker.queued()).isEqualTo(before + 1);
  }

  /** {@code remote}, arrived on the local address {@code local}, as the Linux transport says. */
  private static DatagramAddress arrivedOn(InetSocketAddress remote, String local)
      throws UnknownHostException {
    DatagramAddress a = DatagramAddress.of(remote);
    byte[] l = InetAddress.getByName(local).getAddress();
    a.setLocal(l, 0, l.length, 3);
    return a;
  }

  /** The gate's work on this thread: every message in its ring checked. */
  private int drainGate() {
    return gate.checkQueued(replyBuffer);
  }

  /** Offers {@code n} flood messages from rotating sources; returns how many were refused. */
  private int flood(int n) {
    int refused = 0;
    for (int i = 0; i < n; i++, floodSent++) {
      byte[] m = flood.get(floodSent % flood.size());
      if (!gate.check(m, 0, m.length, source(floodSent), replyBuffer)) {
        refused++;
      }
    }
    return refused;
  }

  /** Initiations with a valid MAC1 for the victim, from identities it does not know. */
  private List<byte[]> floodMessages(int n) {
    List<byte[]> l = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Handshake h =
          Handshake.create(
              StaticIdentity.generate(RandomSource.secure()),
              victim.key.publicKey().getBytes(),
              null,
              clock,
              RandomSource.secure());
      byte[] m = new byte[Protocol.INITIATION_LENGTH];
      h.createInitiation(1000 + i, m, 0);
      l.add(m);
    }
    return l;
  }

  private static InetSocketAddress source(int i) {
    try {
      byte[] a = {(byte) 198, (byte) 18, (byte) (i >>> 8), (byte) i};
      return new InetSocketAddress(InetAddress.getByAddress(a), 1024 + (i % 60_000));
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private static byte[] only(List<FakeSide.Sent> l) {
    assertThat(l).hasSize(1);
    return l.get(0).bytes();
  }
}
