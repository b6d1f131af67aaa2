package io.wireguardjava.tun.linux;

import io.wireguardjava.spi.PacketBatch;
import io.wireguardjava.tun.linux.internal.LibC;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import jnr.ffi.Pointer;

/**
 * Once per JVM, when the first Linux TUN has opened: a short-lived daemon thread that gets the JIT
 * to compile the TUN's own read and write path, which the engine's loopback warm-up cannot reach
 * (it carries its packets through an in-process device). Without it, every packet of a quiet
 * tunnel's first seconds runs {@link LinuxTun#readBatch}, {@link LinuxTun#writeBatch}, {@link
 * VirtioNetHeader}, {@link GsoSplit}, {@link GroCoalesce}, {@link Checksum} and the JNR-FFI stubs
 * of {@code read(2)}, {@code write(2)} and {@code poll(2)} in the interpreter (none of them reaches
 * the 200 calls after which C1 compiles a method until the traffic does).
 *
 * <p>The device warmed up is a real {@link LinuxTun} with the real tunnel's offloads, over one end
 * of an {@code AF_UNIX SOCK_SEQPACKET} socket pair (which keeps packet boundaries as a TUN does):
 * no interface, route or real device is touched and nothing leaves the process. The warm-up thread
 * plays the kernel on the other end: it writes what a TUN hands out (pings, UDP and TCP with
 * partial checksums, IPv4 and IPv6 TSO super-packets) and reads back what the device writes. A
 * second thread plays the engine: {@code readBatch}, then {@code writeBatch} of the same batch, so
 * the split segments come back through {@link GroCoalesce} as one merged write.
 *
 * <p>Bounded: {@value #ROUNDS} rounds or {@link #DEADLINE_NANOS}, two threads, about 400 KB of
 * buffers; when {@link #run} returns, the device and both descriptors are closed and the second
 * thread is gone. A failure is logged at DEBUG and ends the warm-up, never the tunnel. The switch
 * is the engine warm-up's: {@code -Dio.wireguardjava.core.warmUp=false} turns both off (the unit
 * tests do).
 */
final class TunWarmUp {
  private static final System.Logger LOG = System.getLogger(TunWarmUp.class.getName());

  /** The system property that turns the warm-ups off ({@code false}), shared with the engine. */
  static final String PROPERTY = "io.wireguardjava.core.warmUp";

  /**
   * Reads and writes of the device: past the 5,000 calls after which C2 compiles a method
   * (Tier4InvocationThreshold); the per-segment and per-packet helpers get more calls than that.
   */
  static final int ROUNDS = 6_000;

  /** The most the warm-up may take, on a host too loaded to finish it sooner. */
  static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(10);

  /** How long the kernel side waits for the device's write of one round. */
  private static final int REPLY_WAIT_MILLIS = 1_000;

  /** Room for the largest write of the device: a header and a 64 KB packet. */
  private static final int IN_BUFFER = 65_535 + VirtioNetHeader.LENGTH;

  /** TCP segments per TSO super-packet (each a full MSS). */
  private static final int TSO_SEGMENTS = 8;

  /** What the rounds write, in turn: mostly pings, as a quiet tunnel's first packets are. */
  private static final int[] PATTERN = {0, 1, 0, 2, 0, 3, 0, 4};

  private static final int TCP_ACK = 0x10;
  private static final int TCP_PSH = 0x08;
  private static final int PROTO_ICMP = 1;

  private static final AtomicBoolean STARTED = new AtomicBoolean();

  /**
   * What one warm-up did, from the device's own counters.
   *
   * @param rounds rounds whose write came back
   * @param superPacketReads reads that were TSO super-packets, split
   * @param mergedWrites writes that merged several segments (GRO)
   * @param malformedReads reads the device dropped as malformed (0 when the frames are right)
   */
  record Outcome(int rounds, long superPacketReads, long mergedWrites, long malformedReads) {}

  private TunWarmUp() {}

  /**
   * Starts the warm-up thread unless it already ran in this JVM or the property says no.
   *
   * @param vnetHdr whether the real TUN carries virtio headers
   * @param offloads its TUN_F_* offloads
   * @param mtu its MTU
   * @return whether a thread was started
   */
  static boolean startOnce(boolean vnetHdr, int offloads, int mtu) {
    if (!Boolean.parseBoolean(System.getProperty(PROPERTY, "true"))
        || !STARTED.compareAndSet(false, true)) {
      return false;
    }
    Thread t =
        new Thread(
            () -> {
              long start = System.nanoTime();
              try {
                Outcome o = run(ROUNDS, vnetHdr, offloads, mtu);
                // TRACE: `wg-java up` shows this package's DEBUG lines (its setup trace)
                LOG.log(
                    System.Logger.Level.TRACE,
                    "TUN warm-up: {0} of {1} rounds in {2} ms ({3})",
                    o.rounds(),
                    ROUNDS,
                    (System.nanoTime() - start) / 1_000_000,
                    o);
              } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "TUN warm-up failed", e);
              }
            },
            "wg-java-tun-warm-up");
    t.setDaemon(true);
    t.setPriority(Thread.MIN_PRIORITY);
    t.start();
    return true;
  }

  /**
   * Runs {@code rounds} rounds (fewer when {@link #DEADLINE_NANOS} passes or a write does not come
   * back in time) and closes everything it opened.
   *
   * @throws IOException when the socket pair or the device cannot be made
   */
  static Outcome run(int rounds, boolean vnetHdr, int offloads, int mtu) throws IOException {
    LibC libc = LibC.get();
    Pointer sv = LibC.allocate(8);
    int type = LibC.SOCK_SEQPACKET | LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC;
    if (libc.socketpair(LibC.AF_UNIX, type, 0, sv) < 0) {
      throw new IOException(LibC.describe("socketpair for the TUN warm-up", LibC.errno()));
    }
    int kernelSide = sv.getInt(4);
    LinuxTun tun;
    try {
      tun = LinuxTun.overDescriptor(sv.getInt(0), "tun-warm-up", mtu, vnetHdr, offloads);
    } catch (IOException | RuntimeException e) {
      libc.close(sv.getInt(0));
      libc.close(kernelSide);
      throw e;
    }
    Thread engine = new Thread(() -> echo(tun, mtu), "wg-java-tun-warm-up-echo");
    engine.setDaemon(true);
    engine.setPriority(Thread.MIN_PRIORITY);
    int done = 0;
    try {
      engine.start();
      done = drive(libc, kernelSide, rounds, frames(vnetHdr, mtu));
    } finally {
      tun.close(); // wakes the echo thread: its readBatch returns -1
      libc.close(kernelSide);
      joinQuietly(engine);
    }
    return new Outcome(done, tun.superPacketReads(), tun.mergedWrites(), tun.malformedReads());
  }

  /** The engine's side: what the device reads goes straight back to it, a batch at a time. */
  private static void echo(LinuxTun tun, int mtu) {
    PacketBatch batch = PacketBatch.allocate(64, 0, Math.max(mtu, 1500));
    try {
      while (tun.readBatch(batch) >= 0) {
        tun.writeBatch(batch);
      }
    } catch (IOException | RuntimeException e) {
      if (!tun.isClosed()) {
        LOG.log(System.Logger.Level.DEBUG, "TUN warm-up device failed", e);
      }
    }
  }

  /** The kernel's side: one frame in, then what the device wrote back; returns the rounds done. */
  private static int drive(LibC libc, int fd, int rounds, byte[][] frames) {
    Pointer[] out = new Pointer[frames.length];
    for (int i = 0; i < frames.length; i++) {
      out[i] = LibC.allocate(frames[i].length);
      out[i].put(0, frames[i], 0, frames[i].length);
    }
    Pointer in = LibC.allocate(IN_BUFFER);
    Pointer pollFd = LibC.allocate(8);
    pollFd.putInt(0, fd);
    pollFd.putShort(4, LibC.POLLIN);
    long deadline = System.nanoTime() + DEADLINE_NANOS;
    int done = 0;
    while (done < rounds && System.nanoTime() - deadline < 0) {
      int f = PATTERN[done % PATTERN.length] % frames.length;
      if (libc.write(fd, out[f], frames[f].length) != frames[f].length) {
        break; // the device does not keep up (queue full) or the pair broke: enough
      }
      pollFd.putShort(6, (short) 0);
      if (libc.poll(pollFd, 1, REPLY_WAIT_MILLIS) <= 0) {
        break;
      }
      while (libc.read(fd, in, IN_BUFFER) > 0) {
        // drain: a round normally comes back as one write, a batch not merged as several
      }
      done++;
    }
    return done;
  }

  private static void joinQuietly(Thread t) {
    try {
      t.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The frames a TUN hands out, in native memory: with virtio headers, a ping, an IPv6 UDP datagram
   * and a TCP ACK with partial checksums ({@code NEEDS_CSUM}, as the kernel leaves them with
   * checksum offload), and IPv4 and IPv6 TSO super-packets of {@value #TSO_SEGMENTS} full segments;
   * without, the first three as plain packets.
   */
  static byte[][] frames(boolean vnetHdr, int mtu) {
    int h = vnetHdr ? VirtioNetHeader.LENGTH : 0;
    byte[][] f = new byte[vnetHdr ? 5 : 3][];
    // ping: ICMP echo request, 56 bytes of data, checksum complete
    f[0] = new byte[h + 84];
    ipv4(f[0], h, 84, PROTO_ICMP);
    f[0][h + 20] = 8;
    Bytes.put16(f[0], h + 22, Checksum.finish(Checksum.add(f[0], h + 20, 64, 0)));
    // UDP over IPv6, 100 bytes of data
    f[1] = new byte[h + 40 + 8 + 100];
    ipv6(f[1], h, 108, Checksum.PROTO_UDP);
    Bytes.put16(f[1], h + 40, 40_000);
    Bytes.put16(f[1], h + 42, 53);
    Bytes.put16(f[1], h + 44, 108);
    partialChecksum(f[1], h, true, Checksum.PROTO_UDP, 108, VirtioNetHeader.UDP_CSUM_OFFSET);
    // a bare TCP ACK over IPv4
    f[2] = new byte[h + 40];
    ipv4(f[2], h, 40, Checksum.PROTO_TCP);
    tcp(f[2], h + 20, TCP_ACK);
    partialChecksum(f[2], h, false, Checksum.PROTO_TCP, 20, VirtioNetHeader.TCP_CSUM_OFFSET);
    if (vnetHdr) {
      f[3] = tso(false, mtu);
      f[4] = tso(true, mtu);
    } // without the header, the device does not look at checksums: the partial ones stay
    return f;
  }

  /** A TSO super-packet: {@value #TSO_SEGMENTS} segments of one MSS each, ACK|PSH. */
  private static byte[] tso(boolean v6, int mtu) {
    int h = VirtioNetHeader.LENGTH;
    int ipLen = v6 ? 40 : 20;
    int mss = Math.min(mtu, 1500) - ipLen - 20; // segments no longer than the MTU
    int l4 = 20 + TSO_SEGMENTS * mss;
    byte[] b = new byte[h + ipLen + l4];
    if (v6) {
      ipv6(b, h, l4, Checksum.PROTO_TCP);
    } else {
      ipv4(b, h, ipLen + l4, Checksum.PROTO_TCP);
    }
    tcp(b, h + ipLen, TCP_ACK | TCP_PSH);
    for (int i = h + ipLen + 20; i < b.length; i++) {
      b[i] = (byte) i;
    }
    VirtioNetHeader v = new VirtioNetHeader();
    v.flags = VirtioNetHeader.F_NEEDS_CSUM;
    v.gsoType = v6 ? VirtioNetHeader.GSO_TCPV6 : VirtioNetHeader.GSO_TCPV4;
    v.hdrLen = ipLen + 20;
    v.gsoSize = mss;
    v.csumStart = ipLen;
    v.csumOffset = VirtioNetHeader.TCP_CSUM_OFFSET;
    v.write(b, 0);
    return b;
  }

  /**
   * Flags the packet at {@code ip} NEEDS_CSUM (when there is a header before it) and leaves the
   * pseudo-header sum in its transport checksum field, as the kernel does.
   */
  private static void partialChecksum(
      byte[] b, int ip, boolean v6, int proto, int l4Len, int csumOffset) {
    int ipLen = v6 ? 40 : 20;
    Bytes.put16(
        b, ip + ipLen + csumOffset, Checksum.fold(Checksum.pseudoHeader(b, ip, v6, proto, l4Len)));
    if (ip == VirtioNetHeader.LENGTH) {
      VirtioNetHeader v = new VirtioNetHeader().clear();
      v.flags = VirtioNetHeader.F_NEEDS_CSUM;
      v.csumStart = ipLen;
      v.csumOffset = csumOffset;
      v.write(b, 0);
    }
  }

  /** IPv4 header, 192.0.2.1 to 192.0.2.2 (documentation addresses), DF, checksum complete. */
  private static void ipv4(byte[] b, int at, int totalLength, int proto) {
    b[at] = 0x45;
    Bytes.put16(b, at + 2, totalLength);
    Bytes.put16(b, at + 4, 1);
    b[at + 6] = 0x40;
    b[at + 8] = 64;
    b[at + 9] = (byte) proto;
    b[at + 12] = (byte) 192;
    b[at + 14] = 2;
    b[at + 15] = 1;
    b[at + 16] = (byte) 192;
    b[at + 18] = 2;
    b[at + 19] = 2;
    Checksum.putIpv4HeaderChecksum(b, at, 20);
  }

  /** IPv6 header, 2001:db8::1 to 2001:db8::2 (documentation addresses). */
  private static void ipv6(byte[] b, int at, int payloadLength, int nextHeader) {
    b[at] = 0x60;
    Bytes.put16(b, at + 4, payloadLength);
    b[at + 6] = (byte) nextHeader;
    b[at + 7] = 64;
    for (int a : new int[] {at + 8, at + 24}) {
      b[a] = 0x20;
      b[a + 1] = 0x01;
      b[a + 2] = 0x0d;
      b[a + 3] = (byte) 0xb8;
    }
    b[at + 23] = 1;
    b[at + 39] = 2;
  }

  /** A 20-byte TCP header, port 40000 to 5201. */
  private static void tcp(byte[] b, int at, int flags) {
    Bytes.put16(b, at, 40_000);
    Bytes.put16(b, at + 2, 5201);
    Bytes.put32(b, at + 4, 1);
    Bytes.put32(b, at + 8, 1);
    b[at + 12] = 0x50;
    b[at + 13] = (byte) flags;
    Bytes.put16(b, at + 14, 65_535);
  }
}
