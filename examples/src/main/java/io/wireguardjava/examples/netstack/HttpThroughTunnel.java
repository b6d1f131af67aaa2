package io.wireguardjava.examples.netstack;

import io.wireguardjava.Config;
import io.wireguardjava.netstack.TunnelNetwork;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLSocketFactory;

/**
 * Fetches a URL through a WireGuard tunnel without root: {@code java -cp wg-java.jar
 * io.wireguardjava.examples.netstack.HttpThroughTunnel wg0.conf https://10.0.0.1/}. Plain HTTP/1.1
 * over the tunnel's {@code Socket}; for https, TLS layered on that same socket.
 */
public final class HttpThroughTunnel {
  private HttpThroughTunnel() {}

  /** GETs {@code url}; returns the whole response, headers included. */
  static String get(TunnelNetwork net, URI url, SSLSocketFactory tls) throws IOException {
    boolean https = "https".equals(url.getScheme());
    int port = url.getPort() > 0 ? url.getPort() : https ? 443 : 80;
    // The host name is resolved by the tunnel's DNS servers, never by the host's resolver.
    Socket plain =
        net.connect(
            InetSocketAddress.createUnresolved(url.getHost(), port), Duration.ofSeconds(10));
    // For https, TLS runs over our socket; closing it closes ours too (autoClose = true).
    try (Socket socket = https ? tls.createSocket(plain, url.getHost(), port, true) : plain) {
      socket.setSoTimeout(30_000);
      String path = url.getRawPath().isEmpty() ? "/" : url.getRawPath();
      String request =
          "GET " + path + " HTTP/1.1\r\nHost: " + url.getHost() + "\r\nConnection: close\r\n\r\n";
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Usage: {@code HttpThroughTunnel <wg-quick.conf> <url>}. */
  public static void main(String[] args) throws Exception {
    Config config = Config.parse(Files.readString(Path.of(args[0])));
    try (TunnelNetwork net = TunnelNetwork.open(config)) {
      System.out.print(
          get(net, URI.create(args[1]), (SSLSocketFactory) SSLSocketFactory.getDefault()));
    }
  }
}
