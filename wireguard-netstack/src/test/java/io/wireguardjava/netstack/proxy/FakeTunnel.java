package io.wireguardjava.netstack.proxy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The "tunnel" of the unit tests: the host's loopback sockets, with a DNS of its own (names only it
 * knows, so a lookup that reached the host's resolver would fail), addresses that are unreachable
 * or black holes, and optional small socket buffers.
 */
final class FakeTunnel implements Network {
  final Map<String, List<InetAddress>> dns = new ConcurrentHashMap<>();
  final List<String> lookups = new CopyOnWriteArrayList<>();
  final Set<InetAddress> unreachable = ConcurrentHashMap.newKeySet();
  final Set<InetAddress> blackHoles = ConcurrentHashMap.newKeySet();

  /** SO_RCVBUF/SO_SNDBUF of the sockets it opens, 0 for the OS default. */
  volatile int bufferSize;

  FakeTunnel name(String name, InetAddress... addresses) {
    dns.put(name, List.of(addresses));
    return this;
  }

  @Override
  public Socket connect(InetSocketAddress to, Duration timeout) throws IOException {
    if (to.isUnresolved()) {
      throw new AssertionError("the proxy passed an unresolved address: " + to);
    }
    if (unreachable.contains(to.getAddress())) {
      throw new NoRouteToHostException("No route to host (ICMP host unreachable)");
    }
    if (blackHoles.contains(to.getAddress())) {
      try {
        Thread.sleep(timeout.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      throw new SocketTimeoutException("Connect timed out");
    }
    Socket s = new Socket();
    if (bufferSize > 0) {
      s.setReceiveBufferSize(bufferSize);
      s.setSendBufferSize(bufferSize);
    }
    try {
      s.connect(to, Timeouts.millis(timeout));
    } catch (IOException e) {
      s.close();
      throw e;
    }
    return s;
  }

  @Override
  public ServerSocket listen(InetSocketAddress local, int backlog) throws IOException {
    ServerSocket s = new ServerSocket();
    if (bufferSize > 0) {
      s.setReceiveBufferSize(bufferSize);
    }
    s.bind(local, backlog);
    return s;
  }

  @Override
  public Datagrams openDatagram(InetSocketAddress local) throws IOException {
    return HostNetwork.INSTANCE.openDatagram(local);
  }

  @Override
  public List<InetAddress> resolve(String host) throws IOException {
    lookups.add(host);
    List<InetAddress> a = dns.get(host);
    if (a == null) {
      throw new UnknownHostException(host + ": not known to the tunnel's DNS");
    }
    return a;
  }

  @Override
  public String name() {
    return "tunnel";
  }
}
