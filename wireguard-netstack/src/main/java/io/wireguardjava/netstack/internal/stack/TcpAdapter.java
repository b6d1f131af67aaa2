package io.wireguardjava.netstack.internal.stack;

import io.wireguardjava.netstack.internal.tcp.IcmpKind;
import io.wireguardjava.netstack.internal.tcp.SegmentOutput;
import io.wireguardjava.netstack.internal.tcp.TcpFlow;
import io.wireguardjava.netstack.internal.tcp.TcpLayer;
import io.wireguardjava.netstack.internal.tcp.TcpSettings;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * Joins the {@link TcpLayer} to the {@link Stack}: segments in through {@link TcpPort}, segments
 * out through {@link SegmentOutput} into {@link Stack#sendTcp}. Stack thread only.
 */
public final class TcpAdapter implements TcpPort, SegmentOutput {
  private final Stack stack;
  private final TcpLayer layer;
  // The last flow's raw addresses: bulk transfers send many segments of one flow in a row, so
  // this spares the per-segment address copies of InetAddress.getAddress().
  private @Nullable TcpFlow lastFlow;
  private byte[] lastLocal = new byte[0];
  private byte[] lastRemote = new byte[0];

  /**
   * Creates the TCP layer for a stack and attaches it.
   *
   * @param stack the IP layer
   * @param settings TCP settings (MTU, buffers, limits)
   * @param random for initial sequence numbers and ports
   * @param wake asks the stack thread to poll
   * @return the adapter, already attached to {@code stack}
   */
  public static TcpAdapter attach(
      Stack stack, TcpSettings settings, RandomGenerator random, Runnable wake) {
    TcpAdapter a = new TcpAdapter(stack, settings, random, wake);
    stack.attachTcp(a);
    return a;
  }

  private TcpAdapter(Stack stack, TcpSettings settings, RandomGenerator random, Runnable wake) {
    this.stack = stack;
    this.layer = new TcpLayer(this, settings, random, wake);
  }

  /**
   * The TCP layer.
   *
   * @return the layer, for opening connections and listeners
   */
  public TcpLayer layer() {
    return layer;
  }

  @Override
  public boolean send(TcpFlow flow, byte[] segment, int offset, int length) {
    if (flow != lastFlow) {
      lastLocal = flow.local().getAddress().getAddress();
      lastRemote = flow.remote().getAddress().getAddress();
      lastFlow = flow;
    }
    return stack.sendTcp(lastLocal, lastRemote, segment, offset, length);
  }

  @Override
  public void onSegment(
      byte[] packet,
      int srcOffset,
      int dstOffset,
      int addressLength,
      int tcpOffset,
      int tcpLength,
      long nowNanos) {
    layer.onSegment(packet, srcOffset, dstOffset, addressLength, tcpOffset, tcpLength, nowNanos);
  }

  @Override
  public void onIcmpError(
      byte[] packet,
      int srcOffset,
      int dstOffset,
      int addressLength,
      int tcpOffset,
      int tcpLength,
      IcmpError kind,
      int mtu,
      long nowNanos) {
    layer.onIcmpError(
        packet,
        srcOffset,
        dstOffset,
        addressLength,
        tcpOffset,
        tcpLength,
        kindOf(kind),
        mtu,
        nowNanos);
  }

  private static IcmpKind kindOf(IcmpError e) {
    switch (e) {
      case PORT_UNREACHABLE:
        return IcmpKind.PORT_UNREACHABLE;
      case PROHIBITED:
        return IcmpKind.PROHIBITED;
      case PACKET_TOO_BIG:
        return IcmpKind.PACKET_TOO_BIG;
      default:
        return IcmpKind.HOST_UNREACHABLE;
    }
  }

  @Override
  public void beginBatch() {
    layer.beginBatch();
  }

  @Override
  public void poll(long nowNanos) {
    layer.poll(nowNanos);
  }

  @Override
  public long nextDeadlineNanos() {
    return layer.nextDeadlineNanos();
  }

  @Override
  public void closeAll() {
    layer.closeAll();
  }
}
