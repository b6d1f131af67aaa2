package io.wireguardjava.examples.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * A UDP relay that delays every datagram by a fixed time in each direction: the 20 ms of a real
 * path, since this kernel has no {@code netem}. It listens on one address for the client side
 * (WireGuard's endpoint for the peer behind it), forwards to the target from an ephemeral port, and
 * sends the target's answers back to the client that spoke last. A full queue drops (as a router
 * would); loss itself is added by nftables in the relay's namespace. Its sockets ask for {@value
 * #SOCKET_BUFFER} bytes of buffer (the kernel caps it at {@code net.core.rmem_max}): with the
 * default ~200 KB a burst of a few milliseconds overflowed the receive buffer while the relay's
 * thread waited for a CPU, several percent more loss than the path is meant to have, and more the
 * burstier the sender (the namespace's {@code Udp RcvbufErrors} counts it).
 *
 * <p>Usage: {@code UdpDelayRelay LISTEN_IP:PORT TARGET_IP:PORT ONE_WAY_DELAY_MS}; prints {@code
 * ready} once both sockets are bound, runs until stdin ends or says {@code quit}.
 */
public final class UdpDelayRelay {
  private static final int QUEUE = 8192;
  private static final int MAX_DATAGRAM = 65535;
  static final int SOCKET_BUFFER = 8 << 20;

  private record Delayed(long dueNanos, byte[] data) {}

  private final long delayNanos;
  private volatile SocketAddress client;

  private UdpDelayRelay(long delayNanos) {
    this.delayNanos = delayNanos;
  }

  /**
   * Starts the relay.
   *
   * @param args {@code LISTEN_IP:PORT TARGET_IP:PORT ONE_WAY_DELAY_MS}
   * @throws IOException when a socket cannot be bound or stdin fails
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 3) {
      System.err.println("usage: UdpDelayRelay LISTEN_IP:PORT TARGET_IP:PORT ONE_WAY_DELAY_MS");
      System.exit(2);
    }
    InetSocketAddress listen = parse(args[0]);
    InetSocketAddress target = parse(args[1]);
    UdpDelayRelay relay = new UdpDelayRelay(Long.parseLong(args[2]) * 1_000_000L);
    DatagramSocket clientSide = new DatagramSocket(listen);
    DatagramSocket targetSide = new DatagramSocket(0);
    for (DatagramSocket s : new DatagramSocket[] {clientSide, targetSide}) {
      s.setReceiveBufferSize(SOCKET_BUFFER);
      s.setSendBufferSize(SOCKET_BUFFER);
    }
    BlockingQueue<Delayed> toTarget = new ArrayBlockingQueue<>(QUEUE);
    BlockingQueue<Delayed> toClient = new ArrayBlockingQueue<>(QUEUE);
    relay.thread("relay-in-client", () -> relay.receive(clientSide, toTarget, true));
    relay.thread("relay-in-target", () -> relay.receive(targetSide, toClient, false));
    relay.thread("relay-out-target", () -> relay.emit(toTarget, targetSide, () -> target));
    relay.thread("relay-out-client", () -> relay.emit(toClient, clientSide, () -> relay.client));
    System.out.println("ready");
    System.out.flush();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null && !line.equals("quit")) {
      // the relay takes no commands; stdin only tells it when to stop
    }
    System.exit(0);
  }

  private static InetSocketAddress parse(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    return new InetSocketAddress(
        hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
  }

  private interface IoLoop {
    void run() throws IOException, InterruptedException;
  }

  private void thread(String name, IoLoop loop) {
    Thread t =
        new Thread(
            () -> {
              try {
                loop.run();
              } catch (IOException | InterruptedException e) {
                System.err.println(name + ": " + e);
                System.exit(1);
              }
            },
            name);
    t.start();
  }

  private void receive(DatagramSocket socket, BlockingQueue<Delayed> queue, boolean fromClient)
      throws IOException {
    byte[] buf = new byte[MAX_DATAGRAM];
    DatagramPacket p = new DatagramPacket(buf, buf.length);
    while (true) {
      p.setLength(buf.length);
      socket.receive(p);
      if (fromClient) {
        client = p.getSocketAddress();
      }
      queue.offer(new Delayed(System.nanoTime() + delayNanos, Arrays.copyOf(buf, p.getLength())));
    }
  }

  /** The queue is FIFO and every datagram waits the same time, so the head is always due first. */
  private void emit(BlockingQueue<Delayed> queue, DatagramSocket socket, Supplier<SocketAddress> to)
      throws IOException, InterruptedException {
    while (true) {
      Delayed d = queue.take();
      long wait;
      while ((wait = d.dueNanos - System.nanoTime()) > 0) {
        LockSupport.parkNanos(wait);
      }
      SocketAddress dst = to.get();
      if (dst != null) {
        try {
          socket.send(new DatagramPacket(d.data, d.data.length, dst));
        } catch (IOException e) {
          // nftables' drop in the output hook answers EPERM: that datagram is lost, as intended
          if (socket.isClosed()) {
            throw e;
          }
        }
      }
    }
  }
}
