package io.wireguardjava.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wireguardjava.Config;
import io.wireguardjava.Interface;
import io.wireguardjava.PrivateKey;
import io.wireguardjava.Tunnel;
import io.wireguardjava.TunnelOptions;
import java.nio.channels.ClosedChannelException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** close() stops every thread and zeroes keys; the public entry point finds the engine. */
class CloseTest {

  private static List<String> engineThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(n -> n.startsWith("wg-java-"))
        .toList();
  }

  @Test
  void closeLeavesNoThreadAndNoKey() throws Exception {
    TestNet.Node a;
    TestNet.Node b;
    try (TestNet net = new TestNet()) {
      a = net.node(1);
      b = net.node(2);
      TestNet.link(a, b, null);
      TestNet.roundTrip(a, b, a.v4(), b.v4(), "x".getBytes());
      // send, receive, handshake and the gate threads, of two tunnels
      assertThat(engineThreads()).hasSize(2 * (3 + Limits.HANDSHAKE_GATE_THREADS));
      var kp = a.engine.peer(b.key.publicKey()).keypairs.current();
      a.engine.close();
      assertThat(a.engine.threads()).noneMatch(Thread::isAlive);
      assertThat(kp.isExpired()).as("keys destroyed").isTrue();
      assertThat(a.engine.isClosed()).isTrue();
      byte[] p = TestPackets.ip(a.v4(), b.v4(), "late".getBytes());
      assertThatThrownBy(() -> a.engine.packets().send(p, 0, p.length))
          .isInstanceOf(ClosedChannelException.class);
      assertThat(a.engine.packets().receive(new byte[2000], 0, 2000)).isEqualTo(-1);
      a.engine.close(); // idempotent
    }
    assertThat(engineThreads()).isEmpty();
  }

  @Test
  void unnamedInProcessTunnelsGetDistinctNamesAndThreads() throws Exception {
    Config c =
        Config.builder()
            .iface(Interface.builder().privateKey(PrivateKey.generate()).build())
            .build();
    try (Tunnel t1 = Tunnel.open(c, TunnelOptions.inProcessDevice());
        Tunnel t2 = Tunnel.open(c, TunnelOptions.inProcessDevice())) {
      assertThat(t1.name()).startsWith("inproc").isNotEqualTo(t2.name());
      assertThat(engineThreads())
          .contains("wg-java-" + t1.name() + "-send", "wg-java-" + t2.name() + "-send")
          .doesNotHaveDuplicates();
    }
  }

  @Test
  void tunnelClosesItselfWhenItsDeviceGoesAway() throws Exception {
    InProcessDevice device = new InProcessDevice("gone0", 1420, 16);
    Config c =
        Config.builder()
            .iface(Interface.builder().privateKey(PrivateKey.generate()).build())
            .build();
    java.util.concurrent.CompletableFuture<java.util.Optional<Throwable>> closed =
        new java.util.concurrent.CompletableFuture<>();
    try (Tunnel t = Tunnel.open(c, TunnelOptions.builder().device(device).build())) {
      t.addListener(
          new io.wireguardjava.TunnelListener() {
            @Override
            public void onClosed(java.util.Optional<Throwable> cause) {
              closed.complete(cause);
            }
          });
      device.close(); // as when `ip link delete` removes the OS interface
      assertThat(closed.get(30, java.util.concurrent.TimeUnit.SECONDS)).isPresent();
      assertThat(t.isClosed()).isTrue();
      TestNet.eventually(
          "threads gone", () -> ((Engine) t).threads().stream().noneMatch(Thread::isAlive));
    }
  }

  @Test
  void aSecondCloseWaitsForTheCloseInProgress() throws Exception {
    // As at JVM exit: one shutdown hook closes the device, the tunnel starts closing on its own
    // thread, and another hook's close() must not return before that close has finished (the UAPI
    // socket file removed, PostDown run). The listener comes with the options: registered before
    // the tunnel's threads start.
    java.util.concurrent.CountDownLatch inOnClosed = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    io.wireguardjava.TunnelListener slowOnClosed =
        new io.wireguardjava.TunnelListener() {
          @Override
          public void onClosed(java.util.Optional<Throwable> cause) {
            inOnClosed.countDown();
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        };
    Config c =
        Config.builder()
            .iface(Interface.builder().privateKey(PrivateKey.generate()).build())
            .build();
    Tunnel t =
        Tunnel.open(c, TunnelOptions.builder().inProcessDevice().listener(slowOnClosed).build());
    Thread first = new Thread(t::close, "first-close");
    first.start();
    assertThat(inOnClosed.await(30, java.util.concurrent.TimeUnit.SECONDS))
        .as("the options' listener hears the close")
        .isTrue();
    Thread second = new Thread(t::close, "second-close");
    second.start();
    second.join(300);
    assertThat(second.isAlive()).as("the second close() waits for the first").isTrue();
    release.countDown();
    second.join(30_000);
    first.join(30_000);
    assertThat(second.isAlive()).isFalse();
    assertThat(first.isAlive()).isFalse();
  }

  @Test
  void osDeviceWithoutAPlatformModuleNamesTheModuleToAdd() {
    Config c =
        Config.builder()
            .iface(Interface.builder().privateKey(PrivateKey.generate()).build())
            .build();
    assertThatThrownBy(() -> Tunnel.open(c))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("wireguard-tun-linux")
        .hasMessageContaining("inProcessDevice()");
    assertThat(engineThreads()).isEmpty();
  }

  @Test
  void tunnelOpenFindsTheEngineThroughServiceLoader() throws Exception {
    Config c =
        Config.builder()
            .iface(Interface.builder().privateKey(PrivateKey.generate()).build())
            .build();
    try (Tunnel t = Tunnel.open(c, TunnelOptions.inProcessDevice())) {
      assertThat(t).isInstanceOf(Engine.class);
      assertThat(t.listenPort()).as("chosen by the OS").isPositive();
      assertThat(t.config().iface().listenPort()).contains(t.listenPort());
    }
  }
}
