package io.wireguardjava.netstack.internal.dns;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * DNS messages (RFC 1035) as this stub resolver needs them: one-question queries out, answers
 * parsed strictly (bounds checked, compression loops refused, the question must echo ours).
 */
public final class DnsMessage {
  /** Record type A. */
  public static final int TYPE_A = 1;

  /** Record type AAAA. */
  public static final int TYPE_AAAA = 28;

  static final int TYPE_CNAME = 5;
  static final int TYPE_SOA = 6;
  static final int CLASS_IN = 1;

  /** Response code: no error. */
  public static final int RCODE_OK = 0;

  /** Response code: server failure. */
  public static final int RCODE_SERVFAIL = 2;

  /** Response code: the name does not exist. */
  public static final int RCODE_NXDOMAIN = 3;

  /** The largest UDP answer we accept without EDNS (RFC 1035 4.2.1). */
  public static final int UDP_LIMIT = 512;

  private static final int HEADER = 12;
  private static final int MAX_NAME = 253;
  private static final int MAX_POINTERS = 64;

  private DnsMessage() {}

  /** Thrown for a message that is not a valid answer to our question. */
  public static final class MalformedException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedException(String message) {
      super(message);
    }
  }

  /**
   * The parsed answer.
   *
   * @param rcode the response code
   * @param truncated the TC bit: the full answer needs TCP
   * @param addresses A or AAAA records for the name (after following CNAMEs), in answer order
   * @param ttlSeconds the smallest TTL of the records used; for a negative answer the SOA's
   *     negative-caching TTL (RFC 2308), or 0 when there is none
   */
  public record Answer(
      int rcode, boolean truncated, List<InetAddress> addresses, long ttlSeconds) {}

  /**
   * Encodes a query with recursion desired.
   *
   * @param id the message identifier
   * @param name the name, without a trailing dot, already validated
   * @param type {@link #TYPE_A} or {@link #TYPE_AAAA}
   * @return the message
   */
  public static byte[] query(int id, String name, int type) {
    byte[] ascii = name.getBytes(StandardCharsets.US_ASCII);
    byte[] q = new byte[HEADER + ascii.length + 2 + 4];
    put16(q, 0, id);
    put16(q, 2, 0x0100); // RD
    put16(q, 4, 1);
    int at = HEADER;
    int start = 0;
    for (int i = 0; i <= ascii.length; i++) {
      if (i == ascii.length || ascii[i] == '.') {
        q[at++] = (byte) (i - start);
        System.arraycopy(ascii, start, q, at, i - start);
        at += i - start;
        start = i + 1;
      }
    }
    q[at++] = 0;
    put16(q, at, type);
    put16(q, at + 2, CLASS_IN);
    return q;
  }

  /**
   * Checks a host name as DNS will carry it: labels of 1 to 63 letters, digits, hyphens or
   * underscores, 253 characters at most.
   *
   * @param name the name without a trailing dot
   * @return whether it can be queried
   */
  public static boolean isValidName(String name) {
    if (name.isEmpty() || name.length() > MAX_NAME) {
      return false;
    }
    int label = 0;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '.') {
        if (label == 0) {
          return false;
        }
        label = 0;
      } else if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_') {
        if (++label > 63) {
          return false;
        }
      } else {
        return false;
      }
    }
    return label > 0;
  }

  /**
   * Parses an answer to the query {@code (id, name, type)}.
   *
   * @param m the message
   * @param length its length
   * @param id the query's identifier
   * @param name the queried name
   * @param type the queried type
   * @return the answer
   * @throws MalformedException when it is not a well-formed answer to that question
   */
  public static Answer parse(byte[] m, int length, int id, String name, int type)
      throws MalformedException {
    if (m.length != length) {
      m = java.util.Arrays.copyOf(m, length); // compression pointers are bounded by m.length
    }
    if (length < HEADER) {
      throw new MalformedException("answer shorter than a DNS header: " + length + " bytes");
    }
    if (u16(m, 0) != id) {
      throw new MalformedException("answer id " + u16(m, 0) + " does not match query id " + id);
    }
    int flags = u16(m, 2);
    if ((flags & 0x8000) == 0) {
      throw new MalformedException("not a response (QR clear)");
    }
    boolean truncated = (flags & 0x0200) != 0;
    int rcode = flags & 0xf;
    int qd = u16(m, 4);
    int an = u16(m, 6);
    int ns = u16(m, 8);
    Cursor c = new Cursor(m, length, HEADER);
    if (qd != 1) {
      if (truncated && qd == 0) {
        return new Answer(rcode, true, List.of(), 0);
      }
      throw new MalformedException("answer has " + qd + " questions, expected 1");
    }
    String qname = c.name();
    int qtype = c.u16();
    int qclass = c.u16();
    if (!qname.equalsIgnoreCase(name) || qtype != type || qclass != CLASS_IN) {
      throw new MalformedException("answer is for another question: " + qname + " type " + qtype);
    }
    Set<String> owners = new HashSet<>();
    owners.add(name.toLowerCase(Locale.ROOT));
    List<InetAddress> addresses = new ArrayList<>();
    long ttl = Long.MAX_VALUE;
    for (int i = 0; i < an && !(truncated && c.at >= length); i++) {
      String owner = c.name().toLowerCase(Locale.ROOT);
      int rtype = c.u16();
      int rclass = c.u16();
      long rttl = Integer.toUnsignedLong(c.i32());
      int rdlength = c.u16();
      int rdata = c.at;
      c.need(rdlength);
      boolean ours = owners.contains(owner) && rclass == CLASS_IN;
      if (ours && rtype == TYPE_CNAME) {
        Cursor target = new Cursor(m, rdata + rdlength, rdata);
        owners.add(target.name().toLowerCase(Locale.ROOT));
        ttl = Math.min(ttl, rttl);
      } else if (ours && rtype == type && rdlength == (type == TYPE_A ? 4 : 16)) {
        byte[] a = new byte[rdlength];
        System.arraycopy(m, rdata, a, 0, rdlength);
        try {
          addresses.add(InetAddress.getByAddress(name, a));
        } catch (UnknownHostException e) {
          throw new MalformedException("bad address length " + rdlength);
        }
        ttl = Math.min(ttl, rttl);
      }
      c.at = rdata + rdlength;
    }
    if (addresses.isEmpty()) {
      ttl = negativeTtl(c, ns, truncated);
    }
    return new Answer(rcode, truncated, List.copyOf(addresses), ttl == Long.MAX_VALUE ? 0 : ttl);
  }

  /** RFC 2308: the negative TTL is min(SOA TTL, SOA MINIMUM) from the authority section. */
  private static long negativeTtl(Cursor c, int ns, boolean truncated) throws MalformedException {
    for (int i = 0; i < ns && !(truncated && c.at >= c.end); i++) {
      c.name();
      int rtype = c.u16();
      c.u16();
      long rttl = Integer.toUnsignedLong(c.i32());
      int rdlength = c.u16();
      int rdata = c.at;
      c.need(rdlength);
      if (rtype == TYPE_SOA) {
        Cursor soa = new Cursor(c.m, rdata + rdlength, rdata);
        soa.name();
        soa.name();
        soa.need(20);
        long minimum = Integer.toUnsignedLong(i32(c.m, soa.at + 16));
        return Math.min(rttl, minimum);
      }
      c.at = rdata + rdlength;
    }
    return 0;
  }

  /** A bounds-checked reader over one message. */
  private static final class Cursor {
    final byte[] m;
    final int end;
    int at;

    Cursor(byte[] m, int end, int at) {
      this.m = m;
      this.end = end;
      this.at = at;
    }

    void need(int n) throws MalformedException {
      if (n < 0 || at + n > end) {
        throw new MalformedException("answer truncated at byte " + at);
      }
    }

    int u16() throws MalformedException {
      need(2);
      int v = DnsMessage.u16(m, at);
      at += 2;
      return v;
    }

    int i32() throws MalformedException {
      need(4);
      int v = DnsMessage.i32(m, at);
      at += 4;
      return v;
    }

    /** Reads a possibly compressed name; the cursor ends after its in-place part. */
    String name() throws MalformedException {
      StringBuilder sb = new StringBuilder();
      int p = at;
      int after = -1;
      for (int jumps = 0; ; ) {
        if (p >= m.length || p >= (after < 0 ? end : m.length)) {
          throw new MalformedException("name runs past the message at byte " + p);
        }
        int len = m[p] & 0xff;
        if (len == 0) {
          p++;
          break;
        }
        if ((len & 0xc0) == 0xc0) {
          if (p + 1 >= m.length || ++jumps > MAX_POINTERS) {
            throw new MalformedException("bad or looping compression pointer at byte " + p);
          }
          if (after < 0) {
            after = p + 2;
          }
          p = (len & 0x3f) << 8 | (m[p + 1] & 0xff);
          continue;
        }
        if ((len & 0xc0) != 0 || p + 1 + len > m.length) {
          throw new MalformedException("bad label at byte " + p);
        }
        if (sb.length() > 0) {
          sb.append('.');
        }
        for (int i = 0; i < len; i++) {
          sb.append((char) (m[p + 1 + i] & 0xff));
        }
        if (sb.length() > MAX_NAME) {
          throw new MalformedException("name longer than 253 characters");
        }
        p += 1 + len;
      }
      at = after >= 0 ? after : p;
      if (at > end) {
        throw new MalformedException("name runs past the record at byte " + at);
      }
      return sb.toString();
    }
  }

  static int u16(byte[] b, int i) {
    return ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
  }

  static int i32(byte[] b, int i) {
    return (u16(b, i) << 16) | u16(b, i + 2);
  }

  static void put16(byte[] b, int i, int v) {
    b[i] = (byte) (v >>> 8);
    b[i + 1] = (byte) v;
  }
}
