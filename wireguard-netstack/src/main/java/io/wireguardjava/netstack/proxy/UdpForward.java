package io.wireguardjava.netstack.proxy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * A UDP port forward: one listening socket, one flow per client address.
 *
 * <ol>
 *   <li>listener thread: a datagram from a client finds its flow in the {@link UdpFlowTable} or
 *       opens one (a socket of its own on the other side, so replies can be told apart), and is
 *       sent to the destination, resolved once per flow through the destination side's DNS; when
 *       the table is full the datagram is dropped and counted.
 *   <li>one thread per flow: replies from the destination go back to the client from the listening
 *       socket.
 *   <li>sweeper: every quarter of the idle timeout, flows without a datagram either way for the
 *       idle timeout are closed, which ends their threads.
 * </ol>
 */
final class UdpForward implements AutoCloseable {
  private static final int MAX_DATAGRAM = 65_535;

  private final String name;
  private final Datagrams listener;
  private final Dialer dialer;
  private final String targetHost;
  private final int targetPort;
  private final Counters counters;
  private final LongSupplier clock;
  private final UdpFlowTable<Flow> flows;
  private final ExecutorService pool;
  private final ScheduledExecutorService sweeper;
  private final Thread listenThread;
  private volatile boolean closed;

  UdpForward(
      String name,
      Datagrams listener,
      Dialer dialer,
      String targetHost,
      int targetPort,
      Duration idleTimeout,
      int maxFlows,
      Counters counters,
      LongSupplier clock) {
    this.name = name;
    this.listener = listener;
    this.dialer = dialer;
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.counters = counters;
    this.clock = clock;
    this.flows = new UdpFlowTable<>(idleTimeout.toNanos(), maxFlows);
    this.pool =
        new ThreadPoolExecutor(
            0,
            Integer.MAX_VALUE,
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            TcpService.daemonThreads(name));
    ScheduledThreadPoolExecutor s =
        new ScheduledThreadPoolExecutor(1, TcpService.daemonThreads(name + "-sweep"));
    s.setRemoveOnCancelPolicy(true);
    this.sweeper = s;
    long period = Math.max(TimeUnit.MILLISECONDS.toNanos(10), idleTimeout.toNanos() / 4);
    sweeper.scheduleAtFixedRate(this::sweep, period, period, TimeUnit.NANOSECONDS);
    this.listenThread = new Thread(this::listen, name + "-listen");
    listenThread.setDaemon(true);
    listenThread.start();
  }

  InetSocketAddress localAddress() {
    return listener.localAddress();
  }

  /** A flow's socket on the destination side and the destination resolved for it. */
  private static final class Flow {
    final Datagrams socket;
    final InetSocketAddress target;

    Flow(Datagrams socket, InetSocketAddress target) {
      this.socket = socket;
      this.target = target;
    }
  }

  private void listen() {
    ByteBuffer buffer = ByteBuffer.allocate(MAX_DATAGRAM);
    while (!closed) {
      buffer.clear();
      InetSocketAddress from;
      try {
        from = listener.receive(buffer);
      } catch (IOException e) {
        return; // closed
      }
      buffer.flip();
      long now = clock.getAsLong();
      UdpFlowTable.Entry<Flow> flow = flows.get(from, now);
      if (flow == null) {
        flow = flows.hasRoom() ? open(from, now) : null;
        if (flow == null) {
          counters.datagramsDropped.increment();
          continue;
        }
      }
      int n = buffer.remaining();
      counters.bytesOut.add(n); // before the send: whoever sees the reply sees the count
      try {
        flow.flow.socket.send(buffer, flow.flow.target);
      } catch (IOException e) {
        counters.bytesOut.add(-n);
        counters.datagramsDropped.increment();
      }
    }
  }

  /** A new flow: the destination resolved again (a changed name is picked up), a socket. */
  private UdpFlowTable.@Nullable Entry<Flow> open(InetSocketAddress client, long now) {
    InetSocketAddress target;
    Datagrams socket;
    try {
      target = dialer.resolve(targetHost, targetPort).get(0);
      socket = dialer.network().openDatagram(new InetSocketAddress(0));
    } catch (IOException e) {
      counters.failed.increment();
      return null;
    }
    UdpFlowTable.Entry<Flow> flow = flows.add(client, new Flow(socket, target), now);
    counters.accepted.increment();
    counters.active.increment();
    try {
      pool.execute(() -> replies(flow));
    } catch (RejectedExecutionException e) {
      end(flow);
      return null;
    }
    return flow;
  }

  private void replies(UdpFlowTable.Entry<Flow> flow) {
    ByteBuffer buffer = ByteBuffer.allocate(MAX_DATAGRAM);
    try {
      while (true) {
        buffer.clear();
        try {
          flow.flow.socket.receive(buffer);
        } catch (IOException e) {
          return; // expired or closed
        }
        buffer.flip();
        flow.touch(clock.getAsLong());
        int n = buffer.remaining();
        counters.bytesIn.add(n);
        try {
          listener.send(buffer, flow.client);
        } catch (IOException e) {
          counters.bytesIn.add(-n);
          counters.datagramsDropped.increment();
        }
      }
    } finally {
      end(flow);
    }
  }

  private void end(UdpFlowTable.Entry<Flow> flow) {
    flows.remove(flow);
    flow.flow.socket.close();
    counters.active.decrement();
  }

  /** Closes idle flows; their reply threads end and count them out. */
  void sweep() {
    for (UdpFlowTable.Entry<Flow> e : flows.expire(clock.getAsLong())) {
      e.flow.socket.close();
    }
  }

  @Override
  public void close() {
    closed = true;
    listener.close();
    sweeper.shutdownNow();
    for (UdpFlowTable.Entry<Flow> e : flows.clear()) {
      e.flow.socket.close();
    }
    pool.shutdown();
    try {
      listenThread.join(2000);
      pool.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
