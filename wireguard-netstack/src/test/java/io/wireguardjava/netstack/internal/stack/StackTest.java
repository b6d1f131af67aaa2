package io.wireguardjava.netstack.internal.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wireguardjava.netstack.internal.wire.Bytes;
import io.wireguardjava.netstack.internal.wire.Checksum;
import io.wireguardjava.netstack.internal.wire.Icmp;
import io.wireguardjava.netstack.internal.wire.Ipv4;
import io.wireguardjava.netstack.internal.wire.Ipv6;
import io.wireguardjava.netstack.internal.wire.PacketCheck;
import io.wireguardjava.netstack.internal.wire.Udp;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The sans-I/O stack with scripted packets and a manual clock: no threads, no sleeping. */
class StackTest {
  private static final byte[] US4 = {10, 9, 0, 1};
  private static final byte[] THEM4 = {10, 9, 0, 2};
  private static final byte[] US6 = addr("fd09::1");
  private static final byte[] THEM6 = addr("fd09::2");

  private final List<byte[]> sent = new ArrayList<>();
  private final AtomicInteger wakes = new AtomicInteger();
  private long now = 1_000_000_000L;
  private final Stack stack =
      new Stack(
          new OwnAddresses(List.of(inet(US4), inet(US6))),
          1420,
          (b, off, len) -> sent.add(Arrays.copyOfRange(b, off, off + len)),
          new SplittableRandom(1),
          () -> now,
          wakes::incrementAndGet);

  private static byte[] addr(String s) {
    try {
      return InetAddress.getByName(s).getAddress();
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private static InetAddress inet(byte[] b) {
    try {
      return InetAddress.getByAddress(b);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  static byte[] udp(byte[] src, byte[] dst, int srcPort, int dstPort, byte[] payload) {
    boolean v6 = src.length == 16;
    int h = v6 ? 40 : 20;
    byte[] p = new byte[h + 8 + payload.length];
    System.arraycopy(payload, 0, p, h + 8, payload.length);
    if (v6) {
      Ipv6.write(p, 0, 8 + payload.length, Udp.PROTOCOL, src, dst);
    } else {
      Ipv4.write(p, 0, p.length, 1, Udp.PROTOCOL, src, dst);
    }
    Udp.write(p, 0, v6, h, srcPort, dstPort, payload.length);
    return p;
  }

  static byte[] echo(byte[] src, byte[] dst, int type, int idSeq, int dataLength) {
    boolean v6 = src.length == 16;
    int h = v6 ? 40 : 20;
    byte[] p = new byte[h + 8 + dataLength];
    if (v6) {
      Ipv6.write(p, 0, 8 + dataLength, Icmp.PROTOCOL_V6, src, dst);
    } else {
      Ipv4.write(p, 0, p.length, 2, Icmp.PROTOCOL_V4, src, dst);
    }
    p[h] = (byte) type;
    Bytes.put32(p, h + 4, idSeq);
    for (int i = 0; i < dataLength; i++) {
      p[h + 8 + i] = (byte) (i * 7);
    }
    Icmp.fillChecksum(p, 0, v6, h, 8 + dataLength);
    return p;
  }

  private void in(byte[] p) {
    stack.onPacket(p, 0, p.length, now);
  }

  private byte[] onlySent() {
    assertThat(sent).hasSize(1);
    return sent.remove(0);
  }

  @Test
  void answersIpv4EchoRequestsToItsAddress() {
    in(echo(THEM4, US4, Icmp.V4_ECHO_REQUEST, 0x12340001, 56));
    byte[] r = onlySent();
    assertThat(Ipv4.check(r, 0, r.length)).isEqualTo(PacketCheck.OK);
    assertThat(Arrays.copyOfRange(r, 12, 16)).isEqualTo(US4);
    assertThat(Arrays.copyOfRange(r, 16, 20)).isEqualTo(THEM4);
    assertThat(Icmp.type(r, 20)).isEqualTo(Icmp.V4_ECHO_REPLY);
    assertThat(Icmp.check(r, 0, false, 20, r.length - 20)).isEqualTo(PacketCheck.OK);
    assertThat(Bytes.i32(r, 24)).isEqualTo(0x12340001);
    byte[] req = echo(THEM4, US4, Icmp.V4_ECHO_REQUEST, 0x12340001, 56);
    assertThat(Arrays.copyOfRange(r, 28, r.length))
        .isEqualTo(Arrays.copyOfRange(req, 28, req.length));
  }

  @Test
  void answersIpv6EchoRequests() {
    in(echo(THEM6, US6, Icmp.V6_ECHO_REQUEST, 0x00070003, 100));
    byte[] r = onlySent();
    assertThat(Ipv6.check(r, 0, r.length)).isEqualTo(PacketCheck.OK);
    assertThat(Icmp.type(r, 40)).isEqualTo(Icmp.V6_ECHO_REPLY);
    assertThat(Icmp.check(r, 0, true, 40, r.length - 40)).isEqualTo(PacketCheck.OK);
    assertThat(Arrays.copyOfRange(r, 24, 40)).isEqualTo(THEM6);
  }

  @Test
  void dropsAndCountsWhatIsNotForItOrBroken() {
    in(echo(THEM4, new byte[] {10, 9, 0, 3}, Icmp.V4_ECHO_REQUEST, 1, 8));
    byte[] bad = echo(THEM4, US4, Icmp.V4_ECHO_REQUEST, 1, 8);
    bad[bad.length - 1] ^= 1; // ICMP checksum no longer verifies
    in(bad);
    byte[] badUdp = udp(THEM4, US4, 1, 2, new byte[10]);
    badUdp[30] ^= 1;
    in(badUdp);
    stack.onPacket(new byte[] {0x70}, 0, 1, now);
    assertThat(sent).isEmpty();
    assertThat(stack.counters().dropped(StackDrop.NOT_FOR_US)).isEqualTo(1);
    assertThat(stack.counters().dropped(StackDrop.MALFORMED)).isEqualTo(3);
  }

  @Test
  void udpToAClosedPortIsAnsweredWithPortUnreachableQuotingIt() {
    byte[] d = udp(THEM4, US4, 5000, 9999, "x".getBytes(StandardCharsets.US_ASCII));
    in(d);
    byte[] r = onlySent();
    assertThat(Ipv4.check(r, 0, r.length)).isEqualTo(PacketCheck.OK);
    assertThat(Icmp.type(r, 20)).isEqualTo(Icmp.V4_UNREACHABLE);
    assertThat(Icmp.code(r, 20)).isEqualTo(Icmp.V4_CODE_PORT_UNREACHABLE);
    assertThat(Icmp.check(r, 0, false, 20, r.length - 20)).isEqualTo(PacketCheck.OK);
    assertThat(Arrays.copyOfRange(r, 28, r.length)).isEqualTo(d);

    byte[] d6 = udp(THEM6, US6, 5000, 9999, new byte[3000 - 48]); // large: the quote is capped
    in(d6);
    byte[] r6 = onlySent();
    assertThat(r6.length).isEqualTo(1280);
    assertThat(Icmp.type(r6, 40)).isEqualTo(Icmp.V6_UNREACHABLE);
    assertThat(Icmp.code(r6, 40)).isEqualTo(Icmp.V6_CODE_PORT_UNREACHABLE);
    assertThat(Icmp.check(r6, 0, true, 40, r6.length - 40)).isEqualTo(PacketCheck.OK);
  }

  @Test
  void portUnreachableIsRateLimited() {
    for (int i = 0; i < 200; i++) {
      in(udp(THEM4, US4, 5000, 9999, new byte[1]));
    }
    assertThat(sent).hasSize(50); // the burst
    now += TimeUnit.MILLISECONDS.toNanos(10);
    sent.clear();
    for (int i = 0; i < 200; i++) {
      in(udp(THEM4, US4, 5000, 9999, new byte[1]));
    }
    assertThat(sent).hasSize(10); // 1 per ms
    assertThat(stack.counters().dropped(StackDrop.ICMP_RATE_LIMITED)).isEqualTo(340);
  }

  @Test
  void udpIsDeliveredToTheBoundEndpointBothFamilies() throws Exception {
    UdpEndpoint ep = stack.bindUdp(5353);
    in(udp(THEM4, US4, 1111, 5353, "four".getBytes(StandardCharsets.US_ASCII)));
    in(udp(THEM6, US6, 2222, 5353, "six".getBytes(StandardCharsets.US_ASCII)));
    ByteBuffer b = ByteBuffer.allocate(100);
    assertThat(ep.receive(b, 0)).isEqualTo(new InetSocketAddress(inet(THEM4), 1111));
    assertThat(new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII)).isEqualTo("four");
    b.clear();
    assertThat(ep.receive(b, 0)).isEqualTo(new InetSocketAddress(inet(THEM6), 2222));
    assertThat(b.position()).isEqualTo(3);
    assertThatThrownBy(() -> ep.receive(ByteBuffer.allocate(1), 1_000_000))
        .isInstanceOf(SocketTimeoutException.class);
    assertThat(sent).isEmpty();
  }

  @Test
  void connectedEndpointFiltersAndReportsPortUnreachable() throws Exception {
    UdpEndpoint ep = stack.bindUdp(0);
    InetSocketAddress peer = new InetSocketAddress(inet(THEM4), 53);
    ep.connect(peer);
    ep.send(ByteBuffer.wrap(new byte[] {1, 2, 3}), null);
    assertThat(wakes.get()).isPositive();
    assertThat(sent).isEmpty(); // built by the application thread, sent by the stack thread's poll
    stack.poll(now);
    byte[] out = onlySent();
    assertThat(Udp.check(out, 0, 4, 20, out.length - 20)).isEqualTo(PacketCheck.OK);
    assertThat(Udp.srcPort(out, 20)).isEqualTo(ep.port());

    in(udp(new byte[] {10, 9, 0, 7}, US4, 53, ep.port(), new byte[1])); // someone else: dropped
    assertThat(ep.queued()).isZero();
    assertThat(stack.counters().dropped(StackDrop.UDP_NOT_CONNECTED_PEER)).isEqualTo(1);

    // The peer answers with port unreachable quoting our datagram.
    byte[] icmp = new byte[20 + 8 + out.length];
    Ipv4.write(icmp, 0, icmp.length, 3, Icmp.PROTOCOL_V4, THEM4, US4);
    icmp[20] = (byte) Icmp.V4_UNREACHABLE;
    icmp[21] = (byte) Icmp.V4_CODE_PORT_UNREACHABLE;
    System.arraycopy(out, 0, icmp, 28, out.length);
    Icmp.fillChecksum(icmp, 0, false, 20, icmp.length - 20);
    in(icmp);
    assertThatThrownBy(() -> ep.send(ByteBuffer.wrap(new byte[1]), null))
        .isInstanceOf(PortUnreachableException.class);
    ep.send(ByteBuffer.wrap(new byte[1]), null); // reported once, as Linux does
    ep.close();
    assertThat(stack.udpBindings()).isZero();
  }

  /**
   * An ICMP error from THEM quoting {@code quoted}: 3/4 (IPv4) or 2 (IPv6) carrying {@code mtu}.
   */
  private static byte[] packetTooBig(byte[] quoted, int mtu) {
    boolean v6 = (quoted[0] >>> 4) == 6;
    int h = v6 ? 40 : 20;
    int n = Math.min(quoted.length, v6 ? 1232 : 548);
    byte[] icmp = new byte[h + 8 + n];
    if (v6) {
      Ipv6.write(icmp, 0, 8 + n, Icmp.PROTOCOL_V6, THEM6, US6);
      icmp[h] = (byte) Icmp.V6_PACKET_TOO_BIG;
      Bytes.put32(icmp, h + 4, mtu);
    } else {
      Ipv4.write(icmp, 0, icmp.length, 4, Icmp.PROTOCOL_V4, THEM4, US4);
      icmp[h] = (byte) Icmp.V4_UNREACHABLE;
      icmp[h + 1] = (byte) Icmp.V4_CODE_FRAGMENTATION_NEEDED;
      Bytes.put16(icmp, h + 6, mtu);
    }
    System.arraycopy(quoted, 0, icmp, h + 8, n);
    Icmp.fillChecksum(icmp, 0, v6, h, icmp.length - h);
    return icmp;
  }

  @ParameterizedTest(name = "ipv6={0}")
  @ValueSource(booleans = {false, true})
  void packetTooBigForUdpRefusesLargerDatagramsToThatDestinationUntilItExpires(boolean v6)
      throws Exception {
    UdpEndpoint ep = stack.bindUdp(0);
    byte[] them = v6 ? THEM6 : THEM4;
    int pmtu = v6 ? 1280 : 1000;
    int fits = pmtu - (v6 ? 48 : 28);
    InetSocketAddress to = new InetSocketAddress(inet(them), 9);
    ep.send(ByteBuffer.wrap(new byte[1300]), to);
    stack.poll(now);
    byte[] first = onlySent();
    in(packetTooBig(first, pmtu));
    assertThatThrownBy(() -> ep.send(ByteBuffer.wrap(new byte[fits + 1]), to))
        .isInstanceOf(SocketException.class)
        .hasMessageContaining("path MTU of " + pmtu)
        .hasMessageContaining("at most " + fits);
    ep.send(ByteBuffer.wrap(new byte[fits]), to);
    stack.poll(now);
    assertThat(onlySent()).hasSize(pmtu);
    // Another destination is not limited.
    byte[] other = v6 ? addr("fd09::7") : new byte[] {10, 9, 0, 7};
    ep.send(ByteBuffer.wrap(new byte[1300]), new InetSocketAddress(inet(other), 9));
    stack.poll(now);
    onlySent();
    // A report below the minimum MTU, or not below the interface MTU, changes nothing.
    in(packetTooBig(first, v6 ? 1279 : 67));
    in(packetTooBig(first, 1420));
    assertThatThrownBy(() -> ep.send(ByteBuffer.wrap(new byte[fits + 1]), to))
        .hasMessageContaining("path MTU of " + pmtu);
    now += Stack.PATH_MTU_EXPIRY_NANOS;
    ep.send(ByteBuffer.wrap(new byte[1300]), to);
    stack.poll(now);
    assertThat(onlySent()).as("the path MTU expired").isNotEmpty();
    ep.close();
  }

  @Test
  void fragmentedUdpIsReassembledAndDelivered() throws Exception {
    UdpEndpoint ep = stack.bindUdp(53);
    byte[] payload = new byte[4000];
    new java.util.Random(5).nextBytes(payload);
    byte[] whole = udp(THEM4, US4, 53, 53, payload);
    int ipPayload = whole.length - 20;
    for (int at = 0; at < ipPayload; at += 1480) {
      int n = Math.min(1480, ipPayload - at);
      byte[] f = new byte[20 + n];
      Ipv4.write(f, 0, f.length, 77, Udp.PROTOCOL, THEM4, US4);
      Bytes.put16(f, 6, (at + n < ipPayload ? 0x2000 : 0) | at / 8);
      Bytes.put16(f, 10, 0);
      Bytes.put16(f, 10, Checksum.of(f, 0, 20));
      System.arraycopy(whole, 20 + at, f, 20, n);
      in(f);
    }
    ByteBuffer b = ByteBuffer.allocate(5000);
    ep.receive(b, 1);
    assertThat(Arrays.copyOf(b.array(), b.position())).isEqualTo(payload);
  }

  @Test
  void fragmentedUdpOverIpv6IsReassembledAndDelivered() throws Exception {
    UdpEndpoint ep = stack.bindUdp(54);
    byte[] payload = new byte[4000];
    new java.util.Random(6).nextBytes(payload);
    byte[] whole = udp(THEM6, US6, 53, 54, payload);
    int fragmentable = whole.length - 40;
    List<byte[]> fragments = new ArrayList<>();
    for (int at = 0; at < fragmentable; at += 1232) {
      int n = Math.min(1232, fragmentable - at);
      byte[] f = new byte[40 + 8 + n];
      Ipv6.write(f, 0, 8 + n, 44, THEM6, US6); // Next Header: Fragment
      f[40] = (byte) Udp.PROTOCOL;
      Bytes.put16(f, 42, at | (at + n < fragmentable ? 1 : 0));
      Bytes.put32(f, 44, 0x1234_5678);
      System.arraycopy(whole, 40 + at, f, 48, n);
      fragments.add(f);
    }
    java.util.Collections.reverse(fragments); // the last first: order does not matter
    for (byte[] f : fragments) {
      in(f);
    }
    ByteBuffer b = ByteBuffer.allocate(5000);
    ep.receive(b, 1);
    assertThat(Arrays.copyOf(b.array(), b.position())).isEqualTo(payload);
    assertThat(stack.counters().dropped(StackDrop.FRAGMENT)).isEqualTo(fragments.size());
  }

  @Test
  void pingCompletesWhenTheReplyArrives() throws Exception {
    CompletableFuture<Long> rtt =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return stack.ping(inet(THEM6), TimeUnit.SECONDS.toNanos(10));
              } catch (java.io.IOException e) {
                throw new AssertionError(e);
              }
            });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (sent.isEmpty() && System.nanoTime() < deadline) {
      stack.poll(now);
      Thread.onSpinWait();
    }
    byte[] req = onlySent();
    assertThat(Icmp.type(req, 40)).isEqualTo(Icmp.V6_ECHO_REQUEST);
    assertThat(Icmp.check(req, 0, true, 40, req.length - 40)).isEqualTo(PacketCheck.OK);
    now += TimeUnit.MILLISECONDS.toNanos(42);
    byte[] reply = req.clone();
    System.arraycopy(req, 8, reply, 24, 16);
    System.arraycopy(req, 24, reply, 8, 16);
    reply[40] = (byte) Icmp.V6_ECHO_REPLY;
    Icmp.fillChecksum(reply, 0, true, 40, reply.length - 40);
    in(reply);
    assertThat(rtt.get(10, TimeUnit.SECONDS)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(42));
  }

  @Test
  void pingTimesOutWithoutAReply() throws Exception {
    assertThat(stack.ping(inet(THEM4), TimeUnit.MILLISECONDS.toNanos(20))).isEqualTo(-1);
  }
}
