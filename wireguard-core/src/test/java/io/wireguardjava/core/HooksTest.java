package io.wireguardjava.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wireguardjava.Config;
import io.wireguardjava.Interface;
import io.wireguardjava.PrivateKey;
import io.wireguardjava.Tunnel;
import io.wireguardjava.TunnelOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Config hooks run only when the application opts in (TunnelOptions.runHooks), in wg-quick's
 * order, with PostUp after the UDP and UAPI sockets exist; a failing PostUp undoes the open.
 */
class HooksTest {
  @TempDir Path dir;

  private Config config(Path log, String extra) {
    String rec = " >> " + log;
    return Config.builder().iface(Interface.builder().privateKey(PrivateKey.generate())
        .addPreUp("echo pre-up %i" + rec)
        .addPostUp("echo post-up %i" + rec)
        .addPostUp(extra)
        .addPreDown("echo pre-down %i" + rec)
        .addPostDown("echo post-down %i" + rec)
        .build()).build();
  }

  @Test
  void hooksDoNotRunUnlessAsked() throws Exception {
    Path log = dir.resolve("log");
    try (Tunnel t = Tunnel.open(config(log, "true"),
        TunnelOptions.builder().inProcessDevice().interfaceName("hk0").build())) {
      assertThat(t.isClosed()).isFalse();
    }
    assertThat(log).doesNotExist();
  }

  @Test
  void hooksRunInWgQuickOrderWithPostUpAfterTheSockets() throws Exception {
    Path log = dir.resolve("log");
    Path uapi = dir.resolve("uapi");
    // PostUp checks the UAPI socket is there, as `wg set %i private-key ...` needs it
    String check = "test -S " + uapi + "/%i.sock && echo socket %i >> " + log;
    TunnelOptions o = TunnelOptions.builder().inProcessDevice().interfaceName("hk1")
        .uapiDirectory(uapi).runHooks(true).build();
    try (Tunnel t = Tunnel.open(config(log, check), o)) {
      assertThat(t.name()).isEqualTo("hk1");
      assertThat(Files.readAllLines(log)).containsExactly("pre-up hk1", "post-up hk1",
          "socket hk1");
    }
    assertThat(Files.readAllLines(log)).containsExactly("pre-up hk1", "post-up hk1", "socket hk1",
        "pre-down hk1", "post-down hk1");
  }

  @Test
  void preDownStillFindsTheUapiSocket() throws Exception {
    Path log = dir.resolve("log");
    Path uapi = dir.resolve("uapi");
    Config c = Config.builder().iface(Interface.builder().privateKey(PrivateKey.generate())
        .addPreDown("test -S " + uapi + "/%i.sock && echo socket at pre-down %i >> " + log)
        .addPostDown("test -S " + uapi + "/%i.sock || echo socket gone at post-down %i >> " + log)
        .build()).build();
    TunnelOptions o = TunnelOptions.builder().inProcessDevice().interfaceName("hk3")
        .uapiDirectory(uapi).runHooks(true).build();
    Tunnel t = Tunnel.open(c, o);
    t.close();
    assertThat(Files.readAllLines(log)).containsExactly("socket at pre-down hk3",
        "socket gone at post-down hk3");
    assertThat(uapi.resolve("hk3.sock")).doesNotExist();
  }

  @Test
  void aFailingPostUpClosesTheTunnelAndSaysWhich() throws Exception {
    Path log = dir.resolve("log");
    TunnelOptions o = TunnelOptions.builder().inProcessDevice().interfaceName("hk2")
        .runHooks(true).build();
    List<String> before = threadNames();
    assertThatThrownBy(() -> Tunnel.open(config(log, "exit 3"), o))
        .isInstanceOf(IOException.class)
        .hasMessage("PostUp hook 'exit 3' failed with status 3");
    TestNet.eventually("tunnel threads gone", () -> threadNames().equals(before));
    // as wg-quick: a tunnel that never came up is removed without PreDown/PostDown
    assertThat(Files.readAllLines(log)).containsExactly("pre-up hk2", "post-up hk2");
  }

  private static List<String> threadNames() {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
        .map(Thread::getName).filter(n -> n.startsWith("wg-java-hk")).sorted().toList();
  }
}
