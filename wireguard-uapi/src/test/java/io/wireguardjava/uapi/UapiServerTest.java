package io.wireguardjava.uapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wireguardjava.Config;
import io.wireguardjava.PrivateKey;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UapiServerTest {
  @TempDir Path tmp;
  final FakeTunnel backend = new FakeTunnel("wgt0");
  final List<AutoCloseable> toClose = new ArrayList<>();

  UapiServer start(UapiServer.Limits limits) throws IOException {
    UapiServer s = UapiServer.start(tmp.resolve("run"), backend, limits);
    toClose.add(s);
    return s;
  }

  UapiServer start() throws IOException {
    return start(UapiServer.Limits.DEFAULT);
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
  }

  SocketChannel connect(UapiServer s) throws IOException {
    SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
    c.connect(UnixDomainSocketAddress.of(s.socketPath()));
    toClose.add(c);
    return c;
  }

  static void send(SocketChannel c, String text) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
    while (b.hasRemaining()) {
      c.write(b);
    }
  }

  /** Reads up to and including the blank line after {@code errno=N}, or to EOF. */
  static String reply(SocketChannel c) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuffer b = ByteBuffer.allocate(1);
    while (c.read(b) > 0) {
      b.flip();
      out.write(b.get());
      b.clear();
      String s = out.toString(StandardCharsets.ISO_8859_1);
      int e = s.lastIndexOf("errno=");
      if (e >= 0 && s.endsWith("\n\n") && s.indexOf('\n', e) == s.length() - 2) {
        return s;
      }
    }
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  static String exchange(UapiServer s, String request) throws IOException {
    try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(s.socketPath()))) {
      send(c, request);
      return reply(c);
    }
  }

  @Test
  void emptyDeviceAnswersGet() throws Exception {
    UapiServer s = start();
    assertThat(exchange(s, "get=1\n\n")).isEqualTo("errno=0\n\n");
  }

  @Test
  void setThenGetThroughTheClient() throws Exception {
    UapiServer s = start();
    UapiClient client = new UapiClient(tmp.resolve("run"));
    PrivateKey key = PrivateKey.generate();
    String peer = PrivateKey.generate().publicKey().toHex();
    client.set(
        "wgt0",
        "private_key="
            + key.toHex()
            + "\nlisten_port=4242\npublic_key="
            + peer
            + "\nendpoint=10.0.0.2:51820\nallowed_ip=10.9.0.0/16\n");
    UapiDevice state = client.get("wgt0");
    assertThat(state.config()).isEqualTo(backend.config());
    assertThat(state.listenPort()).isEqualTo(4242);
    assertThat(client.interfaces()).containsExactly("wgt0");
  }

  @Test
  void severalRequestsOnOneConnection() throws Exception {
    UapiServer s = start();
    SocketChannel c = connect(s);
    send(c, "set=1\nlisten_port=7\n\n");
    assertThat(reply(c)).isEqualTo("errno=0\n\n");
    send(c, "get=1\n\n");
    assertThat(reply(c)).isEqualTo("listen_port=7\nerrno=0\n\n");
  }

  @Test
  void badSetLeavesEverythingAsItWasAndTheConnectionInStep() throws Exception {
    UapiServer s = start();
    String peer = PrivateKey.generate().publicKey().toHex();
    assertThat(
            exchange(
                s, "set=1\nlisten_port=1000\npublic_key=" + peer + "\nallowed_ip=10.0.0.0/8\n\n"))
        .isEqualTo("errno=0\n\n");
    Config before = backend.config();
    SocketChannel c = connect(s);
    send(
        c,
        "set=1\nreplace_peers=true\nlisten_port=2000\npublic_key="
            + peer
            + "\nallowed_ip=10.0.0.0/99\nallowed_ip=10.1.0.0/16\n\n");
    assertThat(reply(c)).isEqualTo("errno=-22\n\n");
    assertThat(backend.config()).isEqualTo(before);
    send(c, "get=1\n\n");
    assertThat(reply(c))
        .contains("listen_port=1000\n", "allowed_ip=10.0.0.0/8\n")
        .endsWith("errno=0\n\n");
  }

  @Test
  void portInUseIsReportedAndChangesNothing() throws Exception {
    UapiServer s = start();
    backend.takenPort = 53;
    assertThat(exchange(s, "set=1\nreplace_peers=true\nlisten_port=53\n\n"))
        .isEqualTo("errno=-98\n\n");
    assertThat(backend.updates).isZero();
  }

  @Test
  void permissionsAndCleanup() throws Exception {
    UapiServer s = start();
    Path dir = tmp.resolve("run");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
        .isEqualTo("rwxr-xr-x");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(s.socketPath())))
        .isEqualTo("rw-------");
    assertThat(s.socketPath()).isEqualTo(dir.resolve("wgt0.sock"));
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(s.socketPath()); // no temporary directory left behind
    }
    assertThat(s.isSocketPresent()).isTrue();
    s.close();
    assertThat(s.socketPath()).doesNotExist();
    assertThatThrownBy(() -> exchange(s, "get=1\n\n")).isInstanceOf(IOException.class);
  }

  @Test
  void removedSocketIsNoticedAndNotRecreated() throws Exception {
    UapiServer s = start();
    Files.delete(s.socketPath());
    assertThat(s.isSocketPresent()).isFalse();
  }

  @Test
  void liveSocketIsNotStolenButAStaleOneIsReplaced() throws Exception {
    UapiServer s = start();
    assertThatThrownBy(
            () ->
                UapiServer.start(
                    tmp.resolve("run"), new FakeTunnel("wgt0"), UapiServer.Limits.DEFAULT))
        .hasMessageContaining("unix socket in use");
    assertThat(exchange(s, "get=1\n\n")).isEqualTo("errno=0\n\n");
    // A socket file whose process is gone: bind one and close it without removing it.
    Path stale = tmp.resolve("run").resolve("wgt1.sock");
    try (var ch = java.nio.channels.ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.bind(UnixDomainSocketAddress.of(stale));
    }
    assertThat(stale).exists();
    try (UapiServer s1 =
        UapiServer.start(tmp.resolve("run"), new FakeTunnel("wgt1"), UapiServer.Limits.DEFAULT)) {
      assertThat(exchange(s1, "get=1\n\n")).isEqualTo("errno=0\n\n");
    }
    Files.writeString(stale, "not a socket");
    assertThatThrownBy(
            () ->
                UapiServer.start(
                    tmp.resolve("run"), new FakeTunnel("wgt1"), UapiServer.Limits.DEFAULT))
        .hasMessageContaining("not a socket");
    assertThatThrownBy(
            () ->
                UapiServer.start(
                    tmp.resolve("run"), new FakeTunnel("a/b"), UapiServer.Limits.DEFAULT))
        .hasMessageContaining("invalid interface name");
  }

  @Test
  void hostileInputGetsAnErrnoAndChangesNothing() throws Exception {
    UapiServer s = start(new UapiServer.Limits(256, 4096, Duration.ofSeconds(10), 8));
    String peer = PrivateKey.generate().publicKey().toHex();
    // A line longer than the limit.
    assertThat(exchange(s, "set=1\nlisten_port=1" + "1".repeat(1000) + "\n\n"))
        .isEqualTo("errno=-5\n\n");
    // A request larger than the limit, made of valid lines.
    StringBuilder big = new StringBuilder("set=1\npublic_key=" + peer + "\n");
    for (int i = 0; i < 300; i++) {
      big.append("allowed_ip=10.0.").append(i % 256).append(".0/24\n");
    }
    assertThat(exchange(s, big + "\n")).isEqualTo("errno=-90\n\n");
    // Binary junk instead of an operation.
    assertThat(exchange(s, "\u0000\u00ff\u0001garbage\n")).isEqualTo("errno=-71\n\n");
    // Binary junk inside a set.
    assertThat(exchange(s, "set=1\n\u0000=\u00ff\n\n")).isEqualTo("errno=-22\n\n");
    // get with something after it.
    assertThat(exchange(s, "get=1\nfoo\n")).isEqualTo("errno=-22\n\n");
    // Half a request, then the client stops writing.
    try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(s.socketPath()))) {
      send(c, "set=1\nlisten_port=9\n");
      c.shutdownOutput();
      assertThat(reply(c)).isEqualTo("errno=-71\n\n");
    }
    assertThat(backend.updates).isZero();
    assertThat(backend.config()).isEqualTo(Fixtures.EMPTY);
  }

  @Test
  void slowClientTimesOutWithoutBlockingOthers() throws Exception {
    UapiServer s = start(new UapiServer.Limits(256, 4096, Duration.ofMillis(1500), 8));
    SocketChannel slow = connect(s);
    send(slow, "set=1\nlisten_port=9\n"); // and never the blank line
    // Others are served meanwhile.
    assertThat(exchange(s, "set=1\nlisten_port=10\n\n")).isEqualTo("errno=0\n\n");
    assertThat(reply(slow)).isEqualTo("errno=-110\n\n");
    assertThat(slow.read(ByteBuffer.allocate(1))).isEqualTo(-1);
    assertThat(backend.config().iface().listenPort().orElse(0)).isEqualTo(10);
  }

  /**
   * The timeout is for silence: a big request that keeps arriving (a setconf of a million prefixes
   * on a loaded machine takes longer than the timeout to send) is served, not cut off.
   */
  @Test
  void aRequestThatKeepsArrivingIsNotCutOff() throws Exception {
    UapiServer s = start(new UapiServer.Limits(256, 1 << 20, Duration.ofMillis(600), 8));
    SocketChannel c = connect(s);
    send(c, "set=1\npublic_key=" + PrivateKey.generate().publicKey().toHex() + "\n");
    for (int i = 0; i < 8; i++) { // 1.6 s in all, never silent for 600 ms
      Thread.sleep(200);
      send(c, "allowed_ip=10.0." + i + ".0/24\n");
    }
    send(c, "\n");
    assertThat(reply(c)).isEqualTo("errno=0\n\n");
    assertThat(backend.config().peers().get(0).allowedIps()).hasSize(8);
  }

  @Test
  void tooManyClientsAreTurnedAwayAndServedAgainLater() throws Exception {
    UapiServer s = start(new UapiServer.Limits(256, 4096, Duration.ofSeconds(10), 2));
    SocketChannel a = connect(s);
    SocketChannel b = connect(s);
    send(a, "get=1\n\n");
    send(b, "get=1\n\n");
    assertThat(reply(a)).isEqualTo("errno=0\n\n"); // both are being served: slots are taken
    assertThat(reply(b)).isEqualTo("errno=0\n\n");
    assertThat(exchange(s, "get=1\n\n")).isEqualTo("errno=-11\n\n");
    a.close();
    b.close();
    // The slots come back once the handlers see EOF; wait for that without sleeping blindly.
    String r = exchange(s, "get=1\n\n");
    long end = System.nanoTime() + Duration.ofSeconds(20).toNanos(); // a safety net only
    while (!r.equals("errno=0\n\n") && System.nanoTime() < end) {
      Thread.onSpinWait();
      r = exchange(s, "get=1\n\n");
    }
    assertThat(r).isEqualTo("errno=0\n\n");
  }

  /**
   * Issue 13: 40 clients that connect and send nothing made {@code wg show} fail for 10 s (every
   * handler slot taken). With the default limits, far more idle clients than that leave room.
   */
  @Test
  void idleClientsDoNotLockOthersOut() throws Exception {
    UapiServer s = start(UapiServer.Limits.DEFAULT);
    for (int i = 0; i < 100; i++) {
      connect(s); // and never a byte
    }
    long t0 = System.nanoTime();
    assertThat(exchange(s, "get=1\n\n")).isEqualTo("errno=0\n\n");
    assertThat(exchange(s, "set=1\nlisten_port=77\n\n")).isEqualTo("errno=0\n\n");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
    assertThat(backend.config().iface().listenPort()).contains(77);
  }

  /** A client gone before its blank line: nothing of its request is applied. */
  @Test
  void aClientThatLeavesMidRequestHasItDropped() throws Exception {
    UapiServer s = start();
    String peer = PrivateKey.generate().publicKey().toHex();
    SocketChannel c = connect(s);
    send(c, "set=1\nlisten_port=9\npublic_key=" + peer + "\nallowed_ip=10.0.0.0/8\n");
    c.close(); // no blank line
    // The next client is served after the handler saw the EOF; nothing changed.
    assertThat(exchange(s, "get=1\n\n")).isEqualTo("errno=0\n\n");
    Thread.sleep(200);
    assertThat(backend.updates).isZero();
    assertThat(backend.config()).isEqualTo(Fixtures.EMPTY);
  }

  @Test
  void closeDisconnectsClientsPromptly() throws Exception {
    UapiServer s = start();
    SocketChannel idle = connect(s);
    send(idle, "set=1\n");
    long t0 = System.nanoTime();
    s.close();
    try {
      assertThat(reply(idle)).doesNotContain("errno=0"); // EOF ...
    } catch (IOException e) {
      // ... or a reset, since the request was left unread
    }
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void manyClientsAtOnceAllGetAnAnswer() throws Exception {
    UapiServer s = start(new UapiServer.Limits(256, 4096, Duration.ofSeconds(10), 4));
    int n = 64;
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(16);
    try {
      List<java.util.concurrent.Future<String>> replies = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int port = 1000 + i;
        replies.add(pool.submit(() -> exchange(s, "set=1\nlisten_port=" + port + "\n\n")));
      }
      int ok = 0;
      for (var f : replies) {
        String r = f.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(r).isIn("errno=0\n\n", "errno=-11\n\n");
        ok += r.equals("errno=0\n\n") ? 1 : 0;
      }
      assertThat(ok).isPositive();
      assertThat(backend.updates).isEqualTo(ok);
    } finally {
      pool.shutdownNow();
    }
    assertThat(exchange(s, "get=1\n\n")).startsWith("listen_port=");
  }

  @Test
  void aFailingTunnelGivesAnErrnoNotASilentClose() throws Exception {
    UapiServer s = start();
    backend.failWith = new IllegalArgumentException("no");
    assertThat(exchange(s, "set=1\nlisten_port=1\n\n")).isEqualTo("errno=-22\n\n");
    backend.failWith = new IllegalStateException("closed");
    assertThat(exchange(s, "set=1\nlisten_port=1\n\n")).isEqualTo("errno=-5\n\n");
    assertThat(exchange(s, "get=1\n\n")).isEqualTo("errno=-5\n\n");
    backend.failWith = null;
    assertThat(exchange(s, "get=1\n\n")).isEqualTo("errno=0\n\n");
  }
}
