package io.wireguardjava.netstack.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * One UDP ASSOCIATE (RFC 1928 §7): a relay socket on the host for the client and a socket in the
 * tunnel for the destinations, alive as long as the client's TCP control connection.
 *
 * <ol>
 *   <li>client -> tunnel (one thread): a datagram on the relay socket from the client's address
 *       (the control connection's IP, and the port it announced or the first one seen) has its
 *       header parsed; fragments ({@code FRAG != 0}), malformed headers, strangers and destinations
 *       the policy refuses are dropped and counted; names are resolved through the tunnel's DNS
 *       (cached per association); the payload is sent from the tunnel socket.
 *   <li>tunnel -> client (one thread): a datagram is received behind room for the largest header,
 *       which is written in front of it in place, and sent to the client.
 *   <li>the control connection (the handler's thread): read and discarded until it ends, then both
 *       sockets are closed, which ends both threads.
 * </ol>
 */
final class Socks5UdpAssociation {
  private static final int MAX_DATAGRAM = 65_535;

  /** Names resolved per association before the cache starts over. */
  private static final int MAX_CACHED_NAMES = 256;

  private final Socket control;
  private final InputStream controlIn;
  private final Socks5Request request;
  private final Dialer dialer;
  private final Network listenSide;
  private final Counters counters;
  private final InetAddress clientIp;

  /** The client's UDP address once known; only the client-side thread writes it. */
  private volatile @Nullable InetSocketAddress client;

  Socks5UdpAssociation(
      Socket control,
      InputStream controlIn,
      Socks5Request request,
      Dialer dialer,
      Network listenSide,
      Counters counters) {
    this.control = control;
    this.controlIn = controlIn;
    this.request = request;
    this.dialer = dialer;
    this.listenSide = listenSide;
    this.counters = counters;
    this.clientIp = control.getInetAddress();
  }

  void run(Connection connection, ExecutorService executor) throws IOException {
    Datagrams relay;
    Datagrams tunnel;
    try {
      relay = listenSide.openDatagram(new InetSocketAddress(control.getLocalAddress(), 0));
    } catch (IOException e) {
      Socks5Codec.writeFailure(control.getOutputStream(), Socks5.REP_GENERAL_FAILURE);
      throw e;
    }
    connection.track(relay);
    try {
      tunnel = dialer.network().openDatagram(new InetSocketAddress(0));
    } catch (IOException e) {
      relay.close();
      Socks5Codec.writeFailure(control.getOutputStream(), Socks5.REP_GENERAL_FAILURE);
      throw e;
    }
    connection.track(tunnel);
    CountDownLatch done = new CountDownLatch(2);
    try {
      executor.execute(() -> runThenCountDown(() -> clientToTunnel(relay, tunnel), done));
      executor.execute(() -> runThenCountDown(() -> tunnelToClient(tunnel, relay), done));
    } catch (RejectedExecutionException e) {
      relay.close();
      tunnel.close();
      Socks5Codec.writeFailure(control.getOutputStream(), Socks5.REP_GENERAL_FAILURE);
      return;
    }
    try {
      Socks5Codec.writeReply(control.getOutputStream(), Socks5.REP_SUCCEEDED, relay.localAddress());
      control.setSoTimeout(0);
      byte[] discard = new byte[256];
      while (controlIn.read(discard) >= 0) {
        // RFC 1928 §7: the association ends with the TCP connection
      }
    } catch (IOException e) {
      // a reset control connection ends the association as well
    } finally {
      relay.close();
      tunnel.close();
    }
    try {
      done.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void runThenCountDown(Runnable r, CountDownLatch done) {
    try {
      r.run();
    } finally {
      done.countDown();
    }
  }

  private void clientToTunnel(Datagrams relay, Datagrams tunnel) {
    ByteBuffer buffer = ByteBuffer.allocate(Socks5UdpHeader.MAX_LENGTH + MAX_DATAGRAM);
    byte[] bytes = buffer.array();
    Socks5UdpHeader header = new Socks5UdpHeader();
    Destinations destinations = new Destinations();
    while (true) {
      buffer.clear();
      InetSocketAddress from;
      try {
        from = relay.receive(buffer);
      } catch (IOException e) {
        return; // closed with the association
      }
      int length = buffer.position();
      if (!acceptSource(from) || header.parse(bytes, 0, length) != null || header.fragment != 0) {
        counters.datagramsDropped.increment();
        continue;
      }
      InetSocketAddress to = destinations.of(header);
      if (to == null) {
        counters.datagramsDropped.increment();
        continue;
      }
      buffer.limit(length).position(header.payloadOffset);
      // counted before the send, so whoever sees the reply sees the count
      int n = length - header.payloadOffset;
      counters.bytesOut.add(n);
      try {
        tunnel.send(buffer, to);
      } catch (IOException e) {
        counters.bytesOut.add(-n);
        counters.datagramsDropped.increment();
      }
    }
  }

  /**
   * Datagrams only from the client's IP, and from the port it announced (or, when it announced
   * none, the first port seen), so no one else can use the relay.
   */
  private boolean acceptSource(InetSocketAddress from) {
    InetSocketAddress known = client;
    if (known != null) {
      return known.equals(from);
    }
    // DST.ADDR of the request: where the client will send from, when it knows
    InetAddress expectedIp =
        HostNames.literal(request.host()).filter(a -> !a.isAnyLocalAddress()).orElse(clientIp);
    int announcedPort = request.port();
    if (!sameIp(expectedIp, from.getAddress())
        || (announcedPort != 0 && announcedPort != from.getPort())) {
      return false;
    }
    client = from;
    return true;
  }

  /** Equal addresses, an IPv4 address also equal to its IPv4-mapped IPv6 form. */
  private static boolean sameIp(InetAddress a, InetAddress b) {
    return Arrays.equals(v4IfMapped(a.getAddress()), v4IfMapped(b.getAddress()));
  }

  private static byte[] v4IfMapped(byte[] raw) {
    if (raw.length == 16) {
      for (int i = 0; i < 10; i++) {
        if (raw[i] != 0) {
          return raw;
        }
      }
      if (raw[10] == (byte) 0xff && raw[11] == (byte) 0xff) {
        return Arrays.copyOfRange(raw, 12, 16);
      }
    }
    return raw;
  }

  private void tunnelToClient(Datagrams tunnel, Datagrams relay) {
    ByteBuffer buffer = ByteBuffer.allocate(Socks5UdpHeader.MAX_REPLY_LENGTH + MAX_DATAGRAM);
    byte[] bytes = buffer.array();
    while (true) {
      buffer.clear().position(Socks5UdpHeader.MAX_REPLY_LENGTH);
      InetSocketAddress from;
      try {
        from = tunnel.receive(buffer);
      } catch (IOException e) {
        return; // closed with the association
      }
      InetSocketAddress to = client;
      if (to == null || from.getAddress() == null) {
        counters.datagramsDropped.increment();
        continue;
      }
      int end = buffer.position();
      int start = Socks5UdpHeader.prepend(bytes, Socks5UdpHeader.MAX_REPLY_LENGTH, from);
      buffer.limit(end).position(start);
      int n = end - Socks5UdpHeader.MAX_REPLY_LENGTH;
      counters.bytesIn.add(n);
      try {
        relay.send(buffer, to);
      } catch (IOException e) {
        counters.bytesIn.add(-n);
        counters.datagramsDropped.increment();
      }
    }
  }

  /**
   * The destination of each datagram, without allocating for a run of datagrams to the same
   * address, and with names resolved through the tunnel once per association.
   */
  private final class Destinations {
    private final byte[] lastAddress = new byte[16];
    private int lastLength = -1;
    private int lastPort = -1;
    private @Nullable InetSocketAddress last;
    private final Map<String, InetSocketAddress> names = new HashMap<>();

    /** The destination, or null when it is not allowed or cannot be resolved. */
    @Nullable InetSocketAddress of(Socks5UdpHeader h) {
      int n = h.addressLength();
      if (n == 0) {
        return byName(h.domain, h.port);
      }
      if (last != null
          && lastLength == n
          && lastPort == h.port
          && Arrays.equals(lastAddress, 0, n, h.address, 0, n)) {
        return last;
      }
      InetSocketAddress to;
      try {
        to = new InetSocketAddress(Socks5Codec.toInetAddress(Arrays.copyOf(h.address, n)), h.port);
      } catch (IOException e) {
        return null;
      }
      if (!dialer.allowed(to)) {
        return null;
      }
      System.arraycopy(h.address, 0, lastAddress, 0, n);
      lastLength = n;
      lastPort = h.port;
      last = to;
      return to;
    }

    private @Nullable InetSocketAddress byName(String name, int port) {
      String key = name + ":" + port;
      InetSocketAddress cached = names.get(key);
      if (cached != null) {
        return cached;
      }
      InetSocketAddress to;
      try {
        to = dialer.resolve(name, port).get(0);
      } catch (DialException e) {
        return null;
      }
      if (names.size() >= MAX_CACHED_NAMES) {
        names.clear();
      }
      names.put(key, to);
      return to;
    }
  }
}
