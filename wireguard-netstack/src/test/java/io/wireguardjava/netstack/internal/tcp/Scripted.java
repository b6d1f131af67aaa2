package io.wireguardjava.netstack.internal.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A TCP layer under test with a scripted peer: segments are written by hand, what the layer sends
 * is captured and decoded, and the clock is manual. Our address 10.0.0.1, the peer's 10.0.0.2.
 */
final class Scripted {
  static final InetAddress US = address(10, 0, 0, 1);
  static final InetAddress PEER = address(10, 0, 0, 2);
  static final int PEER_PORT = 5555;
  static final int PEER_ISN = 100_000;

  /** A captured segment, decoded. */
  record Seg(
      int srcPort,
      int dstPort,
      int seq,
      int ack,
      int flags,
      int window,
      int mss,
      int wscale,
      boolean sackPermitted,
      int[] sackStarts,
      int[] sackEnds,
      byte[] payload) {
    boolean has(int flag) {
      return (flags & flag) != 0;
    }

    int len() {
      return payload.length;
    }

    @Override
    public String toString() {
      StringBuilder f = new StringBuilder();
      if (has(TcpHeader.SYN)) f.append('S');
      if (has(TcpHeader.FIN)) f.append('F');
      if (has(TcpHeader.RST)) f.append('R');
      if (has(TcpHeader.ACK)) f.append('.');
      return "Seg["
          + f
          + " seq="
          + seq
          + " ack="
          + ack
          + " win="
          + window
          + " len="
          + payload.length
          + " sack="
          + sackStarts.length
          + "]";
    }
  }

  final TcpLayer layer;
  final ArrayDeque<Seg> sent = new ArrayDeque<>();
  long now = 1_000_000_000L;

  Scripted(TcpSettings settings) {
    layer =
        new TcpLayer(
            (flow, b, off, len) -> {
              assertThat(flow.local().getAddress()).isEqualTo(US);
              sent.add(decode(b, off, len));
              return true;
            },
            settings,
            new SplittableRandom(42),
            () -> {});
  }

  /**
   * Defaults with NewReno, not the default BBR: scripted segments check the sender's rules
   * (windows, RFC 5681/6675 recovery) segment by segment, and BBR's pacing would hold segments back
   * on a clock the scripts do not move.
   */
  Scripted() {
    this(TcpSettings.builder().congestionControl(TcpSettings.CongestionAlgorithm.NEW_RENO).build());
  }

  static Seg decode(byte[] b, int off, int len) {
    TcpOptions o = new TcpOptions();
    int hl = TcpHeader.headerLength(b, off);
    assertThat(o.parse(b, off, hl)).isTrue();
    int[] ss = new int[o.sackCount];
    int[] se = new int[o.sackCount];
    for (int i = 0; i < o.sackCount; i++) {
      ss[i] = o.sackStart[i];
      se[i] = o.sackEnd[i];
    }
    byte[] payload = new byte[len - hl];
    System.arraycopy(b, off + hl, payload, 0, payload.length);
    return new Seg(
        TcpHeader.srcPort(b, off),
        TcpHeader.dstPort(b, off),
        TcpHeader.seq(b, off),
        TcpHeader.ack(b, off),
        TcpHeader.flags(b, off),
        TcpHeader.window(b, off),
        o.mss,
        o.windowScale,
        o.sackPermitted,
        ss,
        se,
        payload);
  }

  /** Builds an inbound segment. */
  final class In {
    int srcPort = PEER_PORT;
    int dstPort;
    int seq;
    int ack;
    int flags;
    int window = 65535;
    final ByteArrayOutputStream options = new ByteArrayOutputStream();
    byte[] payload = new byte[0];

    In(int dstPort, int flags, int seq, int ack) {
      this.dstPort = dstPort;
      this.flags = flags;
      this.seq = seq;
      this.ack = ack;
    }

    In from(int port) {
      srcPort = port;
      return this;
    }

    In window(int w) {
      window = w;
      return this;
    }

    In mss(int m) {
      options.write(2);
      options.write(4);
      options.write(m >> 8);
      options.write(m);
      return this;
    }

    In wscale(int s) {
      options.write(1);
      options.write(3);
      options.write(3);
      options.write(s);
      return this;
    }

    In sackPermitted() {
      options.write(1);
      options.write(1);
      options.write(4);
      options.write(2);
      return this;
    }

    In sack(int... edges) {
      options.write(1);
      options.write(1);
      options.write(5);
      options.write(2 + 4 * edges.length);
      for (int e : edges) {
        options.write(e >>> 24);
        options.write(e >>> 16);
        options.write(e >>> 8);
        options.write(e);
      }
      return this;
    }

    In payload(byte[] p) {
      payload = p;
      return this;
    }

    In payload(int n) {
      payload = new byte[n];
      for (int i = 0; i < n; i++) {
        payload[i] = (byte) (seq + i);
      }
      return this;
    }

    /** Delivers it to the layer; returns what the layer sent in reply. */
    List<Seg> send() {
      byte[] opt = options.toByteArray();
      int hl = 20 + opt.length;
      byte[] p = new byte[8 + hl + payload.length];
      System.arraycopy(PEER.getAddress(), 0, p, 0, 4);
      System.arraycopy(US.getAddress(), 0, p, 4, 4);
      TcpHeader.write(p, 8, srcPort, dstPort, seq, ack, hl, flags, window);
      System.arraycopy(opt, 0, p, 28, opt.length);
      System.arraycopy(payload, 0, p, 8 + hl, payload.length);
      layer.onSegment(p, 0, 4, 4, 8, hl + payload.length, now);
      return drain();
    }
  }

  In in(int dstPort, int flags, int seq, int ack) {
    return new In(dstPort, flags, seq, ack);
  }

  List<Seg> drain() {
    List<Seg> l = new ArrayList<>(sent);
    sent.clear();
    return l;
  }

  Seg one() {
    List<Seg> l = drain();
    assertThat(l).as("exactly one segment sent").hasSize(1);
    return l.get(0);
  }

  /** Runs poll at the current time and returns what was sent. */
  List<Seg> poll() {
    layer.poll(now);
    return drain();
  }

  /** Moves the clock (in ms) and polls; returns what was sent. */
  List<Seg> advanceMillis(long ms) {
    now += ms * 1_000_000L;
    return poll();
  }

  /** Moves the clock in small steps up to ms later, collecting everything sent. */
  List<Seg> runMillis(long ms) {
    List<Seg> all = new ArrayList<>();
    long end = now + ms * 1_000_000L;
    while (true) {
      long next = layer.nextDeadlineNanos();
      if (next == Long.MIN_VALUE) {
        next = now;
      }
      if (next > end) {
        break;
      }
      now = Math.max(now, next);
      all.addAll(poll());
    }
    now = end;
    all.addAll(poll());
    return all;
  }

  /** An established active connection: SYN out, SYN-ACK in (with the given options), ACK out. */
  Connected connect(int peerWscale, boolean peerSack, int peerMss) throws Exception {
    TcpSocket s =
        layer.connect(new InetSocketAddress(US, 40000), new InetSocketAddress(PEER, PEER_PORT));
    Seg syn = poll().get(0);
    In synAck = in(40000, TcpHeader.SYN | TcpHeader.ACK, PEER_ISN, syn.seq() + 1).mss(peerMss);
    if (peerWscale >= 0) {
      synAck.wscale(peerWscale);
    }
    if (peerSack) {
      synAck.sackPermitted();
    }
    now += 50_000_000L; // a 50 ms handshake RTT
    List<Seg> reply = synAck.send();
    assertThat(reply).hasSize(1);
    assertThat(s.isConnected()).isTrue();
    return new Connected(s, syn.seq() + 1, PEER_ISN + 1);
  }

  Connected connect() throws Exception {
    return connect(7, true, 1380);
  }

  /** Our socket with the next sequence numbers each way. */
  final class Connected {
    final TcpSocket socket;
    int ourNext;
    int peerNext;

    Connected(TcpSocket socket, int ourNext, int peerNext) {
      this.socket = socket;
      this.ourNext = ourNext;
      this.peerNext = peerNext;
    }

    /** A segment from the peer on this connection: seq = peerNext, ack given. */
    In seg(int flags, int ack) {
      return in(40000, flags, peerNext, ack);
    }

    In ack(int ack) {
      return seg(TcpHeader.ACK, ack);
    }

    /** Peer data: advances peerNext. */
    List<Seg> data(int n) {
      List<Seg> r = seg(TcpHeader.ACK | TcpHeader.PSH, ourNext).payload(n).send();
      peerNext += n;
      return r;
    }
  }

  private static InetAddress address(int... b) {
    try {
      return InetAddress.getByAddress(
          new byte[] {(byte) b[0], (byte) b[1], (byte) b[2], (byte) b[3]});
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
