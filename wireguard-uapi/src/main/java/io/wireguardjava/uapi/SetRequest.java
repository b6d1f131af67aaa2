package io.wireguardjava.uapi;

import static io.wireguardjava.uapi.UapiText.MAX_VALUE_QUOTE;
import static io.wireguardjava.uapi.UapiText.describe;
import static io.wireguardjava.uapi.UapiText.quote;

import io.wireguardjava.Config;
import io.wireguardjava.Endpoint;
import io.wireguardjava.InetNetwork;
import io.wireguardjava.Interface;
import io.wireguardjava.Key;
import io.wireguardjava.Peer;
import io.wireguardjava.PresharedKey;
import io.wireguardjava.PrivateKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
final class SetRequest {

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

  record SetEndpoint(Endpoint endpoint) implements Op {}

  record SetKeepalive(int seconds) implements Op {}

  record ReplaceAllowedIps() implements Op {}

  /**
   * Consecutive {@code allowed_ip=} lines of one peer that all add (or all remove) a prefix: one op
   * for a run, not one per line (a million lines of a {@code wg setconf} are one op). The list
   * grows while the request is parsed, and is not changed afterwards.
   */
  record AllowedIps(List<InetNetwork> prefixes, boolean add) implements Op {}

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
   * @throws io.wireguardjava.uapi.UapiException at the first bad line, with wireguard-go's errno
   */
  static SetRequest parse(List<String> lines) throws UapiException {
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
  int size() {
    return ops.size();
  }

  /**
   * Reads a request line by line, failing at the first bad line with wireguard-go's errno and a
   * message that names the line by its number (counted from 1 after {@code set=1}).
   */
  static final class Parser {
    private static final byte[] ALLOWED_IP = "allowed_ip=".getBytes(StandardCharsets.US_ASCII);

    private final List<Op> ops = new ArrayList<>();
    private boolean inPeer;
    private int lineNumber;

    /** An empty request. */
    Parser() {}

    /**
     * Checks one line (without its {@code \n}) and keeps it.
     *
     * @param line the line
     * @throws io.wireguardjava.uapi.UapiException when the line is bad, with wireguard-go's errno
     */
    void line(String line) throws UapiException {
      lineNumber++;
      try {
        if (inPeer && line.startsWith("allowed_ip=")) { // most lines of a big request: no key copy
          allowedIp(line.substring("allowed_ip=".length()));
          return;
        }
        keyValue(line);
      } catch (UapiException e) {
        throw atLine(e);
      }
    }

    /**
     * Checks one line given as its bytes, {@code b[0, length)} without the {@code \n}, read as
     * ISO-8859-1: an {@code allowed_ip=} line of a peer is parsed from the bytes, with no text
     * made.
     *
     * @param b the line's bytes; not kept
     * @param length the line's length
     * @throws io.wireguardjava.uapi.UapiException when the line is bad, with wireguard-go's errno
     */
    void line(byte[] b, int length) throws UapiException {
      if (!inPeer || !startsWith(b, length, ALLOWED_IP)) {
        line(new String(b, 0, length, StandardCharsets.ISO_8859_1));
        return;
      }
      lineNumber++;
      boolean add = length == ALLOWED_IP.length || b[ALLOWED_IP.length] != '-';
      int from = ALLOWED_IP.length + (add ? 0 : 1);
      InetNetwork prefix = AllowedIpText.parse(b, from, length);
      if (prefix == null) {
        String value =
            new String(
                b, ALLOWED_IP.length, length - ALLOWED_IP.length, StandardCharsets.ISO_8859_1);
        throw atLine(invalid("failed to set allowed ip", value));
      }
      addAllowedIp(prefix, add);
    }

    /** Adds {@code prefix} to the run of lines it continues, or starts a run. */
    private void addAllowedIp(InetNetwork prefix, boolean add) {
      Op last = ops.isEmpty() ? null : ops.get(ops.size() - 1);
      if (last instanceof AllowedIps && ((AllowedIps) last).add() == add) {
        ((AllowedIps) last).prefixes().add(prefix);
      } else {
        List<InetNetwork> run = new ArrayList<>();
        run.add(prefix);
        ops.add(new AllowedIps(run, add));
      }
    }

    private static boolean startsWith(byte[] b, int length, byte[] prefix) {
      if (length < prefix.length) {
        return false;
      }
      for (int i = 0; i < prefix.length; i++) {
        if (b[i] != prefix[i]) {
          return false;
        }
      }
      return true;
    }

    /** {@code e} with the line's number in front of its reason. */
    private UapiException atLine(UapiException e) {
      String message = String.valueOf(e.getMessage());
      String errno = " (errno=" + e.errno() + ")"; // UapiException adds it again
      if (message.endsWith(errno)) {
        message = message.substring(0, message.length() - errno.length());
      }
      return new UapiException(e.errno(), "line " + lineNumber + ": " + message);
    }

    private void keyValue(String line) throws UapiException {
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
      if (inPeer && key.equals("allowed_ip")) {
        allowedIp(value);
        return;
      }
      ops.add(inPeer ? peerLine(key, value) : deviceLine(key, value));
    }

    /**
     * The request, once its blank line has been read.
     *
     * @return the request, once its blank line has been read
     */
    SetRequest finish() {
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
            long port = UapiText.parseUnsigned(value, 0xffff);
            if (port < 0) {
              throw invalid("failed to parse listen_port", value);
            }
            return new SetListenPort((int) port);
          }
        case "fwmark":
          {
            long mark = UapiText.parseUnsigned(value, 0xffff_ffffL);
            if (mark < 0) {
              throw invalid("invalid fwmark", value);
            }
            return new SetFwmark((int) mark);
          }
        case "replace_peers":
          requireTrue("replace_peers", value);
          return new ReplacePeers();
        default:
          throw new UapiException(Errno.INVALID, "invalid UAPI device key: " + describe(key));
      }
    }

    private void allowedIp(String value) throws UapiException {
      boolean add = !value.startsWith("-");
      InetNetwork prefix = UapiText.parsePrefix(add ? value : value.substring(1));
      if (prefix == null) {
        throw invalid("failed to set allowed ip", value);
      }
      addAllowedIp(prefix, add);
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
            Endpoint endpoint = UapiText.parseEndpoint(value);
            if (endpoint == null) {
              throw invalid("failed to set endpoint", value); // also port 0: Endpoint refuses it
            }
            return new SetEndpoint(endpoint);
          }
        case "persistent_keepalive_interval":
          {
            long seconds = UapiText.parseUnsigned(value, 0xffff);
            if (seconds < 0) {
              throw invalid("failed to set persistent keepalive interval", value);
            }
            return new SetKeepalive((int) seconds);
          }
        case "replace_allowed_ips":
          requireTrue("replace_allowed_ips", value);
          return new ReplaceAllowedIps();
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
   * The configuration after this request, computed from {@code current} (its interface's private
   * key, listen port and fwmark, and its peers). Pure: nothing can fail here (every line was
   * checked when parsed). Peers the request does not touch are carried over as the same objects.
   *
   * @param current the device's configuration now, allowed IPs with host bits cleared
   * @return the configuration after this request
   */
  Config applyTo(Config current) {
    Interface iface = current.iface();
    Optional<PrivateKey> privateKey = iface.privateKey();
    // Computed once per key, not per selected peer: an X25519 each (65,536 in a syncconf).
    Optional<Key> ownKey = privateKey.map(PrivateKey::publicKey);
    int listenPort = iface.listenPort().orElse(0);
    int fwmark = iface.fwMark().orElse(0);
    Map<Key, Work> peers = new LinkedHashMap<>();
    for (Peer p : current.peers()) {
      peers.put(p.publicKey(), new Work(p));
    }
    Owners owners = new Owners(peers);
    @Nullable Work selected = null; // null: no peer selected, or a dummy
    boolean created = false;

    for (Op op : ops) {
      if (op instanceof SetPrivateKey) {
        privateKey = ((SetPrivateKey) op).key();
        ownKey = privateKey.map(PrivateKey::publicKey);
        // As wireguard-go's SetPrivateKey: a peer with our own new public key is dropped.
        ownKey.ifPresent(k -> drop(peers.get(k), peers, owners));
      } else if (op instanceof SetListenPort) {
        listenPort = ((SetListenPort) op).port();
      } else if (op instanceof SetFwmark) {
        fwmark = ((SetFwmark) op).mark();
      } else if (op instanceof ReplacePeers) {
        peers.clear();
        owners.clear();
      } else if (op instanceof SelectPeer) {
        Key key = ((SelectPeer) op).publicKey();
        created = false;
        selected = null;
        if (!ownKey.isPresent() || !ownKey.get().equals(key)) { // else a dummy: lines ignored
          selected = peers.get(key);
          if (selected == null) {
            selected = new Work(key);
            peers.put(key, selected);
            created = true;
          }
        }
      } else if (op instanceof UpdateOnly) {
        if (created && selected != null) {
          drop(selected, peers, owners);
          selected = null;
        }
      } else if (op instanceof RemovePeer) {
        drop(selected, peers, owners);
        selected = null;
      } else if (selected == null) {
        continue; // a line for an ignored (dummy) peer
      } else if (op instanceof SetPresharedKey) {
        selected.touch().presharedKey = ((SetPresharedKey) op).key();
      } else if (op instanceof SetEndpoint) {
        selected.touch().endpoint = Optional.of(((SetEndpoint) op).endpoint());
      } else if (op instanceof SetKeepalive) {
        selected.touch().keepalive = ((SetKeepalive) op).seconds();
      } else if (op instanceof ReplaceAllowedIps) {
        owners.removeAll(selected.touch().ips());
        selected.clearIps();
      } else if (op instanceof AllowedIps) {
        AllowedIps run = (AllowedIps) op;
        PrefixSet mine = selected.touch().ipSet();
        if (run.add()) {
          mine.reserve(run.prefixes().size());
        }
        for (InetNetwork prefix : run.prefixes()) {
          if (run.add()) {
            Work other = owners.put(prefix, selected);
            if (other != null && other != selected) {
              other.touch().ipSet().remove(prefix);
            }
            mine.add(prefix); // a set: kept at its first position
          } else if (mine.remove(prefix)) {
            owners.remove(prefix);
          }
        }
      }
    }
    Interface.Builder ib = iface.toBuilder().fwMark(fwmark);
    if (listenPort == 0) {
      ib.clearListenPort(); // 0 is "any port", as unset
    } else {
      ib.listenPort(listenPort);
    }
    if (privateKey.isPresent()) {
      ib.privateKey(privateKey.get());
    } else {
      ib.clearPrivateKey();
    }
    List<Peer> out = new ArrayList<>(peers.size());
    for (Work w : peers.values()) {
      out.add(w.build());
    }
    return Config.builder().iface(ib.build()).peers(out).build();
  }

  /**
   * Which peer holds each prefix, so that a moved prefix costs O(1), not a scan of every peer. Made
   * only once a second peer exists: a device of one peer with a million prefixes needs none.
   */
  private static final class Owners {
    private final Map<Key, Work> peers;
    private @Nullable Map<InetNetwork, Work> map;

    Owners(Map<Key, Work> peers) {
      this.peers = peers;
    }

    /** Records that {@code w} holds {@code prefix}; the previous holder, if another one. */
    @Nullable Work put(InetNetwork prefix, Work w) {
      Map<InetNetwork, Work> m = map;
      if (m == null) {
        if (peers.size() <= 1) {
          return null; // nobody to take it from
        }
        m = new HashMap<>();
        for (Work x : peers.values()) {
          for (InetNetwork n : x.ips()) {
            m.put(n, x);
          }
        }
        map = m;
      }
      return m.put(prefix, w);
    }

    void remove(InetNetwork prefix) {
      Map<InetNetwork, Work> m = map;
      if (m != null) {
        m.remove(prefix);
      }
    }

    void removeAll(Iterable<InetNetwork> prefixes) {
      Map<InetNetwork, Work> m = map;
      if (m != null) {
        for (InetNetwork prefix : prefixes) {
          m.remove(prefix);
        }
      }
    }

    void clear() {
      map = null;
    }
  }

  /** Removes a peer and its prefixes' ownership; nothing for null. */
  private static void drop(@Nullable Work w, Map<Key, Work> peers, Owners owners) {
    if (w == null) {
      return;
    }
    peers.remove(w.publicKey);
    owners.removeAll(w.ips());
  }

  /** A peer being changed; an untouched one is given back as the same {@link Peer}. */
  private static final class Work {
    final Key publicKey;
    private @Nullable Peer original;
    Optional<PresharedKey> presharedKey;
    Optional<Endpoint> endpoint;
    int keepalive;

    /** The allowed IPs until they first change (most peers of a request never do). */
    private final List<InetNetwork> initialIps;

    /** In the order added, made at the first change: a million prefixes checked each in O(1). */
    private @Nullable PrefixSet allowedIps;

    Work(Peer p) {
      original = p;
      publicKey = p.publicKey();
      presharedKey = p.presharedKey();
      endpoint = p.endpoint();
      keepalive = p.persistentKeepalive().orElse(0);
      initialIps = p.allowedIps();
    }

    Work(Key key) {
      publicKey = key;
      presharedKey = Optional.empty();
      endpoint = Optional.empty();
      initialIps = List.of();
    }

    /** The allowed IPs now, in order. */
    List<InetNetwork> ips() {
      PrefixSet set = allowedIps;
      return set == null ? initialIps : set.toList();
    }

    /** The allowed IPs as a set to change. */
    PrefixSet ipSet() {
      PrefixSet set = allowedIps;
      if (set == null) {
        set = new PrefixSet(initialIps);
        allowedIps = set;
      }
      return set;
    }

    void clearIps() {
      allowedIps = new PrefixSet(List.of());
    }

    Work touch() {
      original = null;
      return this;
    }

    Peer build() {
      if (original != null) {
        return original;
      }
      Peer.Builder b = Peer.builder().publicKey(publicKey).persistentKeepalive(keepalive);
      presharedKey.ifPresent(b::presharedKey);
      endpoint.ifPresent(b::endpoint);
      return b.allowedIps(ips()).build();
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
}
