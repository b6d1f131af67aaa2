package io.wireguardjava.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.wireguardjava.Config;
import io.wireguardjava.TunnelStats;
import org.junit.jupiter.api.Test;

/** The JIT warm-up's throwaway tunnel pair: carries its packets and leaves no trace elsewhere. */
class LoopbackWarmUpTest {

  @Test
  void carriesEveryPacketBothWays() throws Exception {
    assertThat(LoopbackWarmUp.run(300, true)).isEqualTo(300);
  }

  @Test
  void leavesNoTraceInAnotherTunnelAndNoThreadBehind() throws Exception {
    try (TestNet net = new TestNet()) {
      TestNet.Node a = net.node(1);
      TestNet.Node b = net.node(2);
      TestNet.link(a, b, null);
      TestNet.roundTrip(a, b, a.v4(), b.v4(), "before".getBytes());
      // the sender counts a datagram after it left: wait until both tunnels' stats stand still
      TunnelStats statsA = settled(a.engine);
      TunnelStats statsB = settled(b.engine);
      Config configA = a.engine.config();

      assertThat(LoopbackWarmUp.run(200, true)).isEqualTo(200);

      assertThat(a.engine.stats()).isEqualTo(statsA);
      assertThat(b.engine.stats()).isEqualTo(statsB);
      assertThat(a.engine.config()).isEqualTo(configA);
      assertThat(Thread.getAllStackTraces().keySet())
          .noneMatch(t -> t.isAlive() && t.getName().contains("warm-up"));
      TestNet.roundTrip(a, b, a.v4(), b.v4(), "after".getBytes()); // still works
    }
  }

  /** The tunnel's stats once two readings 200 ms apart agree (at most 10 s). */
  private static TunnelStats settled(Engine engine) throws InterruptedException {
    TunnelStats last = engine.stats();
    for (int i = 0; i < 50; i++) {
      Thread.sleep(200);
      TunnelStats now = engine.stats();
      if (now.equals(last)) {
        return now;
      }
      last = now;
    }
    return last;
  }
}
