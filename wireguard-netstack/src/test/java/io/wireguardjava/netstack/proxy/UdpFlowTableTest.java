package io.wireguardjava.netstack.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Idle expiry with made-up instants. */
class UdpFlowTableTest {
  static final long IDLE = TimeUnit.SECONDS.toNanos(60);
  final InetSocketAddress a = new InetSocketAddress("127.0.0.1", 1000);
  final InetSocketAddress b = new InetSocketAddress("127.0.0.1", 1001);

  @Test
  void aFlowExpiresAfterTheIdleTimeoutWithoutDatagramsEitherWay() {
    UdpFlowTable<String> t = new UdpFlowTable<>(IDLE, 10);
    long t0 = 5_000_000_000L;
    UdpFlowTable.Entry<String> ea = t.add(a, "a", t0);
    t.add(b, "b", t0);
    assertThat(t.expire(t0 + IDLE - 1)).isEmpty();
    // a datagram from the client side refreshes a, a reply refreshes b
    assertThat(t.get(a, t0 + IDLE / 2)).isSameAs(ea);
    t.get(b, t0).touch(t0 + IDLE / 2 + 1);
    assertThat(t.expire(t0 + IDLE)).isEmpty();
    assertThat(t.expire(t0 + IDLE / 2 + IDLE)).extracting(e -> e.flow).containsExactly("a");
    assertThat(t.get(a, t0 + 2 * IDLE)).isNull();
    assertThat(t.expire(t0 + IDLE / 2 + 1 + IDLE)).extracting(e -> e.flow).containsExactly("b");
    assertThat(t.size()).isZero();
  }

  @Test
  void roomIsLimitedAndRemovalIsByIdentity() {
    UdpFlowTable<String> t = new UdpFlowTable<>(IDLE, 1);
    assertThat(t.hasRoom()).isTrue();
    UdpFlowTable.Entry<String> first = t.add(a, "1", 0);
    assertThat(t.hasRoom()).isFalse();
    t.expire(IDLE);
    UdpFlowTable.Entry<String> second = t.add(a, "2", IDLE);
    assertThat(t.remove(first)).as("an old entry does not remove its successor").isFalse();
    assertThat(t.get(a, IDLE)).isSameAs(second);
    assertThat(t.clear()).containsExactly(second);
  }

  @Test
  void timeWrapsAroundWithoutHarm() {
    UdpFlowTable<String> t = new UdpFlowTable<>(IDLE, 10);
    long nearMax = Long.MAX_VALUE - IDLE / 2;
    t.add(a, "a", nearMax);
    assertThat(t.expire(nearMax + IDLE - 1)).isEmpty(); // overflows, as System.nanoTime may
    assertThat(t.expire(nearMax + IDLE)).hasSize(1);
  }
}
