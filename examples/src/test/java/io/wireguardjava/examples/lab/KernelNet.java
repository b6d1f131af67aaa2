package io.wireguardjava.examples.lab;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@link Net} over the kernel: JDK sockets, the system resolver and the {@code ping} binary. */
final class KernelNet implements Net {
  private static final Pattern PING_TIME = Pattern.compile("time[=<]([0-9.]+) ms");

  @Override
  public InetSocketAddress address(String host, int port) {
    return new InetSocketAddress(host, port);
  }

  @Override
  public Socket connect(InetSocketAddress to, Duration timeout) throws IOException {
    Socket s = new Socket();
    try {
      s.connect(to, Math.toIntExact(timeout.toMillis()));
      return s;
    } catch (IOException e) {
      s.close();
      throw e;
    }
  }

  @Override
  public ServerSocket listen(int port) throws IOException {
    return new ServerSocket(port);
  }

  @Override
  public Datagrams openDatagram(int port) throws IOException {
    DatagramSocket socket = new DatagramSocket(port);
    return new Datagrams() {
      @Override
      public void send(ByteBuffer data, InetSocketAddress to) throws IOException {
        byte[] b = new byte[data.remaining()];
        data.get(b);
        socket.send(new DatagramPacket(b, b.length, to));
      }

      @Override
      public InetSocketAddress receive(ByteBuffer dst) throws IOException {
        DatagramPacket p = new DatagramPacket(new byte[dst.remaining()], dst.remaining());
        socket.receive(p);
        dst.put(p.getData(), 0, p.getLength());
        return (InetSocketAddress) p.getSocketAddress();
      }

      @Override
      public void setSoTimeout(Duration timeout) throws IOException {
        socket.setSoTimeout(Math.toIntExact(timeout.toMillis()));
      }

      @Override
      public void close() {
        socket.close();
      }
    };
  }

  @Override
  public List<InetAddress> resolve(String host) throws IOException {
    return List.of(InetAddress.getAllByName(host));
  }

  /** The kernel's ICMP is reached through iputils' {@code ping} (the JDK has no ICMP echo). */
  @Override
  public Duration ping(InetAddress to, Duration timeout) throws IOException {
    long seconds = Math.max(1, timeout.toSeconds());
    Process p =
        new ProcessBuilder(
                "ping", "-n", "-c", "1", "-W", Long.toString(seconds), to.getHostAddress())
            .redirectErrorStream(true)
            .start();
    try {
      if (!p.waitFor(seconds + 5, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new SocketTimeoutException("ping " + to.getHostAddress() + " did not return");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    Matcher m = PING_TIME.matcher(out);
    if (p.exitValue() != 0 || !m.find()) {
      throw new SocketTimeoutException(
          "no echo reply from " + to.getHostAddress() + ": " + out.strip());
    }
    return Duration.ofNanos((long) (Double.parseDouble(m.group(1)) * 1_000_000));
  }

  @Override
  public void close() {}
}
