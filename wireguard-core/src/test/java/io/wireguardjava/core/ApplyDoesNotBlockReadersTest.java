package io.wireguardjava.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.wireguardjava.Config;
import io.wireguardjava.InetNetwork;
import io.wireguardjava.Interface;
import io.wireguardjava.Key;
import io.wireguardjava.Peer;
import io.wireguardjava.PrivateKey;
import io.wireguardjava.Tunnel;
import io.wireguardjava.TunnelOptions;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, defect 1: a big change of peers is computed outside the lock that readers and {@code
 * close()} take, and swapped in at the end. While it runs, {@code config()} and {@code stats()}
 * answer with the state before it at once, and a {@code close()} returns at once and abandons it:
 * nothing of it is applied.
 */
class ApplyDoesNotBlockReadersTest {

  /** Enough peers that applying them takes seconds on these machines (two prefixes each). */
  static final int PEERS = Integer.getInteger("wgjava.apply.peers", 60_000);

  /** What a reader may wait: far below the apply, far above a publish. */
  static final long MOMENT_MS = 300;

  static Tunnel open(String name) throws Exception {
    return Tunnel.open(
        Config.builder()
            .iface(Interface.builder().privateKey(PrivateKey.generate()).build())
            .build(),
        TunnelOptions.builder()
            .inProcessDevice()
            .interfaceName(name)
            .bindAddress(InetAddress.getLoopbackAddress())
            .build());
  }

  static List<Peer> peers(int n) throws Exception {
    Random rnd = new Random(7);
    List<Peer> l = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      byte[] b = new byte[32];
      rnd.nextBytes(b);
      byte[] v4 = {10, (byte) (i >>> 16), (byte) (i >>> 8), (byte) i};
      byte[] v6 = new byte[16];
      v6[0] = (byte) 0xfd;
      v6[13] = (byte) (i >>> 16);
      v6[14] = (byte) (i >>> 8);
      v6[15] = (byte) i;
      l.add(
          Peer.builder()
              .publicKey(Key.fromBytes(b))
              .addAllowedIp(InetNetwork.of(InetAddress.getByAddress(v4), 32))
              .addAllowedIp(InetNetwork.of(InetAddress.getByAddress(v6), 128))
              .build());
    }
    return l;
  }

  static long millis(long start) {
    return (System.nanoTime() - start) / 1_000_000;
  }

  @Test
  void readersDoNotWaitForAnApply() throws Exception {
    List<Peer> many = peers(PEERS);
    try (Tunnel t = open("hua-read")) {
      Peer first = many.get(0);
      t.addPeer(first);
      long start = System.nanoTime();
      CompletableFuture<Void> apply = CompletableFuture.runAsync(() -> t.replacePeers(many));
      Thread.sleep(100); // the apply is under way
      assertThat(apply).as("the apply takes longer than this test's reads").isNotDone();
      for (int i = 0; i < 5; i++) {
        long s = System.nanoTime();
        Config c = t.config();
        assertThat(millis(s)).as("ms for config() during an apply").isLessThan(MOMENT_MS);
        s = System.nanoTime();
        t.stats();
        assertThat(millis(s)).as("ms for stats() during an apply").isLessThan(MOMENT_MS);
        if (apply.isDone()) {
          break;
        }
        assertThat(c.peers()).as("before the apply: the one peer").containsExactly(first);
        Thread.sleep(50);
      }
      apply.get(120, TimeUnit.SECONDS);
      assertThat(t.config().peers()).hasSize(PEERS);
      assertThat(millis(start)).as("the whole apply, ms").isGreaterThan(0);
    }
  }

  @Test
  void closeDuringAnApplyReturnsAtOnceAndAppliesNothing() throws Exception {
    List<Peer> many = peers(PEERS);
    Tunnel t = open("hua-close");
    Peer first = many.get(0);
    t.addPeer(first);
    CompletableFuture<Void> apply = CompletableFuture.runAsync(() -> t.replacePeers(many));
    Thread.sleep(100);
    assertThat(apply).isNotDone();
    long s = System.nanoTime();
    t.close();
    assertThat(millis(s)).as("ms for close() during an apply").isLessThan(2_000);
    assertThat(apply)
        .failsWithin(10, TimeUnit.SECONDS)
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withCauseInstanceOf(IllegalStateException.class)
        .withMessageContaining("closed");
    assertThat(t.config().peers()).as("all or nothing").containsExactly(first);
  }
}
