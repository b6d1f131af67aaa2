package io.wireguardjava.core.uapi;

import io.wireguardjava.Key;
import io.wireguardjava.PresharedKey;
import io.wireguardjava.PrivateKey;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A parsed {@code set=1} request: the lines after {@code set=1}, each checked, kept in order.
 * Parsing finds every error a line can have, so {@link #applyTo} cannot fail: a request either
 * parses and applies whole, or is rejected before anything changes. (wireguard-go applies line by
 * line and keeps what came before a bad line; this is the one place we differ on purpose.)
 *
 * <p>Semantics follow wireguard-go's {@code IpcSetOperation}: {@code replace_peers} removes the
 * peers known at that point; {@code public_key} selects a peer, creating it unless a later {@code
 * update_only=true} says not to; a peer with the device's own public key is ignored; {@code
 * remove=true} removes the selected peer and ignores the rest of its lines; an allowed IP moves
 * from whichever peer had it; {@code allowed_ip=-prefix} removes it from this peer only.
 */
public final class SetRequest {

  /** One checked line of a request. */
  sealed interface Op {}

  record SetPrivateKey(Optional<PrivateKey> key) implements Op {}

  record SetListenPort(int port) implements Op {}

  record SetFwmark(int mark) implements Op {}

  record ReplacePeers() implements Op {}

  record SelectPeer(Key publicKey) implements Op {}

  record UpdateOnly() implements Op {}

  record RemovePeer() implements Op {}

  record SetPresharedKey(Optional<PresharedKey> key) implements Op {}

  record SetEndpoint(InetSocketAddress endpoint) implements Op {}

  record SetKeepalive(int seconds) implements Op {}

  record ReplaceAllowedIps() implements Op {}

  record AllowedIp(Prefix prefix, boolean add) implements Op {}

  /** {@code protocol_version=1}: checked, changes nothing. */
  record ProtocolVersion() implements Op {}

  private final List<Op> ops;

  private SetRequest(List<Op> ops) {
    this.ops = List.copyOf(ops);
  }

  /**
   * Parses a whole request body: the lines after {@code set=1}, without the blank line.
   *
   * @param lines the request's lines
   * @return the checked request
   * @throws io.wireguardjava.core.uapi.UapiException at the first bad line, with wireguard-go's
   *     errno
   */
  public static SetRequest parse(List<String> lines) throws UapiException {
    Parser parser = new Parser();
    for (String line : lines) {
      parser.line(line);
    }
    return parser.finish();
  }

  /**
   * The number of checked lines (for limits and tests).
   *
   * @return the number of checked lines (for limits and tests)
   */
  public int size() {
    return ops.size();
  }

  /** Reads a request line by line, failing at the first bad line with wireguard-go's errno. */
  public static final class Parser {
    private final List<Op> ops = new ArrayList<>();
    private boolean inPeer;

    /** An empty request. */
    public Parser() {}

    /**
     * Checks one line (without its {@code \n}) and keeps it.
     *
     * @param line the line
     * @throws io.wireguardjava.core.uapi.UapiException when the line is bad, with wireguard-go's
     *     errno
     */
    public void line(String line) throws UapiException {
      int eq = line.indexOf('=');
      if (eq < 0) {
        // Possibly a key with its '=' lost: described, never quoted.
        throw new UapiException(Errno.PROTOCOL, "failed to parse line: " + describe(line));
      }
      String key = line.substring(0, eq);
      String value = line.substring(eq + 1);
      if (key.equals("public_key")) {
        inPeer = true;
        ops.add(new SelectPeer(Key.fromBytes(hexKey(value, "public_key", false))));
        return;
      }
      ops.add(inPeer ? peerLine(key, value) : deviceLine(key, value));
    }

    /**
     * The request, once its blank line has been read.
     *
     * @return the request, once its blank line has been read
     */
    public SetRequest finish() {
      return new SetRequest(ops);
    }

    private static Op deviceLine(String key, String value) throws UapiException {
      switch (key) {
        case "private_key":
          {
            byte[] bytes = hexKey(value, "private_key", true);
            try {
              return new SetPrivateKey(
                  isZero(bytes) ? Optional.empty() : Optional.of(PrivateKey.fromBytes(bytes)));
            } finally {
              java.util.Arrays.fill(bytes, (byte) 0);
            }
          }
        case "listen_port":
          {
            Integer port = IpText.parseUnsigned(value, 0xffff);
            if (port == null) {
              throw invalid("failed to parse listen_port", value);
            }
            return new SetListenPort(port);
          }
        case "fwmark":
          {
            Long mark = IpText.parseUnsignedLong(value, 0xffff_ffffL);
            if (mark == null) {
              throw invalid("invalid fwmark", value);
            }
            return new SetFwmark((int) (long) mark);
          }
        case "replace_peers":
          requireTrue("replace_peers", value);
          return new ReplacePeers();
        default:
          throw new UapiException(Errno.INVALID, "invalid UAPI device key: " + describe(key));
      }
    }

    private static Op peerLine(String key, String value) throws UapiException {
      switch (key) {
        case "update_only":
          requireTrue("update_only", value);
          return new UpdateOnly();
        case "remove":
          requireTrue("remove", value);
          return new RemovePeer();
        case "preshared_key":
          {
            byte[] bytes = hexKey(value, "preshared_key", true);
            try {
              return new SetPresharedKey(
                  isZero(bytes) ? Optional.empty() : Optional.of(PresharedKey.fromBytes(bytes)));
            } finally {
              java.util.Arrays.fill(bytes, (byte) 0);
            }
          }
        case "endpoint":
          {
            Optional<InetSocketAddress> endpoint = IpText.parseEndpoint(value);
            if (endpoint.isEmpty() || endpoint.get().getPort() == 0) {
              throw invalid("failed to set endpoint", value);
            }
            return new SetEndpoint(endpoint.get());
          }
        case "persistent_keepalive_interval":
          {
            Integer seconds = IpText.parseUnsigned(value, 0xffff);
            if (seconds == null) {
              throw invalid("failed to set persistent keepalive interval", value);
            }
            return new SetKeepalive(seconds);
          }
        case "replace_allowed_ips":
          requireTrue("replace_allowed_ips", value);
          return new ReplaceAllowedIps();
        case "allowed_ip":
          {
            boolean add = !value.startsWith("-");
            Prefix prefix = IpText.parsePrefix(add ? value : value.substring(1));
            if (prefix == null) {
              throw invalid("failed to set allowed ip", value);
            }
            return new AllowedIp(prefix, add);
          }
        case "protocol_version":
          if (!value.equals("1")) {
            throw invalid("invalid protocol version", value);
          }
          return new ProtocolVersion();
        default:
          throw new UapiException(Errno.INVALID, "invalid UAPI peer key: " + describe(key));
      }
    }
  }

  /**
   * The settings after this request, computed from {@code current}. Pure: {@code current} is not
   * changed, and nothing can fail here (every line was checked when parsed).
   *
   * @param current the device's settings now
   * @return the settings after this request, computed from {@code current}
   */
  public DeviceSettings applyTo(DeviceSettings current) {
    Optional<PrivateKey> privateKey = current.privateKey();
    int listenPort = current.listenPort();
    int fwmark = current.fwmark();
    Map<Key, Work> peers = new LinkedHashMap<>();
    // Which peer holds each prefix: a moved prefix costs O(1), not a scan of every peer.
    Map<Prefix, Work> owners = new HashMap<>();
    for (PeerSettings p : current.peers()) {
      Work w = new Work(p);
      peers.put(p.publicKey(), w);
      for (Prefix prefix : w.allowedIps) {
        owners.put(prefix, w);
      }
    }
    @Nullable Work selected = null; // null: no peer selected, or a dummy
    boolean created = false;
    boolean dummy = false;

    for (Op op : ops) {
      if (op instanceof SetPrivateKey) {
        privateKey = ((SetPrivateKey) op).key();
        // As wireguard-go's SetPrivateKey: a peer with our own new public key is dropped.
        privateKey.ifPresent(k -> drop(peers.get(k.publicKey()), peers, owners));
      } else if (op instanceof SetListenPort) {
        listenPort = ((SetListenPort) op).port();
      } else if (op instanceof SetFwmark) {
        fwmark = ((SetFwmark) op).mark();
      } else if (op instanceof ReplacePeers) {
        peers.clear();
        owners.clear();
      } else if (op instanceof SelectPeer) {
        Key key = ((SelectPeer) op).publicKey();
        dummy = privateKey.isPresent() && privateKey.get().publicKey().equals(key);
        created = false;
        selected = null;
        if (!dummy) {
          selected = peers.get(key);
          if (selected == null) {
            selected = new Work(PeerSettings.of(key));
            peers.put(key, selected);
            created = true;
          }
        }
      } else if (op instanceof UpdateOnly) {
        if (created && selected != null) {
          drop(selected, peers, owners);
          selected = null;
          dummy = true;
        }
      } else if (op instanceof RemovePeer) {
        drop(selected, peers, owners);
        selected = null;
        dummy = true;
      } else if (selected == null) {
        continue; // a line for an ignored (dummy) peer
      } else if (op instanceof SetPresharedKey) {
        selected.presharedKey = ((SetPresharedKey) op).key();
      } else if (op instanceof SetEndpoint) {
        selected.endpoint = Optional.of(((SetEndpoint) op).endpoint());
      } else if (op instanceof SetKeepalive) {
        selected.keepalive = ((SetKeepalive) op).seconds();
      } else if (op instanceof ReplaceAllowedIps) {
        for (Prefix prefix : selected.allowedIps) {
          owners.remove(prefix);
        }
        selected.allowedIps.clear();
      } else if (op instanceof AllowedIp) {
        AllowedIp a = (AllowedIp) op;
        if (a.add()) {
          Work other = owners.put(a.prefix(), selected);
          if (other != null && other != selected) {
            other.allowedIps.remove(a.prefix());
          }
          selected.allowedIps.add(a.prefix()); // a set: kept at its first position
        } else if (selected.allowedIps.remove(a.prefix())) {
          owners.remove(a.prefix());
        }
      }
    }
    assert !dummy || selected == null;
    List<PeerSettings> out = new ArrayList<>(peers.size());
    for (Work w : peers.values()) {
      out.add(w.build());
    }
    return new DeviceSettings(privateKey, listenPort, fwmark, out);
  }

  /** Removes a peer and its prefixes' ownership; nothing for null. */
  private static void drop(@Nullable Work w, Map<Key, Work> peers, Map<Prefix, Work> owners) {
    if (w == null) {
      return;
    }
    peers.remove(w.publicKey);
    for (Prefix prefix : w.allowedIps) {
      owners.remove(prefix);
    }
  }

  /** A peer being changed. */
  private static final class Work {
    final Key publicKey;
    Optional<PresharedKey> presharedKey;
    Optional<InetSocketAddress> endpoint;
    int keepalive;

    /** In the order added; a set, so a peer with a million prefixes checks each in O(1). */
    final LinkedHashSet<Prefix> allowedIps;

    Work(PeerSettings p) {
      publicKey = p.publicKey();
      presharedKey = p.presharedKey();
      endpoint = p.endpoint();
      keepalive = p.persistentKeepalive();
      allowedIps = new LinkedHashSet<>(p.allowedIps());
    }

    PeerSettings build() {
      return new PeerSettings(
          publicKey, presharedKey, endpoint, keepalive, new ArrayList<>(allowedIps));
    }
  }

  private static byte[] hexKey(String value, String what, boolean secret) throws UapiException {
    if (value.length() != 64) {
      throw new UapiException(
          Errno.INVALID, "failed to set " + what + ": need 64 hex digits, got " + value.length());
    }
    byte[] out = new byte[32];
    for (int i = 0; i < 32; i++) {
      int hi = Character.digit(value.charAt(2 * i), 16);
      int lo = Character.digit(value.charAt(2 * i + 1), 16);
      if (hi < 0 || lo < 0 || value.charAt(2 * i) > 'f' || value.charAt(2 * i + 1) > 'f') {
        java.util.Arrays.fill(out, (byte) 0);
        throw new UapiException(
            Errno.INVALID,
            "failed to set " + what + ": " + (secret ? "not hex" : quote(value, MAX_VALUE_QUOTE)));
      }
      out[i] = (byte) ((hi << 4) | lo);
    }
    return out;
  }

  private static boolean isZero(byte[] b) {
    int acc = 0;
    for (byte x : b) {
      acc |= x;
    }
    return acc == 0;
  }

  private static void requireTrue(String key, String value) throws UapiException {
    if (!value.equals("true")) {
      throw invalid("failed to set " + key + ", invalid value", value);
    }
  }

  private static UapiException invalid(String what, String value) {
    return new UapiException(Errno.INVALID, what + ": " + quote(value, MAX_VALUE_QUOTE));
  }

  /** The most of a (non-secret) value an error quotes. */
  private static final int MAX_VALUE_QUOTE = 24;

  /** The longest UAPI key name ({@code persistent_keepalive_interval}) and some room. */
  private static final int MAX_NAME = 32;

  /**
   * Text whose meaning is unknown (a line without {@code =}, an unknown key) for an error or a log
   * line: quoted when it is a short name of {@code [a-z0-9_]}, which no key's hex text is; else
   * only the name before a {@code =} and the length.
   */
  static String describe(String text) {
    if (isName(text)) {
      return quote(text);
    }
    int eq = text.indexOf('=');
    String name = eq > 0 && isName(text.substring(0, eq)) ? text.substring(0, eq) : "";
    return (name.isEmpty() ? "" : quote(name) + "=..., ") + text.length() + " bytes, not shown";
  }

  private static boolean isName(String s) {
    if (s.isEmpty() || s.length() > MAX_NAME) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
        return false;
      }
    }
    return true;
  }

  /**
   * Non-secret text quoted for a log message: at most 80 chars, control and non-ASCII bytes
   * escaped. Text that may hold a key goes through {@link #describe} instead.
   */
  static String quote(String s) {
    return quote(s, 80);
  }

  private static String quote(String s, int max) {
    StringBuilder sb = new StringBuilder("\"");
    int n = Math.min(s.length(), max);
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
        sb.append(c);
      } else {
        sb.append(String.format("\\x%02x", (int) c & 0xff));
      }
    }
    return sb.append(s.length() > n ? "\"..." : "\"").toString();
  }
}
