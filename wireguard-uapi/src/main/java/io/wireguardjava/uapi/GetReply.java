package io.wireguardjava.uapi;

import io.wireguardjava.Config;
import io.wireguardjava.Endpoint;
import io.wireguardjava.InetNetwork;
import io.wireguardjava.Interface;
import io.wireguardjava.Key;
import io.wireguardjava.Peer;
import io.wireguardjava.PeerStats;
import io.wireguardjava.PresharedKey;
import io.wireguardjava.PrivateKey;
import io.wireguardjava.Tunnel;
import io.wireguardjava.TunnelStats;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The body of a {@code get=1} reply, written from a tunnel's {@link Config} and {@link TunnelStats}
 * as wireguard-go writes it, and read back into the same api types (for {@code wg-java show}).
 */
final class GetReply {
  private GetReply() {}

  /**
   * What a get reports: read from the tunnel first, so that a failure comes before any byte. {@code
   * stats} lists each peer's statistics, in the tunnel's order, which is almost always the order of
   * {@code config.peers()} (both are read from the same published peer list; a change between the
   * two reads is the exception, answered by looking the key up).
   */
  record Snapshot(Config config, int boundPort, List<PeerStats> stats) {
    static Snapshot of(Tunnel tunnel) {
      Config config = tunnel.config();
      TunnelStats stats = tunnel.stats();
      return new Snapshot(config, stats.listenPort(), stats.peers());
    }

    /** The statistics of the {@code index}th peer, {@code p}; null when the tunnel has none. */
    @Nullable PeerStats statsOf(int index, Peer p, Map<Key, PeerStats> byKey) {
      if (index < stats.size() && stats.get(index).publicKey().equals(p.publicKey())) {
        return stats.get(index); // the common case: same order, no map
      }
      if (byKey.isEmpty()) {
        for (PeerStats s : stats) {
          byKey.put(s.publicKey(), s);
        }
      }
      return byKey.get(p.publicKey());
    }
  }

  private static final byte[] PUBLIC_KEY = ascii("public_key=");
  private static final byte[] PRESHARED_KEY = ascii("preshared_key=");
  private static final byte[] NO_PRESHARED_KEY =
      ascii("preshared_key=" + "0".repeat(64) + "\nprotocol_version=1\n");
  private static final byte[] PROTOCOL_VERSION = ascii("protocol_version=1\n");
  private static final byte[] ENDPOINT = ascii("endpoint=");
  private static final byte[] HANDSHAKE_SEC = ascii("last_handshake_time_sec=");
  private static final byte[] HANDSHAKE_NSEC = ascii("\nlast_handshake_time_nsec=");
  private static final byte[] TX_BYTES = ascii("\ntx_bytes=");
  private static final byte[] RX_BYTES = ascii("\nrx_bytes=");
  private static final byte[] KEEPALIVE = ascii("\npersistent_keepalive_interval=");
  private static final byte[] ALLOWED_IP = ascii("allowed_ip=");

  private static byte[] ascii(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  /**
   * Writes the reply body to {@code out}, every line ending in {@code \n}, without the final {@code
   * errno=} line: keys in lowercase hex, the private key, port and mark left out when zero, then
   * per peer {@code public_key}, {@code preshared_key} (zeros when none), {@code
   * protocol_version=1}, {@code endpoint} (when known), the handshake time, the byte counters, the
   * keepalive interval and one {@code allowed_ip} per prefix.
   */
  static void write(Snapshot snapshot, ReplyWriter out) throws IOException {
    Interface iface = snapshot.config().iface();
    Optional<PrivateKey> privateKey = iface.privateKey();
    if (privateKey.isPresent()) {
      byte[] b = privateKey.get().getBytes();
      try {
        out.hexLine("private_key", b);
      } finally {
        Arrays.fill(b, (byte) 0);
      }
    }
    if (snapshot.boundPort() != 0) {
      out.text("listen_port=").unsigned(snapshot.boundPort()).ch('\n');
    }
    int fwmark = iface.fwMark().orElse(0);
    if (fwmark != 0) {
      out.text("fwmark=").unsigned(Integer.toUnsignedLong(fwmark)).ch('\n');
    }
    Map<Key, PeerStats> byKey = new HashMap<>(); // only if the orders differ
    List<Peer> peers = snapshot.config().peers();
    for (int i = 0; i < peers.size(); i++) {
      Peer p = peers.get(i);
      @Nullable PeerStats s = snapshot.statsOf(i, p, byKey);
      out.ascii(PUBLIC_KEY).hex(p.publicKey().getBytes()).ch('\n');
      Optional<PresharedKey> psk = p.presharedKey();
      if (psk.isPresent()) {
        byte[] b = psk.get().getBytes();
        try {
          out.ascii(PRESHARED_KEY).hex(b).ch('\n').ascii(PROTOCOL_VERSION);
        } finally {
          Arrays.fill(b, (byte) 0);
        }
      } else {
        out.ascii(NO_PRESHARED_KEY);
      }
      Optional<InetSocketAddress> endpoint =
          s != null && s.endpoint().isPresent() ? s.endpoint() : literal(p.endpoint());
      if (endpoint.isPresent()) {
        out.ascii(ENDPOINT).text(UapiText.formatEndpoint(endpoint.get())).ch('\n');
      }
      long nanos = s == null ? 0 : s.lastHandshake().map(GetReply::epochNanos).orElse(0L);
      out.ascii(HANDSHAKE_SEC).unsigned(nanos / 1_000_000_000L);
      out.ascii(HANDSHAKE_NSEC).unsigned(nanos % 1_000_000_000L);
      out.ascii(TX_BYTES).unsigned(s == null ? 0 : s.txBytes());
      out.ascii(RX_BYTES).unsigned(s == null ? 0 : s.rxBytes());
      out.ascii(KEEPALIVE).unsigned(p.persistentKeepalive().orElse(0));
      out.ch('\n');
      for (InetNetwork n : p.allowedIps()) {
        out.ascii(ALLOWED_IP).prefix(n).ch('\n');
      }
    }
  }

  /** The reply body as text (tests, and small replies). */
  static String render(Config config, int boundPort, Map<Key, PeerStats> stats) {
    return render(config, boundPort, List.copyOf(stats.values()));
  }

  /** The reply body as text, with the statistics as a list (as {@link Snapshot} holds them). */
  static String render(Config config, int boundPort, List<PeerStats> stats) {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    ReplyWriter w =
        new ReplyWriter(
            ByteBuffer.allocate(4096),
            b -> bytes.write(b.array(), b.arrayOffset() + b.position(), b.remaining()));
    try {
      write(new Snapshot(config, boundPort, stats), w);
      w.flush();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e); // not from memory
    }
    return bytes.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  private static Optional<InetSocketAddress> literal(Optional<Endpoint> e) {
    return e.flatMap(x -> x.literalAddress().map(a -> new InetSocketAddress(a, x.port())));
  }

  private static long epochNanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  /**
   * Parses the body of a {@code get=1} reply (the lines before {@code errno=}), as {@code wg} does:
   * unknown keys are skipped, a malformed value is an error.
   */
  static UapiDevice parse(List<String> lines) throws UapiException {
    Interface.Builder iface = Interface.builder();
    int port = 0;
    List<Peer> peers = new ArrayList<>();
    List<PeerStats> stats = new ArrayList<>();
    @Nullable PeerReader peer = null;
    for (String line : lines) {
      int eq = line.indexOf('=');
      if (eq < 0) {
        throw bad(line);
      }
      String key = line.substring(0, eq);
      String value = line.substring(eq + 1);
      try {
        if (peer == null && key.equals("private_key")) {
          iface.privateKey(PrivateKey.fromHex(value));
        } else if (peer == null && key.equals("listen_port")) {
          port = (int) number(value, 0xffff, line);
          iface.listenPort(port);
        } else if (peer == null && key.equals("fwmark")) {
          iface.fwMark((int) number(value, 0xffff_ffffL, line));
        } else if (key.equals("public_key")) {
          if (peer != null) {
            peer.finish(peers, stats);
          }
          peer = new PeerReader(Key.fromHex(value));
        } else if (peer == null) {
          continue; // a device key this client does not know
        } else {
          peer.line(key, value, line);
        }
      } catch (IllegalArgumentException e) {
        throw bad(line);
      }
    }
    if (peer != null) {
      peer.finish(peers, stats);
    }
    return new UapiDevice(Config.builder().iface(iface.build()).peers(peers).build(), port, stats);
  }

  /** One peer's lines of a reply. */
  private static final class PeerReader {
    final Peer.Builder peer;
    final Key key;
    Optional<InetSocketAddress> endpoint = Optional.empty();
    long sec;
    long nsec;
    long rx;
    long tx;
    int keepalive;
    final List<InetNetwork> allowedIps = new ArrayList<>();

    PeerReader(Key key) {
      this.key = key;
      this.peer = Peer.builder().publicKey(key);
    }

    void line(String key, String value, String line) throws UapiException {
      switch (key) {
        case "preshared_key":
          {
            byte[] b = PresharedKey.fromHex(value).getBytes();
            int acc = 0;
            for (byte x : b) {
              acc |= x;
            }
            java.util.Arrays.fill(b, (byte) 0);
            if (acc != 0) {
              peer.presharedKey(PresharedKey.fromHex(value));
            }
            break;
          }
        case "endpoint":
          {
            Endpoint e = UapiText.parseEndpoint(value);
            if (e == null) {
              throw bad(line);
            }
            peer.endpoint(e);
            endpoint =
                Optional.of(new InetSocketAddress(e.literalAddress().orElseThrow(), e.port()));
            break;
          }
        case "last_handshake_time_sec":
          sec = number(value, Long.MAX_VALUE / 1_000_000_000L - 1, line);
          break;
        case "last_handshake_time_nsec":
          nsec = number(value, 999_999_999L, line);
          break;
        case "rx_bytes":
          rx = number(value, Long.MAX_VALUE, line);
          break;
        case "tx_bytes":
          tx = number(value, Long.MAX_VALUE, line);
          break;
        case "persistent_keepalive_interval":
          keepalive = (int) number(value, 0xffff, line);
          peer.persistentKeepalive(keepalive);
          break;
        case "allowed_ip":
          {
            InetNetwork n = UapiText.parsePrefix(value);
            if (n == null) {
              throw bad(line);
            }
            allowedIps.add(n);
            break;
          }
        default:
          break; // protocol_version and keys this client does not know
      }
    }

    void finish(List<Peer> peers, List<PeerStats> stats) {
      peers.add(peer.allowedIps(allowedIps).build());
      Optional<Instant> handshake =
          sec == 0 && nsec == 0 ? Optional.empty() : Optional.of(Instant.ofEpochSecond(sec, nsec));
      stats.add(new PeerStats(key, endpoint, handshake, rx, tx, keepalive));
    }
  }

  private static long number(String value, long max, String line) throws UapiException {
    long v = UapiText.parseUnsigned(value, max);
    if (v < 0) {
      throw bad(line);
    }
    return v;
  }

  private static UapiException bad(String line) {
    return new UapiException(
        Errno.PROTOCOL, "malformed line in get reply: " + UapiText.describe(line));
  }
}
