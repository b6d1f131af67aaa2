package io.wireguardjava;

import io.wireguardjava.ConfigException.Reason;
import io.wireguardjava.ConfigException.Section;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The wg-quick(8) and {@code wg setconf} text formats: parser and printer.
 *
 * <p>Reading follows the real tools where they agree: {@code #} cuts a line anywhere (both wg-quick
 * and wg do this, even inside PostUp commands), keys and section headers match case-insensitively,
 * values of wg's own keys lose all whitespace as wg strips it, values of wg-quick keys are trimmed.
 * It is stricter than the tools where they silently merge or override: a second {@code
 * [Interface]}, a single-valued key given twice in a section, and two peers with one public key are
 * errors.
 */
final class WgQuickFormat {
  private WgQuickFormat() {}

  /** The keys, with the section they belong to and whether only wg-quick knows them. */
  enum ConfigKey {
    PRIVATE_KEY("PrivateKey", Section.INTERFACE, false, false),
    LISTEN_PORT("ListenPort", Section.INTERFACE, false, false),
    FW_MARK("FwMark", Section.INTERFACE, false, false),
    ADDRESS("Address", Section.INTERFACE, true, true),
    DNS("DNS", Section.INTERFACE, true, true),
    MTU("MTU", Section.INTERFACE, true, false),
    TABLE("Table", Section.INTERFACE, true, false),
    PRE_UP("PreUp", Section.INTERFACE, true, true),
    POST_UP("PostUp", Section.INTERFACE, true, true),
    PRE_DOWN("PreDown", Section.INTERFACE, true, true),
    POST_DOWN("PostDown", Section.INTERFACE, true, true),
    SAVE_CONFIG("SaveConfig", Section.INTERFACE, true, false),
    PUBLIC_KEY("PublicKey", Section.PEER, false, false),
    PRESHARED_KEY("PresharedKey", Section.PEER, false, false),
    ALLOWED_IPS("AllowedIPs", Section.PEER, false, true),
    ENDPOINT("Endpoint", Section.PEER, false, false),
    PERSISTENT_KEEPALIVE("PersistentKeepalive", Section.PEER, false, false);

    final String name;
    final Section section;
    final boolean wgQuickOnly;
    final boolean repeatable;

    ConfigKey(String name, Section section, boolean wgQuickOnly, boolean repeatable) {
      this.name = name;
      this.section = section;
      this.wgQuickOnly = wgQuickOnly;
      this.repeatable = repeatable;
    }

    private static final Map<String, ConfigKey> BY_SECTION_AND_NAME = new HashMap<>();

    static {
      for (ConfigKey k : values()) {
        BY_SECTION_AND_NAME.put(k.section + "/" + k.name.toLowerCase(Locale.ROOT), k);
      }
    }

    static @Nullable ConfigKey find(Section section, String name) {
      return BY_SECTION_AND_NAME.get(section + "/" + name.toLowerCase(Locale.ROOT));
    }
  }

  // ---------------------------------------------------------------- parsing

  static Config parse(String text, boolean setconf) throws ConfigException {
    return new Parser(setconf).parse(text);
  }

  /** One pass over the lines; one instance per text. */
  private static final class Parser {
    private final boolean setconf;
    private Section section = Section.NONE;
    private int peerNumber;
    private int lineNumber;
    private int interfaceLine;
    private final Interface.Builder iface = Interface.builder();
    private Peer.@Nullable Builder peer;
    private int peerLine;
    private boolean peerHasKey;
    private final Set<ConfigKey> seenInSection = new HashSet<>();
    private final Map<Key, Integer> peerKeys = new HashMap<>();
    private final List<Peer> peers = new ArrayList<>();

    Parser(boolean setconf) {
      this.setconf = setconf;
    }

    Config parse(String text) throws ConfigException {
      // A byte-order mark, as some Windows editors write, is not part of the first line.
      String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
      String[] lines = body.split("\n", -1);
      for (int i = 0; i < lines.length; i++) {
        lineNumber = i + 1;
        parseLine(lines[i]);
      }
      finishPeer();
      if (interfaceLine == 0 && !setconf) {
        throw new ConfigException(
            0, Section.NONE, 0, null, Reason.MISSING_SECTION, null, crOnlyHint(body));
      }
      Interface built = iface.build(); // PrivateKey may be absent, as for wg-quick and wg setconf
      return Config.builder().iface(built).addPeers(peers).build();
    }

    private void parseLine(String raw) throws ConfigException {
      int hash = raw.indexOf('#');
      String line = trim(hash >= 0 ? raw.substring(0, hash) : raw);
      if (line.isEmpty()) {
        return;
      }
      if (line.charAt(0) == '[') {
        parseHeader(line);
        return;
      }
      int eq = line.indexOf('=');
      String keyText = eq < 0 ? "" : trim(line.substring(0, eq));
      if (eq < 0 || keyText.isEmpty()) {
        // The line may be a key with its '=' missing ("PrivateKey <key>"): never quote it.
        throw error(null, Reason.SYNTAX_ERROR, null, ErrorText.describeLine(line));
      }
      if (section == Section.NONE) {
        throw keyError(keyText, Reason.KEY_OUTSIDE_SECTION);
      }
      ConfigKey key = ConfigKey.find(section, keyText);
      if (key == null) {
        // wg drops all whitespace of a line, so "Private Key" is PrivateKey to wg (not to
        // wg-quick, which only trims).
        ConfigKey squeezed = ConfigKey.find(section, removeWhitespace(keyText));
        key = squeezed != null && !squeezed.wgQuickOnly ? squeezed : null;
      }
      if (key == null) {
        throw keyError(keyText, Reason.UNKNOWN_KEY);
      }
      if (setconf && key.wgQuickOnly) {
        throw keyError(keyText, Reason.WG_QUICK_ONLY_KEY);
      }
      if (!key.repeatable && !seenInSection.add(key)) {
        throw keyError(keyText, Reason.DUPLICATE_KEY);
      }
      String value = trim(line.substring(eq + 1));
      if (!key.wgQuickOnly) {
        value = removeWhitespace(value); // wg drops every whitespace character of a line
      }
      boolean secret = key == ConfigKey.PRIVATE_KEY || key == ConfigKey.PRESHARED_KEY;
      try {
        apply(key, value);
      } catch (ConfigValues.InvalidValue e) {
        throw error(keyText, e.reason, secret ? null : e.text, e.detail);
      }
    }

    private void parseHeader(String line) throws ConfigException {
      finishPeer();
      String header = removeWhitespace(line);
      seenInSection.clear();
      if (header.equalsIgnoreCase("[Interface]")) {
        if (interfaceLine != 0) {
          section = Section.INTERFACE;
          throw error(null, Reason.DUPLICATE_SECTION, null, "first at line " + interfaceLine);
        }
        section = Section.INTERFACE;
        interfaceLine = lineNumber;
      } else if (header.equalsIgnoreCase("[Peer]")) {
        section = Section.PEER;
        peerNumber++;
        peer = Peer.builder();
        peerLine = lineNumber;
        peerHasKey = false;
      } else {
        section = Section.NONE;
        // A file with CR-only line endings is one long line that starts with '[': quote the
        // header only when it cannot hold anything but a section name.
        throw ErrorText.isHeaderWord(line)
            ? error(null, Reason.UNKNOWN_SECTION, line, null)
            : error(null, Reason.UNKNOWN_SECTION, null, ErrorText.describeLine(line));
      }
    }

    private void finishPeer() throws ConfigException {
      Peer.Builder b = peer;
      if (b == null) {
        return;
      }
      peer = null;
      if (!peerHasKey) {
        throw new ConfigException(
            peerLine, Section.PEER, peerNumber, "PublicKey", Reason.MISSING_KEY, null, null);
      }
      peers.add(b.build());
    }

    private void apply(ConfigKey key, String value)
        throws ConfigValues.InvalidValue, ConfigException {
      Peer.Builder p = peer;
      switch (key) {
        case PRIVATE_KEY:
          iface.privateKey(decodeKey(value, PrivateKey::fromBase64));
          break;
        case LISTEN_PORT:
          iface.listenPort(ConfigValues.parseInt(value, 0, 65535));
          break;
        case FW_MARK:
          iface.fwMark(parseFwMark(value));
          break;
        case ADDRESS:
          for (String item : splitWgQuickList(value)) {
            iface.addAddress(InetNetwork.parseChecked(item));
          }
          break;
        case DNS:
          for (String item : splitWgQuickList(value)) {
            if (looksLikeDnsServer(item)) {
              InetAddress server = InetLiterals.parse(item);
              if (server == null) {
                throw new ConfigValues.InvalidValue(Reason.INVALID_ADDRESS, item, null);
              }
              iface.addDnsServer(server);
            } else if (isSearchDomain(item)) {
              iface.addDnsSearch(item);
            } else {
              throw new ConfigValues.InvalidValue(
                  Reason.INVALID_VALUE, item, "neither an IP address nor a search domain");
            }
          }
          break;
        case MTU:
          iface.mtu(ConfigValues.parseInt(value, 68, 65535));
          break;
        case TABLE:
          if (!isWord(value)) {
            throw new ConfigValues.InvalidValue(
                Reason.INVALID_VALUE, value, "a routing table name or number, off or auto");
          }
          iface.table(value);
          break;
        case PRE_UP:
          iface.addPreUp(hook(value));
          break;
        case POST_UP:
          iface.addPostUp(hook(value));
          break;
        case PRE_DOWN:
          iface.addPreDown(hook(value));
          break;
        case POST_DOWN:
          iface.addPostDown(hook(value));
          break;
        case SAVE_CONFIG:
          if (value.equalsIgnoreCase("true")) {
            iface.saveConfig(true);
          } else if (value.equalsIgnoreCase("false")) {
            iface.saveConfig(false);
          } else {
            throw new ConfigValues.InvalidValue(
                Reason.INVALID_VALUE, value, "neither true nor false");
          }
          break;
        case PUBLIC_KEY:
          Key publicKey = decodeKey(value, Key::fromBase64);
          Integer earlier = peerKeys.putIfAbsent(publicKey, peerNumber);
          if (earlier != null) {
            throw new ConfigValues.InvalidValue(Reason.DUPLICATE_PEER, value, "[Peer] " + earlier);
          }
          peerHasKey = true;
          requirePeer(p).publicKey(publicKey);
          break;
        case PRESHARED_KEY:
          requirePeer(p).presharedKey(decodeKey(value, PresharedKey::fromBase64));
          break;
        case ALLOWED_IPS:
          if (!value.isEmpty()) {
            for (String item : value.split(",", -1)) {
              requirePeer(p).addAllowedIp(InetNetwork.parseChecked(item));
            }
          }
          break;
        case ENDPOINT:
          requirePeer(p).endpoint(Endpoint.parseChecked(value));
          break;
        case PERSISTENT_KEEPALIVE:
          requirePeer(p)
              .persistentKeepalive(
                  value.equalsIgnoreCase("off") ? 0 : ConfigValues.parseInt(value, 0, 65535));
          break;
        default:
          throw new AssertionError(key);
      }
    }

    private static Peer.Builder requirePeer(Peer.@Nullable Builder p) {
      if (p == null) {
        throw new AssertionError("peer key outside a [Peer] section");
      }
      return p;
    }

    private ConfigException error(
        @Nullable String key, Reason reason, @Nullable String text, @Nullable String detail) {
      return new ConfigException(lineNumber, section, peerNumber, key, reason, text, detail);
    }

    /** An error about the key name of a line; a name that could hold key material is not shown. */
    private ConfigException keyError(String keyText, Reason reason) {
      return ErrorText.isKeyName(keyText)
          ? error(keyText, reason, null, null)
          : error(null, reason, null, ErrorText.describeLine(keyText));
    }
  }

  /** Why a text that failed to parse may look like one long line; else null. */
  private static @Nullable String crOnlyHint(String body) {
    return body.indexOf('\r') >= 0 && body.indexOf('\n') < 0
        ? "the text has carriage returns but no line feeds: use \\n or \\r\\n line endings"
        : null;
  }

  private interface Decoder<T> {
    T decode(String base64);
  }

  private static <T> T decodeKey(String value, Decoder<T> decoder)
      throws ConfigValues.InvalidValue {
    try {
      return decoder.decode(value);
    } catch (IllegalArgumentException e) {
      throw new ConfigValues.InvalidValue(Reason.INVALID_KEY, value, null);
    }
  }

  /** {@code off}, a decimal or a {@code 0x} hex number up to 2^32-1, as wg reads FwMark. */
  private static int parseFwMark(String value) throws ConfigValues.InvalidValue {
    if (value.equalsIgnoreCase("off")) {
      return 0;
    }
    boolean hex = value.startsWith("0x");
    String digits = hex ? value.substring(2) : value;
    boolean ok = !digits.isEmpty() && digits.length() <= 20;
    for (int i = 0; ok && i < digits.length(); i++) {
      ok = Character.digit(digits.charAt(i), hex ? 16 : 10) >= 0 && digits.charAt(i) < 128;
    }
    if (!ok) {
      throw new ConfigValues.InvalidValue(Reason.INVALID_NUMBER, value, null);
    }
    java.math.BigInteger n = new java.math.BigInteger(digits, hex ? 16 : 10);
    if (n.bitLength() > 32) {
      throw new ConfigValues.InvalidValue(Reason.OUT_OF_RANGE, value, "0..0xffffffff");
    }
    return (int) n.longValue();
  }

  private static String hook(String value) throws ConfigValues.InvalidValue {
    if (value.isEmpty()) {
      throw new ConfigValues.InvalidValue(Reason.INVALID_VALUE, value, "empty command");
    }
    return value;
  }

  // ---------------------------------------------------------------- shared rules

  /** wg-quick's {@code [[:space:]]}: space, tab, newline, vertical tab, form feed, return. */
  private static boolean isSpace(char c) {
    return c == ' ' || (c >= '\t' && c <= '\r');
  }

  static String trim(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && isSpace(s.charAt(start))) {
      start++;
    }
    while (end > start && isSpace(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(start, end);
  }

  private static String removeWhitespace(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      if (!isSpace(s.charAt(i))) {
        sb.append(s.charAt(i));
      }
    }
    return sb.toString();
  }

  /** wg-quick splits Address and DNS on commas and whitespace alike. */
  private static List<String> splitWgQuickList(String value) {
    List<String> items = new ArrayList<>();
    for (String item : value.split("[,\\s]+")) {
      if (!item.isEmpty()) {
        items.add(item);
      }
    }
    return items;
  }

  /** wg-quick's test for a DNS server: {@code ^[0-9.]+$} or anything with a colon. */
  private static boolean looksLikeDnsServer(String item) {
    return item.indexOf(':') >= 0 || item.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '.');
  }

  /** A search domain: name characters only, and not what wg-quick would take for a server. */
  static boolean isSearchDomain(String s) {
    if (s.isEmpty() || looksLikeDnsServer(s)) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '-'
              || c == '_'
              || c == '~';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** A single word: not empty, no whitespace, {@code #}, {@code ,} or {@code =}. */
  static boolean isWord(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (isSpace(c) || c == '#' || c == ',' || c == '=' || c < 0x20 || c == 0x7f) {
        return false;
      }
    }
    return true;
  }

  /** Checks and trims a hook command for the builder. */
  static String checkHook(String key, String command) {
    String trimmed = trim(java.util.Objects.requireNonNull(command, "command"));
    if (trimmed.isEmpty()) {
      throw new IllegalArgumentException(key + " command is empty");
    }
    for (int i = 0; i < trimmed.length(); i++) {
      char c = trimmed.charAt(i);
      if (c == '#' || c == '\n' || c == '\r') {
        throw new IllegalArgumentException(
            key + " command contains '#' or a line break, which a wg-quick file cannot hold");
      }
    }
    return trimmed;
  }

  // ---------------------------------------------------------------- printing

  static String dnsValues(Interface i) {
    List<String> values = new ArrayList<>();
    i.dnsServers().forEach(a -> values.add(InetLiterals.format(a)));
    values.addAll(i.dnsSearch());
    return String.join(", ", values);
  }

  static String print(Config config, boolean wgQuick) {
    StringBuilder sb = new StringBuilder();
    Interface i = config.iface();
    sb.append("[Interface]\n");
    i.privateKey().ifPresent(k -> line(sb, "PrivateKey", k.toBase64()));
    i.listenPort().ifPresent(p -> line(sb, "ListenPort", Integer.toString(p)));
    i.fwMark().ifPresent(m -> line(sb, "FwMark", "0x" + Integer.toHexString(m)));
    if (wgQuick) {
      if (!i.addresses().isEmpty()) {
        line(sb, "Address", join(i.addresses()));
      }
      if (!i.dnsServers().isEmpty() || !i.dnsSearch().isEmpty()) {
        line(sb, "DNS", dnsValues(i));
      }
      i.mtu().ifPresent(m -> line(sb, "MTU", Integer.toString(m)));
      i.table().ifPresent(t -> line(sb, "Table", t));
      i.preUp().forEach(c -> line(sb, "PreUp", c));
      i.postUp().forEach(c -> line(sb, "PostUp", c));
      i.preDown().forEach(c -> line(sb, "PreDown", c));
      i.postDown().forEach(c -> line(sb, "PostDown", c));
      if (i.saveConfig()) {
        line(sb, "SaveConfig", "true");
      }
    }
    for (Peer p : config.peers()) {
      sb.append("\n[Peer]\n");
      line(sb, "PublicKey", p.publicKey().toBase64());
      p.presharedKey().ifPresent(k -> line(sb, "PresharedKey", k.toBase64()));
      if (!p.allowedIps().isEmpty()) {
        line(sb, "AllowedIPs", join(p.allowedIps()));
      }
      p.endpoint().ifPresent(e -> line(sb, "Endpoint", e.toString()));
      p.persistentKeepalive().ifPresent(k -> line(sb, "PersistentKeepalive", k.toString()));
    }
    return sb.toString();
  }

  private static void line(StringBuilder sb, String key, String value) {
    sb.append(key).append(" = ").append(value).append('\n');
  }

  private static String join(List<InetNetwork> networks) {
    StringBuilder sb = new StringBuilder();
    for (InetNetwork n : networks) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(n);
    }
    return sb.toString();
  }
}
