package io.wireguardjava.netstack.internal.stack;

import io.wireguardjava.TunnelPackets;
import io.wireguardjava.netstack.internal.dns.IpLiterals;
import io.wireguardjava.netstack.internal.tcp.TcpLayer;
import io.wireguardjava.netstack.internal.tcp.TcpSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/** Two full stacks (IP, TCP, threads, java.net adapters) joined by a {@link FaultyLink}. */
final class LinkedStacks implements AutoCloseable {
  static final InetAddress A = IpLiterals.parse("10.8.0.1").orElseThrow();
  static final InetAddress B = IpLiterals.parse("10.8.0.2").orElseThrow();

  /** One side: its stack thread, TCP layer and socket context. */
  static final class Side {
    final StackThread thread;
    final TcpLayer tcp;
    final SocketContext sockets;

    Side(InetAddress address, TunnelPackets link, TcpSettings settings, long seed, String name) {
      AtomicReference<TcpAdapter> holder = new AtomicReference<>();
      java.util.Random random =
          new java.util.Random(seed); // thread-safe: connect and bind run on any thread
      thread =
          StackThread.start(
              wake -> {
                Stack s =
                    new Stack(
                        new OwnAddresses(List.of(address)),
                        settings.mtu(),
                        (b, off, len) -> {
                          try {
                            link.send(b, off, len);
                            return true;
                          } catch (IOException e) {
                            return false;
                          }
                        },
                        random,
                        System::nanoTime,
                        wake);
                holder.set(TcpAdapter.attach(s, settings, random, wake));
                return s;
              },
              link,
              name);
      tcp = holder.get().layer();
      sockets =
          new SocketContext(
              tcp,
              thread.stack().addresses(),
              host -> {
                throw new UnknownHostException(host + ": no DNS in this test");
              });
    }

    void close() {
      thread.stop(s -> tcp.closeAll());
    }
  }

  final FaultyLink link;
  final Side a;
  final Side b;

  LinkedStacks(TcpSettings settings, long seed) {
    link = new FaultyLink(settings.mtu(), seed);
    a = new Side(A, link.a, settings, seed + 1, "hip-a");
    b = new Side(B, link.b, settings, seed + 2, "hip-b");
  }

  @Override
  public void close() {
    a.close();
    b.close();
    link.close();
  }
}
