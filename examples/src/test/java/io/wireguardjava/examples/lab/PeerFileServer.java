package io.wireguardjava.examples.lab;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;

/**
 * A plain HTTP/1.1 file server for the peer's namespace (the JDK's HttpServer over the kernel's
 * TCP): {@code GET /NAME} answers the file {@code DIR/NAME} with its length. Prints {@code ready}
 * once bound, runs until stdin ends.
 *
 * <p>Usage: {@code PeerFileServer BIND_IP PORT DIR}
 */
public final class PeerFileServer {
  private PeerFileServer() {}

  /**
   * Serves files.
   *
   * @param args {@code BIND_IP PORT DIR}
   * @throws IOException when it cannot bind
   */
  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[2]);
    HttpServer server =
        HttpServer.create(new InetSocketAddress(args[0], Integer.parseInt(args[1])), 64);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            String name = exchange.getRequestURI().getPath().substring(1);
            Path file = dir.resolve(name).normalize();
            if (name.isEmpty() || name.contains("/") || !Files.isRegularFile(file)) {
              exchange.sendResponseHeaders(404, -1);
              return;
            }
            exchange.sendResponseHeaders(200, Files.size(file));
            try (InputStream in = Files.newInputStream(file);
                OutputStream out = exchange.getResponseBody()) {
              in.transferTo(out);
            }
          }
        });
    server.start();
    System.out.println("ready");
    System.out.flush();
    while (System.in.read() >= 0) {
      // runs until stdin ends
    }
    server.stop(0);
    System.exit(0);
  }
}
