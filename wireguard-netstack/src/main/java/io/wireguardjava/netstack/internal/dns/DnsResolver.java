package io.wireguardjava.netstack.internal.dns;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * A stub resolver that asks only the tunnel's DNS servers, through the tunnel.
 *
 * <ul>
 *   <li>IP literals are returned without a query.
 *   <li>Search domains as glibc applies them with {@code ndots:1}: a name with a dot is tried as
 *       given first, then with each search domain; a single label is tried with each search domain
 *       first; a trailing dot means "exactly this name".
 *   <li>A for IPv4 and AAAA for IPv6, each only when the interface has an address of that family
 *       (an address it cannot reach is no use to the caller); IPv4 answers first.
 *   <li>UDP, 512-byte answers; a truncated answer is asked again over TCP (RFC 7766).
 *   <li>Servers in order, {@link #ATTEMPTS} rounds, {@link #TIMEOUT_NANOS} per try.
 *   <li>Answers cached for their TTL (at most {@link #MAX_TTL_SECONDS}), negative answers for the
 *       SOA's negative TTL (RFC 2308); a TTL of 0 is not cached.
 * </ul>
 */
public final class DnsResolver {
  /**
   * How long to wait for one server's answer (glibc's default): long enough for a first query that
   * has to wait for the WireGuard handshake, or for its one retry 5 s later.
   */
  public static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);

  /** Rounds over the server list. */
  public static final int ATTEMPTS = 2;

  /** The longest a record is cached, whatever its TTL. */
  public static final long MAX_TTL_SECONDS = TimeUnit.DAYS.toSeconds(1);

  /** Cached (name, type) entries at most. */
  public static final int MAX_CACHE_ENTRIES = 4096;

  private static final int DNS_PORT = 53;

  private final List<InetSocketAddress> servers;
  private final List<String> search;
  private final boolean ipv4;
  private final boolean ipv6;
  private final DnsTransport transport;
  private final LongSupplier clock;
  private final RandomGenerator random;
  private final Map<String, Entry> cache = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicLong queriesSent =
      new java.util.concurrent.atomic.AtomicLong();

  private record Entry(List<InetAddress> addresses, long expiresNanos) {}

  /**
   * Creates a resolver.
   *
   * @param servers the DNS servers (port 53)
   * @param search the search domains, in order
   * @param ipv4 whether to ask for A records
   * @param ipv6 whether to ask for AAAA records
   * @param transport how queries reach the servers
   * @param clock nanosecond time, for the cache
   * @param random for query identifiers
   */
  public DnsResolver(
      List<InetAddress> servers,
      List<String> search,
      boolean ipv4,
      boolean ipv6,
      DnsTransport transport,
      LongSupplier clock,
      RandomGenerator random) {
    List<InetSocketAddress> s = new ArrayList<>();
    for (InetAddress a : servers) {
      s.add(new InetSocketAddress(a, DNS_PORT));
    }
    this.servers = List.copyOf(s);
    List<String> d = new ArrayList<>();
    for (String domain : search) {
      String t = strip(domain);
      if (DnsMessage.isValidName(t)) {
        d.add(t);
      }
    }
    this.search = List.copyOf(d);
    this.ipv4 = ipv4;
    this.ipv6 = ipv6;
    this.transport = transport;
    this.clock = clock;
    this.random = random;
  }

  /**
   * Resolves a host name or literal.
   *
   * @param host the name or IP literal
   * @return the addresses, at least one
   * @throws UnknownHostException when the name does not exist, has no usable address, is invalid,
   *     or no server answered; the message says which
   */
  public List<InetAddress> resolve(String host) throws UnknownHostException {
    Optional<InetAddress> literal = IpLiterals.parse(host);
    if (literal.isPresent()) {
      return List.of(literal.get());
    }
    boolean absolute = host.endsWith(".");
    String name = strip(host);
    if (!DnsMessage.isValidName(name)) {
      throw new UnknownHostException(host + ": not a valid host name");
    }
    if (servers.isEmpty()) {
      throw new UnknownHostException(
          host + ": the tunnel interface has no DNS servers (set DNS = in [Interface])");
    }
    List<String> candidates = new ArrayList<>();
    if (absolute || search.isEmpty()) {
      candidates.add(name);
    } else if (name.indexOf('.') >= 0) {
      candidates.add(name);
      search.forEach(d -> candidates.add(name + "." + d));
    } else {
      search.forEach(d -> candidates.add(name + "." + d));
      candidates.add(name);
    }
    IOException failure = null;
    for (String candidate : candidates) {
      try {
        List<InetAddress> found = lookup(candidate, host);
        if (!found.isEmpty()) {
          return found;
        }
      } catch (IOException e) {
        failure = e;
      }
    }
    UnknownHostException e =
        new UnknownHostException(
            host
                + (failure == null
                    ? ": no such host known to the tunnel's DNS servers " + servers
                    : ": no answer from the tunnel's DNS servers "
                        + servers
                        + " ("
                        + failure.getMessage()
                        + ")"));
    if (failure != null) {
      e.initCause(failure);
    }
    throw e;
  }

  private List<InetAddress> lookup(String name, String host) throws IOException {
    List<InetAddress> all = new ArrayList<>();
    if (ipv4) {
      all.addAll(cachedOrQuery(name, DnsMessage.TYPE_A, host));
    }
    if (ipv6) {
      all.addAll(cachedOrQuery(name, DnsMessage.TYPE_AAAA, host));
    }
    return all;
  }

  private List<InetAddress> cachedOrQuery(String name, int type, String host) throws IOException {
    String key = name.toLowerCase(Locale.ROOT) + "/" + type;
    long now = clock.getAsLong();
    Entry e = cache.get(key);
    if (e != null && e.expiresNanos - now > 0) {
      return named(e.addresses, host);
    }
    DnsMessage.Answer a = query(name, type);
    List<InetAddress> result = a.addresses();
    long ttl = Math.min(a.ttlSeconds(), MAX_TTL_SECONDS);
    if (ttl > 0) {
      if (cache.size() >= MAX_CACHE_ENTRIES) {
        evict(now);
      }
      cache.put(key, new Entry(result, now + TimeUnit.SECONDS.toNanos(ttl)));
    } else {
      cache.remove(key);
    }
    return named(result, host);
  }

  /** The addresses carrying the name the caller asked for (as InetAddress.getByName does). */
  private static List<InetAddress> named(List<InetAddress> addresses, String host)
      throws UnknownHostException {
    List<InetAddress> out = new ArrayList<>(addresses.size());
    for (InetAddress x : addresses) {
      out.add(InetAddress.getByAddress(host, x.getAddress()));
    }
    return out;
  }

  private void evict(long now) {
    cache.values().removeIf(x -> x.expiresNanos - now <= 0);
    Iterator<String> it = cache.keySet().iterator();
    while (cache.size() >= MAX_CACHE_ENTRIES && it.hasNext()) {
      it.next();
      it.remove();
    }
  }

  /** Asks the servers in turn; NOERROR and NXDOMAIN are answers, anything else tries on. */
  private DnsMessage.Answer query(String name, int type) throws IOException {
    IOException last = null;
    for (int round = 0; round < ATTEMPTS; round++) {
      for (InetSocketAddress server : servers) {
        int id = random.nextInt(1 << 16);
        byte[] q = DnsMessage.query(id, name, type);
        try {
          queriesSent.incrementAndGet();
          byte[] r = transport.exchangeUdp(server, q, TIMEOUT_NANOS);
          DnsMessage.Answer a = DnsMessage.parse(r, r.length, id, name, type);
          if (a.truncated()) {
            r = transport.exchangeTcp(server, q, TIMEOUT_NANOS);
            a = DnsMessage.parse(r, r.length, id, name, type);
          }
          if (a.rcode() == DnsMessage.RCODE_OK || a.rcode() == DnsMessage.RCODE_NXDOMAIN) {
            return a;
          }
          last = new IOException(server + " answered rcode " + a.rcode() + " for " + name);
        } catch (DnsMessage.MalformedException e) {
          last =
              new IOException(server + " sent a bad answer for " + name + ": " + e.getMessage(), e);
        } catch (IOException e) {
          last = e;
        }
      }
    }
    throw last == null ? new IOException("no DNS servers") : last;
  }

  /**
   * Queries sent so far (for tests of the cache).
   *
   * @return the count
   */
  public long queriesSent() {
    return queriesSent.get();
  }

  private static String strip(String name) {
    return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
  }
}
