package io.wireguardjava.netstack.internal.dns;

import java.io.IOException;
import java.net.InetSocketAddress;

/** How the resolver reaches a DNS server: through the tunnel network's UDP and TCP. */
public interface DnsTransport {

  /**
   * Sends {@code query} over UDP and returns the first reply whose first two bytes (the id) match,
   * ignoring others, or throws on timeout.
   *
   * @param server the DNS server
   * @param query the message
   * @param timeoutNanos how long to wait for the reply
   * @return the reply
   * @throws java.net.SocketTimeoutException when no reply came in time
   * @throws IOException on other failures (port unreachable, closed network)
   */
  byte[] exchangeUdp(InetSocketAddress server, byte[] query, long timeoutNanos) throws IOException;

  /**
   * Sends {@code query} over a new TCP connection (two-byte length prefix, RFC 1035 4.2.2) and
   * returns the reply.
   *
   * @param server the DNS server
   * @param query the message
   * @param timeoutNanos how long the whole exchange may take
   * @return the reply
   * @throws IOException when the connection or the exchange fails
   */
  byte[] exchangeTcp(InetSocketAddress server, byte[] query, long timeoutNanos) throws IOException;
}
