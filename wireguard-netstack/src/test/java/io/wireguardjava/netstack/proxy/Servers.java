package io.wireguardjava.netstack.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Loopback test servers: TCP echo, UDP echo; closed with the test. */
final class Servers {
  private Servers() {}

  /** A TCP echo server on 127.0.0.1 that passes on half-closes (EOF -> shutdownOutput). */
  static final class Echo implements AutoCloseable {
    final ServerSocket server;
    private final ExecutorService pool =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "test-echo");
              t.setDaemon(true);
              return t;
            });

    Echo() throws IOException {
      this(InetAddress.getLoopbackAddress());
    }

    Echo(InetAddress address) throws IOException {
      server = new ServerSocket(0, 2000, address);
      pool.execute(
          () -> {
            while (true) {
              Socket s;
              try {
                s = server.accept();
              } catch (IOException e) {
                return;
              }
              pool.execute(() -> echo(s));
            }
          });
    }

    private static void echo(Socket s) {
      try (s) {
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        byte[] b = new byte[8192];
        int n;
        while ((n = in.read(b)) >= 0) {
          out.write(b, 0, n);
        }
        s.shutdownOutput();
      } catch (IOException e) {
        // the test reset it
      }
    }

    InetSocketAddress address() {
      return (InetSocketAddress) server.getLocalSocketAddress();
    }

    int port() {
      return server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      server.close();
      pool.shutdownNow();
    }
  }

  /** A UDP echo server on 127.0.0.1. */
  static final class UdpEcho implements AutoCloseable {
    final DatagramSocket socket;

    UdpEcho() throws SocketException {
      socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
      Thread t =
          new Thread(
              () -> {
                byte[] b = new byte[65535];
                while (true) {
                  DatagramPacket p = new DatagramPacket(b, b.length);
                  try {
                    socket.receive(p);
                    socket.send(p);
                  } catch (IOException e) {
                    return;
                  }
                }
              },
              "test-udp-echo");
      t.setDaemon(true);
      t.start();
    }

    InetSocketAddress address() {
      return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    @Override
    public void close() {
      socket.close();
    }
  }

  /** A port on 127.0.0.1 where nothing listens (bound, then closed). */
  static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
