package io.wireguardjava;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * A configuration text that cannot be read: the one exception of {@link Config#parse} and {@link
 * Config#parseSetconf}.
 *
 * <p>The message names the line, the section, the key and what is wrong, for example {@code line 7,
 * [Peer] 2, AllowedIPs: '10.0.0.300/32' is not an IP network}; each part is also readable on its
 * own: {@link #line()}, {@link #section()}, {@link #peerNumber()}, {@link #key()}, {@link
 * #reason()} and {@link #text()}. The text of a private or preshared key is never included, nor any
 * line or key name that might hold one (a line without its {@code =}, a file with CR-only line
 * endings): those are described by their length instead.
 */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  /** The part of a configuration a problem is in. */
  public enum Section {
    /** Before any section header, or the text as a whole. */
    NONE(""),
    /** The {@code [Interface]} section. */
    INTERFACE("[Interface]"),
    /** A {@code [Peer]} section; {@link ConfigException#peerNumber()} says which. */
    PEER("[Peer]");

    private final String header;

    Section(String header) {
      this.header = header;
    }

    /**
     * The header as written in a file, such as {@code [Peer]}; empty for {@link #NONE}.
     *
     * @return the header as written in a file, such as {@code [Peer]}; empty for {@link #NONE}
     */
    public String header() {
      return header;
    }
  }

  /** What is wrong. Tests and callers switch on this rather than on the message. */
  public enum Reason {
    /** A line that is neither a section header, a {@code key = value} line, nor a comment. */
    SYNTAX_ERROR("'%s' is not a section header or a key = value line"),
    /** A section header other than {@code [Interface]} or {@code [Peer]}. */
    UNKNOWN_SECTION("'%s' is not a known section"),
    /** A {@code key = value} line before the first section header. */
    KEY_OUTSIDE_SECTION("key outside of any section"),
    /** A second {@code [Interface]} section. */
    DUPLICATE_SECTION("second [Interface] section"),
    /** No {@code [Interface]} section where one is required. */
    MISSING_SECTION("no [Interface] section"),
    /** A key that wg-quick(8) and wg(8) do not know in this section. */
    UNKNOWN_KEY("unknown key"),
    /** A wg-quick-only key (Address, DNS, MTU, ...) in a {@code wg setconf} text. */
    WG_QUICK_ONLY_KEY("wg-quick key, not allowed by wg setconf"),
    /** A key given twice in one section that may appear only once. */
    DUPLICATE_KEY("given twice in one section"),
    /** A required key is absent: the PublicKey of a peer. */
    MISSING_KEY("missing"),
    /** Two peers with the same public key. */
    DUPLICATE_PEER("'%s' is the public key of an earlier peer"),
    /** A key that is not 44 characters of canonical base64. */
    INVALID_KEY("'%s' is not a base64 key of 32 bytes"),
    /** A value that should be a number and is not. */
    INVALID_NUMBER("'%s' is not a number"),
    /** A number out of its range (ports, MTU, keepalive, fwmark). */
    OUT_OF_RANGE("'%s' is out of range"),
    /** Text that is not an IP network ({@code address/prefix}). */
    INVALID_NETWORK("'%s' is not an IP network"),
    /** A CIDR prefix length beyond 32 (IPv4) or 128 (IPv6). */
    INVALID_PREFIX_LENGTH("'%s' has a prefix length out of range"),
    /** Text that is not an IP address. */
    INVALID_ADDRESS("'%s' is not an IP address"),
    /** Text that is not an endpoint ({@code host:port} or {@code [v6]:port}). */
    INVALID_ENDPOINT("'%s' is not an endpoint (host:port or [IPv6]:port)"),
    /** Any other malformed value (booleans, table names, hook commands). */
    INVALID_VALUE("'%s' is not a valid value");

    private final String template;

    Reason(String template) {
      this.template = template;
    }

    /**
     * The problem in words; a {@code null} text (a secret, or a line that may hold one) is called
     * "the line" or "the value".
     */
    String describe(@Nullable String text) {
      if (!template.contains("%s")) {
        return template;
      }
      if (text == null) {
        boolean wholeLine = this == SYNTAX_ERROR || this == UNKNOWN_SECTION;
        return template.replace("'%s'", wholeLine ? "the line" : "the value");
      }
      return String.format(template, text);
    }
  }

  /** The 1-based line number, or 0 when the error is not tied to a line. */
  private final int line;

  /** The section the error is in. */
  private final Section section;

  /** For a peer section, its 1-based number; else 0. */
  private final int peerNumber;

  /** The key of the offending line, when there is one. */
  private final @Nullable String key;

  /** What is wrong. */
  private final Reason reason;

  /** The offending value (never a secret), when there is one. */
  private final @Nullable String text;

  /**
   * An exception about one place in a configuration text.
   *
   * @param line the 1-based line number, or 0 when the problem is not on one line
   * @param section the section the line is in
   * @param peerNumber the 1-based number of the {@code [Peer]} section, or 0 outside a peer
   * @param key the key as the configuration names it, such as {@code AllowedIPs}, or {@code null}
   * @param reason what is wrong
   * @param text the offending text, or {@code null}; for a secret key pass {@code null}; text
   *     longer than 32 characters is cut to its first 29 and {@code ...}
   * @param detail more explanation appended to the message, or {@code null}
   */
  public ConfigException(
      int line,
      Section section,
      int peerNumber,
      @Nullable String key,
      Reason reason,
      @Nullable String text,
      @Nullable String detail) {
    super(message(line, section, peerNumber, key, reason, shorten(text), detail));
    if (line < 0 || peerNumber < 0) {
      throw new IllegalArgumentException("negative line or peer number");
    }
    this.line = line;
    this.section = Objects.requireNonNull(section, "section");
    this.peerNumber = section == Section.PEER ? peerNumber : 0;
    this.key = key;
    this.reason = Objects.requireNonNull(reason, "reason");
    this.text = shorten(text);
  }

  /**
   * The most of an offending value a message quotes: enough to recognise an address or a command,
   * never a whole key (44 base64 characters) pasted where it does not belong.
   */
  static final int MAX_QUOTED = 32;

  private static @Nullable String shorten(@Nullable String text) {
    return text == null || text.length() <= MAX_QUOTED
        ? text
        : text.substring(0, MAX_QUOTED - 3) + "...";
  }

  private static String message(
      int line,
      Section section,
      int peerNumber,
      @Nullable String key,
      Reason reason,
      @Nullable String text,
      @Nullable String detail) {
    StringBuilder sb = new StringBuilder();
    if (line > 0) {
      sb.append("line ").append(line);
    }
    if (section != Section.NONE) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(section.header());
      if (section == Section.PEER && peerNumber > 0) {
        sb.append(' ').append(peerNumber);
      }
    }
    if (key != null) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(key);
    }
    if (sb.length() > 0) {
      sb.append(": ");
    }
    sb.append(reason.describe(text));
    if (detail != null) {
      sb.append(" (").append(detail).append(')');
    }
    return sb.toString();
  }

  /**
   * The 1-based line number, empty when the problem concerns the text as a whole.
   *
   * @return the 1-based line number, empty when the problem concerns the text as a whole
   */
  public OptionalInt line() {
    return line > 0 ? OptionalInt.of(line) : OptionalInt.empty();
  }

  /**
   * The section the problem is in.
   *
   * @return the section the problem is in
   */
  public Section section() {
    return section;
  }

  /**
   * For {@link Section#PEER}, the 1-based number of the peer section; else empty.
   *
   * @return the peer section's number, or empty outside a peer section
   */
  public OptionalInt peerNumber() {
    return peerNumber > 0 ? OptionalInt.of(peerNumber) : OptionalInt.empty();
  }

  /**
   * The section as the message names it: {@code [Interface]}, {@code [Peer] 2}, or empty.
   *
   * @return the section as the message names it: {@code [Interface]}, {@code [Peer] 2}, or empty
   */
  public String sectionLabel() {
    return section == Section.PEER && peerNumber > 0
        ? section.header() + " " + peerNumber
        : section.header();
  }

  /**
   * The key, as the text spelled it (wg matches keys case-insensitively).
   *
   * @return the key, as the text spelled it (wg matches keys case-insensitively)
   */
  public Optional<String> key() {
    return Optional.ofNullable(key);
  }

  /**
   * What is wrong.
   *
   * @return what is wrong
   */
  public Reason reason() {
    return reason;
  }

  /**
   * The offending text, cut to 32 characters; empty for secrets, for lines that might hold one, and
   * for problems with no single value.
   *
   * @return the offending text, if it may be shown
   */
  public Optional<String> text() {
    return Optional.ofNullable(text);
  }
}
