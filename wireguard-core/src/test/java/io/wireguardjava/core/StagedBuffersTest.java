package io.wireguardjava.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Packets staged for a peer whose handshake never completes go back to the buffer pool when the
 * peer is removed or replaced away, when the tunnel closes, and when a thread that found the peer
 * before its removal sends to it afterwards.
 */
class StagedBuffersTest {
  private final ManualClock clock = new ManualClock();

  /** Sends {@code n} packets from a to b (which does not know a: they stay staged). */
  private static void stage(TestNet.Node a, TestNet.Node b, int n) throws Exception {
    long before = a.engine.pool.inUse();
    for (int i = 0; i < n; i++) {
      byte[] p = TestPackets.ip(a.v4(), b.v4(), ("staged " + i).getBytes());
      a.engine.packets().send(p, 0, p.length);
    }
    TestNet.eventually("staged", () -> a.engine.pool.inUse() == before + n);
  }

  @Test
  void stagedBuffersReturnToThePool() throws Exception {
    try (TestNet net = new TestNet(clock)) {
      TestNet.Node a = net.node(1);
      TestNet.Node b = net.node(2); // has no peer a: a's handshakes go unanswered
      a.engine.addPeer(TestNet.peerOf(b).build());

      // removal
      stage(a, b, 5);
      PeerState old = a.engine.peer(b.key.publicKey());
      assertThat(a.engine.removePeer(b.key.publicKey())).isTrue();
      assertThat(a.engine.pool.inUse()).as("after removal").isZero();

      // a thread that looked the peer up before its removal sends to it afterwards
      byte[] late = TestPackets.ip(a.v4(), b.v4(), "late".getBytes());
      old.send(late, 0, late.length, new SendContext(2000));
      assertThat(a.engine.pool.inUse()).as("after a late send").isZero();

      // replacement by a list without the peer
      a.engine.addPeer(TestNet.peerOf(b).build());
      stage(a, b, 3);
      a.engine.replacePeers(List.of());
      assertThat(a.engine.pool.inUse()).as("after replacePeers").isZero();

      // close
      a.engine.addPeer(TestNet.peerOf(b).build());
      stage(a, b, 4);
      a.engine.close();
      assertThat(a.engine.pool.inUse()).as("after close").isZero();
    }
  }
}
