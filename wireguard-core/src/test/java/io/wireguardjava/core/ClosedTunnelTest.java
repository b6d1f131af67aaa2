package io.wireguardjava.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wireguardjava.Config;
import io.wireguardjava.Interface;
import io.wireguardjava.PrivateKey;
import io.wireguardjava.Tunnel;
import io.wireguardjava.TunnelListener;
import io.wireguardjava.TunnelOptions;
import io.wireguardjava.crypto.StaticIdentity;
import io.wireguardjava.crypto.TimeSource;
import java.net.BindException;
import java.net.InetAddress;
import java.nio.channels.ClosedChannelException;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * One rule for a closed tunnel (queries answer, changes throw IllegalStateException naming the
 * tunnel, close and removeListener do nothing); close wipes the engine's copy of the private key
 * and lets go of the application's; a busy port is named in the BindException.
 */
class ClosedTunnelTest {

  @Test
  void everyChangeAfterCloseThrowsTheSameErrorAndQueriesKeepAnswering() throws Exception {
    try (TestNet net = new TestNet()) {
      TestNet.Node a = net.node(1);
      TestNet.Node b = net.node(2);
      TestNet.link(a, b, null);
      TestNet.roundTrip(a, b, a.v4(), b.v4(), "x".getBytes());
      Engine t = a.engine;
      int port = t.listenPort();
      t.close();

      TunnelListener listener = new TunnelListener() {};
      List<ThrowingCallable> changes =
          List.of(
              () -> t.addPeer(TestNet.peerOf(net.node(3)).build()),
              () -> t.updatePeer(TestNet.peerOf(b).build()),
              () -> t.removePeer(b.key.publicKey()),
              () -> t.replacePeers(List.of()),
              () -> t.setPrivateKey(PrivateKey.generate()),
              t::clearPrivateKey,
              () -> t.setListenPort(0),
              () -> t.setFwMark(0),
              () -> t.setMtu(1280),
              () -> t.addListener(listener));
      for (ThrowingCallable change : changes) {
        assertThatThrownBy(change)
            .isInstanceOf(IllegalStateException.class)
            .hasMessage("tunnel t1 is closed");
      }
      assertThat(t.name()).isEqualTo("t1");
      assertThat(t.listenPort()).isEqualTo(port);
      assertThat(t.mtu()).isEqualTo(1420);
      assertThat(t.config().peers()).hasSize(1);
      assertThat(t.stats().peers()).hasSize(1);
      assertThat(t.peerStats(b.key.publicKey())).isPresent();
      assertThat(t.isClosed()).isTrue();
      t.removeListener(listener);
      t.close();

      byte[] p = TestPackets.ip(a.v4(), b.v4(), "late".getBytes());
      assertThatThrownBy(() -> t.packets().send(p, 0, p.length))
          .isInstanceOf(ClosedChannelException.class)
          .hasMessage("tunnel t1 is closed");

      // `wg set` racing the close gets an errno, not a stack trace in the log
      java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("hua-closed");
      try (io.wireguardjava.uapi.UapiServer server =
          io.wireguardjava.uapi.UapiServer.start(dir, t)) {
        assertThat(server.isSocketPresent()).isTrue();
        assertThatThrownBy(
                () -> new io.wireguardjava.uapi.UapiClient(dir).set("t1", "listen_port=1\n"))
            .isInstanceOfSatisfying(
                io.wireguardjava.uapi.UapiException.class,
                e -> assertThat(e.errno()).isEqualTo(io.wireguardjava.uapi.Errno.IO));
      }
    }
  }

  @Test
  void closeWipesTheEnginesCopyOfThePrivateKeyAndDropsTheApplications() throws Exception {
    PrivateKey key = PrivateKey.generate();
    Config c = Config.builder().iface(Interface.builder().privateKey(key).build()).build();
    Engine e = CoreTunnelProvider.open(c, TunnelOptions.inProcessDevice(), TimeSource.system());
    StaticIdentity identity = e.handshakes.identity();
    assertThat(identity.isDestroyed()).isFalse();
    e.close();
    assertThat(identity.isDestroyed()).as("engine-owned copy wiped").isTrue();
    assertThat(e.handshakes.identity()).isNull();
    assertThat(e.config().iface().privateKey()).as("the application's key let go").isEmpty();
  }

  @Test
  void aBusyPortIsNamedInTheBindException() throws Exception {
    Config c =
        Config.builder()
            .iface(Interface.builder().privateKey(PrivateKey.generate()).build())
            .build();
    TunnelOptions o =
        TunnelOptions.builder()
            .inProcessDevice()
            .bindAddress(InetAddress.getLoopbackAddress())
            .build();
    try (Tunnel first = Tunnel.open(c, o)) {
      int port = first.listenPort();
      Config same = c.toBuilder().iface(c.iface().toBuilder().listenPort(port).build()).build();
      assertThatThrownBy(() -> Tunnel.open(same, o))
          .isInstanceOf(BindException.class)
          .hasMessageContaining("127.0.0.1")
          .hasMessageContaining("port " + port);
      try (Tunnel second = Tunnel.open(c, o)) {
        assertThatThrownBy(() -> second.setListenPort(port))
            .isInstanceOf(BindException.class)
            .hasMessageContaining("port " + port);
      }
    }
  }
}
