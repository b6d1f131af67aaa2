package io.wireguardjava.core;

import io.wireguardjava.TunnelPackets;
import io.wireguardjava.spi.PacketBatch;
import io.wireguardjava.spi.PacketDevice;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;

/**
 * A packet device inside the process, for applications that exchange IP packets with the tunnel
 * themselves (no TUN, no root). Two rings: the application's {@link TunnelPackets#send} feeds the
 * engine's {@link #read}; the engine's {@link #write} feeds the application's {@link
 * TunnelPackets#receive}. Both copy, so neither side keeps the other's arrays.
 *
 * <p>A full outbound ring makes the application's {@code send} wait (back-pressure); a full inbound
 * ring drops the packet in {@link #write}, as a TUN does when the host is not reading, and the
 * caller counts it.
 */
final class InProcessDevice implements PacketDevice {
  private final String name;

  /** The MTU it was created with: the size of its queue slots, the most {@link #setMtu} takes. */
  private final int capacity;

  private volatile int mtu;
  private final PacketRing fromApp;
  private final PacketRing toApp;
  private final TunnelPackets appSide = new AppSide();
  private final DeviceFullException full = new DeviceFullException();

  InProcessDevice(String name, int mtu, int queuePackets) {
    this.name = name;
    this.capacity = mtu;
    this.mtu = mtu;
    this.fromApp = new PacketRing(queuePackets, mtu);
    this.toApp = new PacketRing(queuePackets, mtu);
  }

  /** The application's side. */
  TunnelPackets appSide() {
    return appSide;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int mtu() {
    return mtu;
  }

  /**
   * {@inheritDoc}
   *
   * <p>An in-process device's queues are sized at creation: it can change to at most the MTU it was
   * created with.
   */
  @Override
  public void setMtu(int newMtu) {
    if (newMtu > capacity) {
      throw new UnsupportedOperationException(
          "in-process device "
              + name
              + " was opened with MTU "
              + capacity
              + " and cannot grow to "
              + newMtu);
    }
    mtu = newMtu;
  }

  @Override
  public int read(byte[] buf, int offset, int length) throws IOException {
    try {
      return fromApp.take(buf, offset, length, -1, true);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted");
    }
  }

  /** For tests: the tunnel's reader waits for the application and has taken all it sent. */
  boolean readerIdle() {
    return fromApp.takerIdle();
  }

  /** Takes every packet the application has queued, up to the batch's capacity, at once. */
  @Override
  public int readBatch(PacketBatch batch) throws IOException {
    try {
      return fromApp.takeBatch(batch);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted");
    }
  }

  /**
   * Queues a packet for the application.
   *
   * @throws DeviceFullException when the application's queue is full (the packet is dropped);
   *     always the same preallocated instance, so a full queue costs no allocation
   */
  @Override
  public void write(byte[] buf, int offset, int length) throws IOException {
    try {
      if (!toApp.put(buf, offset, length, false)) {
        throw full;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted");
    }
  }

  @Override
  public void close() {
    fromApp.close();
    toApp.close();
  }

  /**
   * Thrown by {@link #write} when the application is not reading fast enough. One instance per
   * device, thrown again and again: it has no stack trace and must not be given suppressed
   * exceptions or a cause.
   */
  static final class DeviceFullException extends IOException {
    private static final long serialVersionUID = 1L;

    DeviceFullException() {
      super("in-process device queue full", null);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this;
    }
  }

  private final class AppSide implements TunnelPackets {
    @Override
    public int mtu() {
      return mtu;
    }

    @Override
    public void send(byte[] packet, int offset, int length) throws IOException {
      if (length <= 0 || length > mtu) {
        throw new IllegalArgumentException("packet length " + length + " not in 1.." + mtu);
      }
      try {
        fromApp.put(packet, offset, length, true);
      } catch (ClosedChannelException e) {
        throw new TunnelClosedException(name);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted");
      }
    }

    @Override
    public int receive(byte[] buf, int offset, int length) throws IOException {
      try {
        return toApp.take(buf, offset, length, -1, false);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted");
      }
    }

    @Override
    public int receive(byte[] buf, int offset, int length, Duration timeout) throws IOException {
      try {
        return toApp.take(buf, offset, length, Math.max(0, timeout.toNanos()), false);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted");
      }
    }
  }
}
