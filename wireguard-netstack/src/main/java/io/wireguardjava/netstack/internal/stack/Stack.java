package io.wireguardjava.netstack.internal.stack;

import io.wireguardjava.netstack.internal.wire.Bytes;
import io.wireguardjava.netstack.internal.wire.Checksum;
import io.wireguardjava.netstack.internal.wire.Icmp;
import io.wireguardjava.netstack.internal.wire.Ipv4;
import io.wireguardjava.netstack.internal.wire.Ipv4Reassembler;
import io.wireguardjava.netstack.internal.wire.Ipv6;
import io.wireguardjava.netstack.internal.wire.Ipv6Reassembler;
import io.wireguardjava.netstack.internal.wire.PacketCheck;
import io.wireguardjava.netstack.internal.wire.Udp;
import java.io.IOException;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * The IP layer without I/O. Inbound packets go to {@link #onPacket}; outbound packets leave through
 * the {@link PacketOutput}; {@link #poll} runs timers and emits what application threads queued;
 * {@link #nextDeadline} says when {@code poll} must run again (smoltcp's shape).
 *
 * <p>Threads: {@code onPacket}, {@code poll}, {@code nextDeadline} and the {@link TcpPort} run on
 * one thread at a time, the stack thread, which owns the reassemblers and the scratch buffer
 * ({@link StackThread} passes that role between its receiver and its timer thread under a lock).
 * Application threads call {@link #bindUdp}, {@link #sendUdp} and {@link #ping}: they build packets
 * in preallocated {@link Outbox} buffers and call the {@code wake} hook so the stack thread polls.
 *
 * <p>Pipeline of one inbound packet: version -> header check -> destination is ours -> IPv4/IPv6
 * fragments to their reassembler -> by protocol: UDP to its endpoint (or ICMP port unreachable),
 * ICMP echo answered, ICMP errors to the endpoint or connection they quote, TCP (checksum verified)
 * to the TCP layer. Every packet not delivered is counted in {@link StackCounters}.
 */
public final class Stack {
  /** Datagrams queued per UDP endpoint before new ones are dropped. */
  public static final int UDP_QUEUE_LENGTH = 256;

  /** Application-built packets in flight to the stack thread. */
  public static final int OUTBOX_SLOTS = 256;

  /** Bytes each reassembler (IPv4, IPv6) may hold (Linux's ipfrag_high_thresh: 4 MiB per netns). */
  public static final int REASSEMBLY_BYTES = 1 << 20;

  /** Incomplete datagrams each reassembler holds at once. */
  public static final int REASSEMBLY_DATAGRAMS = 64;

  /** How long a datagram may stay incomplete (Linux's ipfrag_time, for IPv6 too). */
  public static final long REASSEMBLY_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

  /** How long a path MTU learnt from ICMP "packet too big" holds (Linux: mtu_expires, 600 s). */
  public static final long PATH_MTU_EXPIRY_NANOS = TimeUnit.MINUTES.toNanos(10);

  /** ICMP errors sent per second at most, and the burst (Linux: icmp_ratelimit, 1/ms). */
  public static final int ICMP_ERRORS_PER_SECOND = 1000;

  private static final int ICMP_ERROR_BURST = 50;
  private static final int EPHEMERAL_FIRST = 49152;
  private static final int V4_ERROR_SIZE = 576; // RFC 1812 4.3.2.3
  private static final int V6_ERROR_SIZE = 1280; // RFC 4443 2.4 (c)
  private static final int TCP = 6;
  private static final int TCP_CHECKSUM = 16;

  private final OwnAddresses addresses;
  private final int mtu;
  private final PacketOutput output;
  private final RandomGenerator random;
  private final Runnable wake;
  private final LongSupplier clock;
  private final StackCounters counters = new StackCounters();
  private final byte[] scratch;
  private final Ipv4Reassembler reassembler =
      new Ipv4Reassembler(REASSEMBLY_BYTES, REASSEMBLY_DATAGRAMS, REASSEMBLY_TIMEOUT_NANOS);
  private final Ipv6Reassembler reassembler6 =
      new Ipv6Reassembler(REASSEMBLY_BYTES, REASSEMBLY_DATAGRAMS, REASSEMBLY_TIMEOUT_NANOS);
  private final Outbox outbox;
  private final ConcurrentHashMap<Integer, UdpEndpoint> udp = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Integer, EchoWaiter> echoes = new ConcurrentHashMap<>();
  private final AtomicInteger ipv4Id;
  private volatile @Nullable TcpPort tcp;
  private long icmpTokens = ICMP_ERROR_BURST;
  private long icmpRefilled;
  private volatile boolean closed;

  /**
   * Creates a stack.
   *
   * @param addresses the interface's addresses
   * @param mtu the largest packet sent or accepted
   * @param output where packets go
   * @param random for ports and identifiers
   * @param clock the time source for application-side timing (ping), in nanoseconds
   * @param wake called from application threads when the stack thread should {@link #poll}
   */
  public Stack(
      OwnAddresses addresses,
      int mtu,
      PacketOutput output,
      RandomGenerator random,
      LongSupplier clock,
      Runnable wake) {
    if (mtu < 1280 || mtu > 65535) {
      throw new IllegalArgumentException("MTU " + mtu + " out of range [1280, 65535]");
    }
    this.addresses = addresses;
    this.mtu = mtu;
    this.output = output;
    this.random = random;
    this.clock = clock;
    this.wake = wake;
    this.scratch = new byte[65535];
    this.outbox = new Outbox(OUTBOX_SLOTS, mtu);
    this.ipv4Id = new AtomicInteger(random.nextInt());
  }

  /**
   * Plugs in the TCP layer.
   *
   * @param port the TCP layer's adapter
   */
  public void attachTcp(TcpPort port) {
    this.tcp = port;
  }

  /**
   * The MTU.
   *
   * @return the largest packet, in bytes
   */
  public int mtu() {
    return mtu;
  }

  /**
   * The interface's addresses.
   *
   * @return them
   */
  public OwnAddresses addresses() {
    return addresses;
  }

  /**
   * The counters.
   *
   * @return the live counters
   */
  public StackCounters counters() {
    return counters;
  }

  /**
   * Incomplete IPv4 datagrams (for tests and leak checks).
   *
   * @return the reassembler
   */
  Ipv4Reassembler reassembler() {
    return reassembler;
  }

  // ---------------------------------------------------------------- stack thread

  /**
   * Takes one inbound IP packet. Stack thread only; nothing is kept of {@code p} after returning.
   *
   * @param p the buffer
   * @param off where the packet starts
   * @param len its length
   * @param nowNanos the current time
   */
  public void onPacket(byte[] p, int off, int len, long nowNanos) {
    counters.received();
    if (len < 1) {
      counters.drop(StackDrop.MALFORMED);
      return;
    }
    int version = (p[off] >>> 4) & 0xf;
    if (version == 4) {
      onIpv4(p, off, len, nowNanos);
    } else if (version == 6) {
      onIpv6(p, off, len, nowNanos);
    } else {
      counters.drop(StackDrop.MALFORMED);
    }
  }

  private void onIpv4(byte[] p, int off, int len, long now) {
    if (Ipv4.check(p, off, len) != PacketCheck.OK) {
      counters.drop(StackDrop.MALFORMED);
      return;
    }
    if (!addresses.contains(p, off + Ipv4.DST, 4)) {
      counters.drop(StackDrop.NOT_FOR_US);
      return;
    }
    if (Ipv4.isFragment(p, off)) {
      counters.drop(StackDrop.FRAGMENT);
      byte[] whole = reassembler.offer(p, off, now);
      if (whole != null) {
        onIpv4(whole, 0, whole.length, now);
      }
      return;
    }
    int ihl = Ipv4.headerLength(p, off);
    int total = Ipv4.totalLength(p, off);
    transport(p, off, false, off + ihl, total - ihl, Ipv4.protocol(p, off), now);
  }

  private void onIpv6(byte[] p, int off, int len, long now) {
    if (Ipv6.check(p, off, len) != PacketCheck.OK) {
      counters.drop(StackDrop.MALFORMED);
      return;
    }
    if (!addresses.contains(p, off + Ipv6.DST, 16)) {
      counters.drop(StackDrop.NOT_FOR_US);
      return;
    }
    int fragment = Ipv6.fragmentHeader(p, off);
    if (fragment >= 0) {
      counters.drop(StackDrop.FRAGMENT);
      byte[] whole = reassembler6.offer(p, off, fragment, now);
      if (whole != null) {
        onIpv6(whole, 0, whole.length, now);
      }
      return;
    }
    int upper = Ipv6.upperLayer(p, off);
    if (upper < 0) {
      counters.drop(StackDrop.UNSUPPORTED);
      return;
    }
    int l4 = upper >>> 8;
    int end = Ipv6.HEADER + Ipv6.payloadLength(p, off);
    transport(p, off, true, off + l4, end - l4, upper & 0xff, now);
  }

  private void transport(
      byte[] p, int ip, boolean v6, int l4, int l4Length, int protocol, long now) {
    if (protocol == Udp.PROTOCOL) {
      onUdp(p, ip, v6, l4, l4Length, now);
    } else if (protocol == TCP) {
      onTcp(p, ip, v6, l4, l4Length, now);
    } else if (protocol == (v6 ? Icmp.PROTOCOL_V6 : Icmp.PROTOCOL_V4)) {
      onIcmp(p, ip, v6, l4, l4Length, now);
    } else {
      counters.drop(StackDrop.UNSUPPORTED);
    }
  }

  private void onUdp(byte[] p, int ip, boolean v6, int udpOff, int available, long now) {
    int addrLength = v6 ? 16 : 4;
    if (Udp.check(p, ip, addrLength, udpOff, available) != PacketCheck.OK) {
      counters.drop(StackDrop.MALFORMED);
      return;
    }
    UdpEndpoint ep = udp.get(Udp.dstPort(p, udpOff));
    if (ep == null) {
      counters.drop(StackDrop.NO_UDP_LISTENER);
      sendUnreachable(p, ip, v6, now);
      return;
    }
    StackDrop drop =
        ep.deliver(
            p,
            ip + (v6 ? Ipv6.SRC : Ipv4.SRC),
            addrLength,
            Udp.srcPort(p, udpOff),
            udpOff + Udp.HEADER,
            Udp.length(p, udpOff) - Udp.HEADER);
    if (drop != null) {
      counters.drop(drop);
    }
  }

  private void onTcp(byte[] p, int ip, boolean v6, int tcpOff, int tcpLength, long now) {
    int addrLength = v6 ? 16 : 4;
    int src = ip + (v6 ? Ipv6.SRC : Ipv4.SRC);
    int dst = ip + (v6 ? Ipv6.DST : Ipv4.DST);
    if (tcpLength < 20
        || Checksum.finish(
                Checksum.add(
                    Checksum.pseudoHeader(p, src, dst, addrLength, TCP, tcpLength),
                    p,
                    tcpOff,
                    tcpLength))
            != 0) {
      counters.drop(StackDrop.MALFORMED);
      return;
    }
    TcpPort t = tcp;
    if (t == null) {
      counters.drop(StackDrop.NO_TCP);
      return;
    }
    t.onSegment(p, src, dst, addrLength, tcpOff, tcpLength, now);
  }

  private void onIcmp(byte[] p, int ip, boolean v6, int icmp, int length, long now) {
    if (Icmp.check(p, ip, v6, icmp, length) != PacketCheck.OK) {
      counters.drop(StackDrop.MALFORMED);
      return;
    }
    int type = Icmp.type(p, icmp);
    int code = Icmp.code(p, icmp);
    if (type == (v6 ? Icmp.V6_ECHO_REQUEST : Icmp.V4_ECHO_REQUEST)) {
      echoReply(p, ip, v6, icmp, length);
    } else if (type == (v6 ? Icmp.V6_ECHO_REPLY : Icmp.V4_ECHO_REPLY)) {
      EchoWaiter w = echoes.get(Bytes.i32(p, icmp + 4));
      if (w != null && Bytes.equal(w.peer, 0, p, ip + (v6 ? Ipv6.SRC : Ipv4.SRC), v6 ? 16 : 4)) {
        w.complete(now);
      } else {
        counters.drop(StackDrop.ICMP_IGNORED);
      }
    } else if (!v6 && type == Icmp.V4_UNREACHABLE) {
      quotedError(
          p,
          false,
          icmp + Icmp.HEADER,
          length - Icmp.HEADER,
          IcmpError.ofV4Unreachable(code),
          Bytes.u16(p, icmp + 6),
          now);
    } else if (v6 && (type == Icmp.V6_UNREACHABLE || type == Icmp.V6_PACKET_TOO_BIG)) {
      IcmpError kind =
          type == Icmp.V6_PACKET_TOO_BIG
              ? IcmpError.PACKET_TOO_BIG
              : IcmpError.ofV6Unreachable(code);
      quotedError(
          p, true, icmp + Icmp.HEADER, length - Icmp.HEADER, kind, Bytes.i32(p, icmp + 4), now);
    } else {
      counters.drop(StackDrop.ICMP_IGNORED);
    }
  }

  /** An ICMP error quoting one of our packets: finds the UDP endpoint or TCP connection. */
  private void quotedError(
      byte[] p, boolean v6, int q, int qLength, IcmpError kind, int mtu, long now) {
    int ipHeader;
    int protocol;
    if (v6) {
      if (qLength < Ipv6.HEADER + 8 || ((p[q] >>> 4) & 0xf) != 6) {
        counters.drop(StackDrop.MALFORMED);
        return;
      }
      ipHeader = Ipv6.HEADER; // we never send extension headers
      protocol = p[q + 6] & 0xff;
    } else {
      if (qLength < Ipv4.HEADER + 8 || ((p[q] >>> 4) & 0xf) != 4) {
        counters.drop(StackDrop.MALFORMED);
        return;
      }
      ipHeader = Ipv4.headerLength(p, q);
      protocol = Ipv4.protocol(p, q);
      if (ipHeader < Ipv4.HEADER || qLength < ipHeader + 8) {
        counters.drop(StackDrop.MALFORMED);
        return;
      }
    }
    int addrLength = v6 ? 16 : 4;
    int src = q + (v6 ? Ipv6.SRC : Ipv4.SRC);
    int dst = q + (v6 ? Ipv6.DST : Ipv4.DST);
    if (!addresses.contains(p, src, addrLength)) {
      counters.drop(StackDrop.ICMP_IGNORED);
      return;
    }
    int l4 = q + ipHeader;
    if (protocol == Udp.PROTOCOL) {
      UdpEndpoint ep = udp.get(Udp.srcPort(p, l4));
      if (ep != null && kind == IcmpError.PORT_UNREACHABLE) {
        ep.portUnreachable(p, dst, addrLength, Udp.dstPort(p, l4));
      } else if (ep != null && kind == IcmpError.PACKET_TOO_BIG) {
        ep.packetTooBig(p, dst, addrLength, mtu, now);
      } else {
        counters.drop(StackDrop.ICMP_IGNORED);
      }
    } else if (protocol == TCP && tcp != null) {
      int quoted = q + qLength - l4;
      tcp.onIcmpError(
          p,
          src,
          dst,
          addrLength,
          l4,
          quoted,
          kind,
          kind == IcmpError.PACKET_TOO_BIG ? mtu : 0,
          now);
    } else {
      counters.drop(StackDrop.ICMP_IGNORED);
    }
  }

  private void echoReply(byte[] p, int ip, boolean v6, int icmp, int length) {
    int header = v6 ? Ipv6.HEADER : Ipv4.HEADER;
    if (header + length > mtu) {
      counters.drop(StackDrop.ICMP_IGNORED); // a reassembled jumbo echo: we do not fragment
      return;
    }
    byte[] out = scratch;
    System.arraycopy(p, icmp, out, header, length);
    writeIpHeader(out, v6, header + length, v6 ? Icmp.PROTOCOL_V6 : Icmp.PROTOCOL_V4, p, ip);
    out[header] = (byte) (v6 ? Icmp.V6_ECHO_REPLY : Icmp.V4_ECHO_REPLY);
    Icmp.fillChecksum(out, 0, v6, header, length);
    emit(out, header + length);
  }

  /** Answers a packet to a closed UDP port with ICMP port unreachable, rate limited. */
  private void sendUnreachable(byte[] p, int ip, boolean v6, long now) {
    if (!takeIcmpToken(now)) {
      counters.drop(StackDrop.ICMP_RATE_LIMITED);
      return;
    }
    int header = v6 ? Ipv6.HEADER : Ipv4.HEADER;
    int originalLength = v6 ? Ipv6.HEADER + Ipv6.payloadLength(p, ip) : Ipv4.totalLength(p, ip);
    int quote =
        Math.min(
            originalLength,
            Math.min(v6 ? V6_ERROR_SIZE : V4_ERROR_SIZE, mtu) - header - Icmp.HEADER);
    byte[] out = scratch;
    int icmp = header;
    System.arraycopy(p, ip, out, icmp + Icmp.HEADER, quote);
    int length = Icmp.HEADER + quote;
    writeIpHeader(out, v6, header + length, v6 ? Icmp.PROTOCOL_V6 : Icmp.PROTOCOL_V4, p, ip);
    out[icmp] = (byte) (v6 ? Icmp.V6_UNREACHABLE : Icmp.V4_UNREACHABLE);
    out[icmp + 1] = (byte) (v6 ? Icmp.V6_CODE_PORT_UNREACHABLE : Icmp.V4_CODE_PORT_UNREACHABLE);
    Bytes.put32(out, icmp + 4, 0);
    Icmp.fillChecksum(out, 0, v6, icmp, length);
    emit(out, header + length);
  }

  private boolean takeIcmpToken(long now) {
    long perToken = TimeUnit.SECONDS.toNanos(1) / ICMP_ERRORS_PER_SECOND;
    long earned = (now - icmpRefilled) / perToken;
    if (earned > 0) {
      icmpTokens = Math.min(ICMP_ERROR_BURST, icmpTokens + earned);
      icmpRefilled += earned * perToken;
      if (icmpTokens == ICMP_ERROR_BURST) {
        icmpRefilled = now;
      }
    }
    if (icmpTokens == 0) {
      return false;
    }
    icmpTokens--;
    return true;
  }

  /** Writes an IP header into out[0..) answering the packet at p[ip]: addresses swapped. */
  private void writeIpHeader(byte[] out, boolean v6, int total, int protocol, byte[] p, int ip) {
    if (v6) {
      Ipv6.write(out, 0, total - Ipv6.HEADER, protocol, p, ip + Ipv6.DST, p, ip + Ipv6.SRC);
    } else {
      Ipv4.write(
          out, 0, total, ipv4Id.getAndIncrement(), protocol, p, ip + Ipv4.DST, p, ip + Ipv4.SRC);
    }
  }

  private void emit(byte[] out, int length) {
    if (output.emit(out, 0, length)) {
      counters.sent();
    } else {
      counters.drop(StackDrop.OUTPUT_FAILED);
    }
  }

  /**
   * Sends one TCP segment from the TCP layer (stack thread). The checksum field must be zero; the
   * IP header and checksum are added here.
   *
   * @param src our address (4 or 16 bytes)
   * @param dst the remote address (same length)
   * @param segment the buffer
   * @param offset where the TCP header starts
   * @param length header plus payload
   * @return false when it does not fit the MTU or the output refused it
   */
  public boolean sendTcp(byte[] src, byte[] dst, byte[] segment, int offset, int length) {
    boolean v6 = src.length == 16;
    int header = v6 ? Ipv6.HEADER : Ipv4.HEADER;
    if (header + length > mtu) {
      counters.drop(StackDrop.OUTPUT_FAILED);
      return false;
    }
    byte[] out = scratch;
    System.arraycopy(segment, offset, out, header, length);
    if (v6) {
      Ipv6.write(out, 0, length, TCP, src, dst);
    } else {
      Ipv4.write(out, 0, header + length, ipv4Id.getAndIncrement(), TCP, src, dst);
    }
    int srcOff = v6 ? Ipv6.SRC : Ipv4.SRC;
    int dstOff = v6 ? Ipv6.DST : Ipv4.DST;
    Bytes.put16(out, header + TCP_CHECKSUM, 0);
    int c =
        Checksum.finish(
            Checksum.add(
                Checksum.pseudoHeader(out, srcOff, dstOff, src.length, TCP, length),
                out,
                header,
                length));
    Bytes.put16(out, header + TCP_CHECKSUM, c);
    if (output.emit(out, 0, header + length)) {
      counters.sent();
      return true;
    }
    counters.drop(StackDrop.OUTPUT_FAILED);
    return false;
  }

  /**
   * Says that the packets given to {@link #onPacket} until the next {@link #poll} arrived together
   * (a burst taken from the tunnel at once): TCP may then send one ACK for the burst's in-order
   * data at that poll rather than one every second segment. Stack thread only.
   */
  public void beginBatch() {
    TcpPort t = tcp;
    if (t != null) {
      t.beginBatch();
    }
  }

  /**
   * Ends a batch begun with {@link #beginBatch} (sending the ACKs it owes), emits what application
   * threads queued, expires reassembly, runs the TCP layer's timers.
   *
   * @param nowNanos the current time
   */
  public void poll(long nowNanos) {
    outbox.drain(output, counters);
    reassembler.expire(nowNanos);
    reassembler6.expire(nowNanos);
    TcpPort t = tcp;
    if (t != null) {
      t.poll(nowNanos);
    }
  }

  /**
   * When {@link #poll} must run next, if nothing else happens.
   *
   * @return the instant, or {@link Long#MAX_VALUE}
   */
  public long nextDeadline() {
    if (!outbox.isEmpty()) {
      return Long.MIN_VALUE;
    }
    TcpPort t = tcp;
    long d = Math.min(reassembler.nextDeadline(), reassembler6.nextDeadline());
    return t == null ? d : Math.min(d, t.nextDeadlineNanos());
  }

  // ---------------------------------------------------------------- any thread

  /** The stack's clock now, in nanoseconds. */
  long clockNanos() {
    return clock.getAsLong();
  }

  /**
   * Binds a UDP port on all our addresses.
   *
   * @param port the port, 0 for an ephemeral one
   * @return the endpoint
   * @throws BindException when the port is taken (or no ephemeral port is free)
   * @throws SocketException when the stack is closed
   */
  public UdpEndpoint bindUdp(int port) throws SocketException {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("UDP port " + port + " out of range [0, 65535]");
    }
    if (closed) {
      throw new SocketException("The tunnel network is closed");
    }
    if (port != 0) {
      UdpEndpoint ep = new UdpEndpoint(this, port, UDP_QUEUE_LENGTH);
      if (udp.putIfAbsent(port, ep) != null) {
        throw new BindException("UDP port " + port + " is already bound on the tunnel network");
      }
      return ep;
    }
    int span = 65536 - EPHEMERAL_FIRST;
    int start = random.nextInt(span);
    for (int i = 0; i < span; i++) {
      int candidate = EPHEMERAL_FIRST + (start + i) % span;
      UdpEndpoint ep = new UdpEndpoint(this, candidate, UDP_QUEUE_LENGTH);
      if (udp.putIfAbsent(candidate, ep) == null) {
        return ep;
      }
    }
    throw new BindException("No free ephemeral UDP port on the tunnel network");
  }

  void unbindUdp(UdpEndpoint ep) {
    udp.remove(ep.port(), ep);
  }

  /**
   * Bound UDP ports (for leak checks).
   *
   * @return how many
   */
  public int udpBindings() {
    return udp.size();
  }

  /** Builds a UDP datagram in an outbox buffer and wakes the stack thread to send it. */
  void sendUdp(int srcPort, ByteBuffer payload, InetAddress to, int dstPort) throws IOException {
    boolean v6 = to instanceof Inet6Address;
    byte[] src = source(v6, to);
    int header = v6 ? Ipv6.HEADER : Ipv4.HEADER;
    int n = payload.remaining();
    int max = mtu - header - Udp.HEADER;
    if (n > max) {
      throw new SocketException(
          "Message too long: " + n + " bytes, at most " + max + " fit in one packet at MTU " + mtu);
    }
    if (dstPort < 1 || dstPort > 65535) {
      throw new IllegalArgumentException("UDP destination port " + dstPort + " out of range");
    }
    byte[] dst = to.getAddress();
    Outbox.Slot s = outbox.acquire();
    byte[] b = s.buf;
    payload.get(b, header + Udp.HEADER, n);
    if (v6) {
      Ipv6.write(b, 0, Udp.HEADER + n, Udp.PROTOCOL, src, dst);
    } else {
      Ipv4.write(b, 0, header + Udp.HEADER + n, ipv4Id.getAndIncrement(), Udp.PROTOCOL, src, dst);
    }
    Udp.write(b, 0, v6, header, srcPort, dstPort, n);
    s.length = header + Udp.HEADER + n;
    outbox.queue(s);
    wake.run();
  }

  private byte[] source(boolean v6, InetAddress to) throws NoRouteToHostException {
    return addresses
        .source(v6)
        .orElseThrow(
            () ->
                new NoRouteToHostException(
                    "No "
                        + (v6 ? "IPv6" : "IPv4")
                        + " address on the tunnel interface to reach "
                        + to.getHostAddress()));
  }

  /**
   * Sends an ICMP echo request and waits for the reply.
   *
   * @param to the address to ping
   * @param timeoutNanos how long to wait
   * @return the round-trip time in nanoseconds, or -1 when no reply came in time
   * @throws IOException when the stack has no address of that family or is closed
   */
  public long ping(InetAddress to, long timeoutNanos) throws IOException {
    boolean v6 = to instanceof Inet6Address;
    byte[] src = source(v6, to);
    byte[] dst = to.getAddress();
    EchoWaiter waiter = new EchoWaiter(dst);
    int key;
    do {
      key = random.nextInt() & 0xffff0000 | 1; // identifier: random; sequence: 1
    } while (echoes.putIfAbsent(key, waiter) != null);
    try {
      int header = v6 ? Ipv6.HEADER : Ipv4.HEADER;
      int length = Icmp.HEADER + 56; // as ping(8): 56 data bytes
      Outbox.Slot s = outbox.acquire();
      byte[] b = s.buf;
      if (v6) {
        Ipv6.write(b, 0, length, Icmp.PROTOCOL_V6, src, dst);
      } else {
        Ipv4.write(b, 0, header + length, ipv4Id.getAndIncrement(), Icmp.PROTOCOL_V4, src, dst);
      }
      b[header] = (byte) (v6 ? Icmp.V6_ECHO_REQUEST : Icmp.V4_ECHO_REQUEST);
      b[header + 1] = 0;
      Bytes.put32(b, header + 4, key);
      long start = clock.getAsLong();
      for (int i = 0; i < 56; i++) {
        b[header + Icmp.HEADER + i] = (byte) (i < 8 ? start >>> (56 - 8 * i) : i);
      }
      Icmp.fillChecksum(b, 0, v6, header, length);
      s.length = header + length;
      outbox.queue(s);
      wake.run();
      long reply = waiter.await(timeoutNanos);
      return reply == Long.MIN_VALUE ? -1 : Math.max(0, reply - start);
    } finally {
      echoes.remove(key, waiter);
    }
  }

  /** Closes every UDP endpoint and refuses new work; the TCP layer is closed by its owner. */
  public void close() {
    closed = true;
    outbox.close();
    for (UdpEndpoint ep : udp.values()) {
      ep.close();
    }
  }
}
