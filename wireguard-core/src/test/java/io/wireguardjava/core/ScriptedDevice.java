package io.wireguardjava.core;

import io.wireguardjava.spi.PacketDevice;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A packet device for tests that hands the engine whatever packets the test queues, of any size (an
 * OS device may deliver one over the MTU while the MTU changes), and records what the engine writes
 * back.
 */
final class ScriptedDevice implements PacketDevice {
  private static final byte[] CLOSED = new byte[0];
  private final String name;
  private volatile int mtu;
  private final BlockingQueue<byte[]> toEngine = new LinkedBlockingQueue<>();
  final BlockingQueue<byte[]> written = new LinkedBlockingQueue<>();
  private volatile boolean closed;
  private volatile java.util.function.IntConsumer mtuListener = m -> {};

  ScriptedDevice(String name, int mtu) {
    this.name = name;
    this.mtu = mtu;
  }

  /** Queues a packet for the engine's next read. */
  void inject(byte[] packet) {
    toEngine.add(packet.clone());
  }

  /** The next packet the engine wrote, or fails after 30 s. */
  byte[] nextWritten() throws InterruptedException {
    byte[] p = written.poll(30, TimeUnit.SECONDS);
    if (p == null) {
      throw new AssertionError("the engine wrote nothing to " + name + " within 30 s");
    }
    return p;
  }

  /** Changes the MTU as the OS would under the tunnel ({@code ip link set mtu}). */
  void changeMtu(int newMtu) {
    mtu = newMtu;
    mtuListener.accept(newMtu);
  }

  @Override
  public void onMtuChange(java.util.function.IntConsumer listener) {
    mtuListener = listener;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int mtu() {
    return mtu;
  }

  @Override
  public int read(byte[] buf, int offset, int length) throws IOException {
    try {
      byte[] p = toEngine.take();
      if (p == CLOSED || closed) {
        return -1;
      }
      System.arraycopy(p, 0, buf, offset, Math.min(length, p.length));
      return p.length;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  @Override
  public void write(byte[] buf, int offset, int length) throws IOException {
    if (closed) {
      throw new ClosedChannelException();
    }
    written.add(Arrays.copyOfRange(buf, offset, offset + length));
  }

  @Override
  public void close() {
    closed = true;
    toEngine.add(CLOSED);
  }
}
