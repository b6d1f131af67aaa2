package io.wireguardjava.core;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;

/**
 * A bad network between two tunnels: datagrams from side A's socket go out of side B's socket to
 * {@code toB} and vice versa, and may be dropped, duplicated or held back behind the next one.
 * Tunnel A's peer endpoint is {@link #sideA()}, tunnel B's is {@link #sideB()}.
 */
final class UdpShim implements AutoCloseable {
  final DatagramSocket a;
  final DatagramSocket b;
  final AtomicInteger dropped = new AtomicInteger();
  final AtomicInteger duplicated = new AtomicInteger();
  final AtomicInteger reordered = new AtomicInteger();

  /** Data datagrams received from side A so far (before any loss is applied). */
  final AtomicInteger dataFromA = new AtomicInteger();

  volatile double lossRate;
  volatile double duplicateRate;
  volatile double reorderRate;

  /** Datagram types to drop unconditionally, n at a time: dropNext[type] remaining. */
  final AtomicInteger[] dropNext = new AtomicInteger[5];

  /** The last data datagram that passed, for replay tests. */
  volatile byte[] lastData;

  private final Random random = new Random(42);
  private volatile InetSocketAddress peerOfA;
  private volatile InetSocketAddress peerOfB;
  private final Thread ta;
  private final Thread tb;

  UdpShim(InetSocketAddress tunnelA, InetSocketAddress tunnelB) throws SocketException {
    InetAddress lo = InetAddress.getLoopbackAddress();
    a = new DatagramSocket(0, lo);
    b = new DatagramSocket(0, lo);
    a.setReceiveBufferSize(4 << 20);
    b.setReceiveBufferSize(4 << 20);
    peerOfA = tunnelA;
    peerOfB = tunnelB;
    for (int i = 0; i < dropNext.length; i++) {
      dropNext[i] = new AtomicInteger();
    }
    ta = new Thread(() -> pump(a, b, () -> peerOfB), "shim-a");
    tb = new Thread(() -> pump(b, a, () -> peerOfA), "shim-b");
    ta.start();
    tb.start();
  }

  /** Where tunnel A sends (its peer B's endpoint). */
  InetSocketAddress sideA() {
    return (InetSocketAddress) a.getLocalSocketAddress();
  }

  /** Where tunnel B sends. */
  InetSocketAddress sideB() {
    return (InetSocketAddress) b.getLocalSocketAddress();
  }

  /** Sends raw bytes to tunnel B as if from the shim's B side (replays). */
  void injectToB(byte[] d) throws IOException {
    b.send(new DatagramPacket(d, d.length, peerOfB));
  }

  private void pump(
      DatagramSocket in, DatagramSocket out, java.util.function.Supplier<InetSocketAddress> to) {
    byte[] buf = new byte[65536];
    byte[] held = null;
    try {
      while (true) {
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        in.receive(p);
        byte[] d = java.util.Arrays.copyOf(buf, p.getLength());
        int type = d.length > 0 ? d[0] : 0;
        if (type == 4 && in == a) {
          dataFromA.incrementAndGet();
        }
        if (type >= 1 && type <= 4 && dropNext[type].getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
          dropped.incrementAndGet();
          continue;
        }
        double r;
        synchronized (random) {
          r = random.nextDouble();
        }
        if (type == 4 && r < lossRate) {
          dropped.incrementAndGet();
          continue;
        }
        if (type == 4 && in == a) {
          lastData = d;
        }
        if (type == 4 && held == null && r < lossRate + reorderRate) {
          held = d; // goes out after the next one
          reordered.incrementAndGet();
          continue;
        }
        out.send(new DatagramPacket(d, d.length, to.get()));
        if (type == 4 && r > 1 - duplicateRate) {
          out.send(new DatagramPacket(d, d.length, to.get()));
          duplicated.incrementAndGet();
        }
        if (held != null) {
          out.send(new DatagramPacket(held, held.length, to.get()));
          held = null;
        }
      }
    } catch (IOException e) {
      // closed
    }
  }

  @Override
  public void close() {
    a.close();
    b.close();
    try {
      ta.join();
      tb.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static IntPredicate any() {
    return t -> true;
  }
}
