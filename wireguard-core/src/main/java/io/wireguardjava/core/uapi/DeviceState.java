package io.wireguardjava.core.uapi;

import io.wireguardjava.Key;
import io.wireguardjava.PresharedKey;
import io.wireguardjava.PrivateKey;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A device as a {@code get=1} reply describes it: its settings, the port it is bound to, and the
 * live state of each peer. {@link #render()} writes the reply's lines as wireguard-go does; {@link
 * #parse} reads them back (for {@code wg-java show}).
 */
public record DeviceState(
    DeviceSettings settings, int boundListenPort, Map<Key, PeerRuntime> runtime) {

  /**
   * Copies the runtime map.
   *
   * @param settings the device's settings
   * @param boundListenPort the UDP port the device is bound to
   * @param runtime the live state of each peer
   */
  public DeviceState {
    runtime = Map.copyOf(runtime);
  }

  /**
   * Reads the state of {@code backend}, peer by peer.
   *
   * @param backend the device to read
   * @return the device's state now
   */
  public static DeviceState of(UapiBackend backend) {
    DeviceSettings settings = backend.settings();
    return new DeviceState(settings, backend.boundListenPort(), backend.runtimes(settings));
  }

  /**
   * The live state of a peer; {@link PeerRuntime#NONE} when unknown.
   *
   * @param peer the peer's public key
   * @return the live state of a peer; {@link PeerRuntime#NONE} when unknown
   */
  public PeerRuntime runtime(Key peer) {
    return runtime.getOrDefault(peer, PeerRuntime.NONE);
  }

  /**
   * The body of a {@code get=1} reply, every line ending in {@code \n}, without the final {@code
   * errno=} line: keys in lowercase hex, the private key, port and mark left out when zero, then
   * per peer {@code public_key}, {@code preshared_key} (zeros when none), {@code
   * protocol_version=1}, {@code endpoint} (when known), the handshake time, the byte counters, the
   * keepalive interval and one {@code allowed_ip} per prefix.
   *
   * @return the body of a {@code get=1} reply, every line ending in {@code \n}, without the final
   *     {@code errno=} line: keys in lowercase hex, the private key, port and mark left out when
   *     zero, then per peer {@code public_key}, {@code preshared_key} (zeros when none), {@code
   *     protocol_version=1}, {@code endpoint} (when known), the handshake time, the byte counters,
   *     the keepalive interval and one {@code allowed_ip} per prefix
   */
  public String render() {
    StringBuilder sb = new StringBuilder(256 + 400 * settings.peers().size());
    settings
        .privateKey()
        .ifPresent(
            k -> {
              byte[] b = k.getBytes();
              try {
                hexLine(sb, "private_key", b);
              } finally {
                java.util.Arrays.fill(b, (byte) 0);
              }
            });
    if (boundListenPort != 0) {
      sb.append("listen_port=").append(boundListenPort).append('\n');
    }
    if (settings.fwmark() != 0) {
      sb.append("fwmark=").append(Integer.toUnsignedString(settings.fwmark())).append('\n');
    }
    for (PeerSettings p : settings.peers()) {
      PeerRuntime r = runtime(p.publicKey());
      hexLine(sb, "public_key", p.publicKey().getBytes());
      byte[] psk = p.presharedKey().map(PresharedKey::getBytes).orElseGet(() -> new byte[32]);
      try {
        hexLine(sb, "preshared_key", psk);
      } finally {
        java.util.Arrays.fill(psk, (byte) 0);
      }
      sb.append("protocol_version=1\n");
      Optional<InetSocketAddress> endpoint = r.endpoint().or(p::endpoint);
      endpoint.ifPresent(e -> sb.append("endpoint=").append(IpText.formatEndpoint(e)).append('\n'));
      long nanos = r.lastHandshakeEpochNanos();
      sb.append("last_handshake_time_sec=").append(nanos / 1_000_000_000L).append('\n');
      sb.append("last_handshake_time_nsec=").append(nanos % 1_000_000_000L).append('\n');
      sb.append("tx_bytes=").append(Long.toUnsignedString(r.txBytes())).append('\n');
      sb.append("rx_bytes=").append(Long.toUnsignedString(r.rxBytes())).append('\n');
      sb.append("persistent_keepalive_interval=").append(p.persistentKeepalive()).append('\n');
      for (Prefix prefix : p.allowedIps()) {
        sb.append("allowed_ip=")
            .append(IpText.format(prefix.address()))
            .append('/')
            .append(prefix.bits())
            .append('\n');
      }
    }
    return sb.toString();
  }

  private static void hexLine(StringBuilder sb, String key, byte[] bytes) {
    final String hex = "0123456789abcdef";
    sb.append(key).append('=');
    for (byte b : bytes) {
      sb.append(hex.charAt((b >> 4) & 0xf)).append(hex.charAt(b & 0xf));
    }
    sb.append('\n');
  }

  /**
   * Parses the body of a {@code get=1} reply (the lines before {@code errno=}), as {@code wg} does:
   * unknown keys are skipped, a malformed value is an error.
   *
   * @param lines the reply's lines
   * @return the device's state
   * @throws UapiException with {@link Errno#PROTOCOL} on a malformed line
   */
  public static DeviceState parse(List<String> lines) throws UapiException {
    Optional<PrivateKey> privateKey = Optional.empty();
    int port = 0;
    int fwmark = 0;
    List<PeerSettings> peers = new ArrayList<>();
    Map<Key, PeerRuntime> runtime = new LinkedHashMap<>();
    @Nullable PeerBuilder peer = null;
    for (String line : lines) {
      int eq = line.indexOf('=');
      if (eq < 0) {
        throw bad(line);
      }
      String key = line.substring(0, eq);
      String value = line.substring(eq + 1);
      try {
        if (peer == null && key.equals("private_key")) {
          privateKey = Optional.of(PrivateKey.fromHex(value));
        } else if (peer == null && key.equals("listen_port")) {
          port = number(value, 0xffff, line);
        } else if (peer == null && key.equals("fwmark")) {
          fwmark = (int) numberLong(value, 0xffff_ffffL, line);
        } else if (key.equals("public_key")) {
          if (peer != null) {
            peer.finish(peers, runtime);
          }
          peer = new PeerBuilder(Key.fromHex(value));
        } else if (peer == null) {
          continue; // a device key this client does not know
        } else if (key.equals("preshared_key")) {
          PresharedKey psk = PresharedKey.fromHex(value);
          byte[] b = psk.getBytes();
          boolean zero = true;
          for (byte x : b) {
            zero &= x == 0;
          }
          peer.psk = zero ? Optional.empty() : Optional.of(psk);
        } else if (key.equals("endpoint")) {
          Optional<InetSocketAddress> e = IpText.parseEndpoint(value);
          if (e.isEmpty()) {
            throw bad(line);
          }
          peer.endpoint = e;
        } else if (key.equals("last_handshake_time_sec")) {
          peer.sec = numberLong(value, Long.MAX_VALUE / 1_000_000_000L, line);
        } else if (key.equals("last_handshake_time_nsec")) {
          peer.nsec = numberLong(value, 999_999_999L, line);
        } else if (key.equals("rx_bytes")) {
          peer.rx = numberLong(value, Long.MAX_VALUE, line);
        } else if (key.equals("tx_bytes")) {
          peer.tx = numberLong(value, Long.MAX_VALUE, line);
        } else if (key.equals("persistent_keepalive_interval")) {
          peer.keepalive = number(value, 0xffff, line);
        } else if (key.equals("allowed_ip")) {
          Prefix p = IpText.parsePrefix(value);
          if (p == null) {
            throw bad(line);
          }
          peer.allowedIps.add(p);
        }
      } catch (IllegalArgumentException e) {
        throw bad(line);
      }
    }
    if (peer != null) {
      peer.finish(peers, runtime);
    }
    return new DeviceState(new DeviceSettings(privateKey, port, fwmark, peers), port, runtime);
  }

  private static final class PeerBuilder {
    final Key key;
    Optional<PresharedKey> psk = Optional.empty();
    Optional<InetSocketAddress> endpoint = Optional.empty();
    long sec;
    long nsec;
    long rx;
    long tx;
    int keepalive;
    final List<Prefix> allowedIps = new ArrayList<>();

    PeerBuilder(Key key) {
      this.key = key;
    }

    void finish(List<PeerSettings> peers, Map<Key, PeerRuntime> runtime) {
      peers.add(new PeerSettings(key, psk, endpoint, keepalive, allowedIps));
      runtime.put(key, new PeerRuntime(endpoint, sec * 1_000_000_000L + nsec, rx, tx));
    }
  }

  private static int number(String value, int max, String line) throws UapiException {
    return (int) numberLong(value, max, line);
  }

  private static long numberLong(String value, long max, String line) throws UapiException {
    Long v = IpText.parseUnsignedLong(value, max);
    if (v == null) {
      throw bad(line);
    }
    return v;
  }

  private static UapiException bad(String line) {
    return new UapiException(
        Errno.PROTOCOL, "malformed line in get reply: " + SetRequest.describe(line));
  }
}
