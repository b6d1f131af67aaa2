package io.wireguardjava.netstack.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.wireguardjava.netstack.proxy.ForwardSpec.Protocol;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** -L and -R, TCP and UDP, with the fake tunnel on one side and the host on the other. */
@Timeout(30)
class PortForwardTest {
  static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  static final InetSocketAddress ANY_LOOPBACK_PORT = new InetSocketAddress(LOOPBACK, 0);

  FakeTunnel tunnel;
  Servers.Echo echo;
  Servers.UdpEcho udpEcho;
  PortForward forward;

  @BeforeEach
  void setUp() throws IOException {
    tunnel = new FakeTunnel();
    echo = new Servers.Echo();
    udpEcho = new Servers.UdpEcho();
  }

  @AfterEach
  void tearDown() throws IOException {
    if (forward != null) {
      forward.close();
    }
    echo.close();
    udpEcho.close();
  }

  PortForward.Builder builder(ForwardSpec spec) {
    return PortForward.builder(tunnel, HostNetwork.INSTANCE, spec);
  }

  Socket connect() throws IOException {
    Socket s = new Socket(forward.address().getAddress(), forward.address().getPort());
    s.setSoTimeout(5000);
    return s;
  }

  @Test
  void localTcpToANameOnlyTheTunnelKnowsWithHalfClose() throws IOException {
    tunnel.name("echo.only-in-tunnel.test", LOOPBACK);
    forward =
        builder(
                ForwardSpec.local(
                    Protocol.TCP, ANY_LOOPBACK_PORT, "echo.only-in-tunnel.test", echo.port()))
            .start();
    assertThat(forward.address().getPort()).isPositive();
    try (Socket s = connect()) {
      s.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
      s.shutdownOutput();
      assertThat(s.getInputStream().readAllBytes())
          .isEqualTo("ping".getBytes(StandardCharsets.US_ASCII));
    }
    assertThat(tunnel.lookups).containsExactly("echo.only-in-tunnel.test");
    assertThat(forward.stats().bytesOut()).isEqualTo(4);
  }

  @Test
  void localTcpToARefusingDestinationResetsTheClient() throws IOException {
    forward =
        builder(
                ForwardSpec.local(
                    Protocol.TCP, ANY_LOOPBACK_PORT, "127.0.0.1", Servers.closedPort()))
            .start();
    try (Socket s = connect()) {
      SpliceTest.assertReset(s);
    }
    assertThat(forward.stats().failed()).isEqualTo(1);
  }

  @Test
  void remoteTcpListensOnTheTunnelSideAndReachesTheHost() throws IOException {
    int tunnelPort = Servers.closedPort();
    forward =
        builder(ForwardSpec.remote(Protocol.TCP, tunnelPort, "127.0.0.1", echo.port())).start();
    assertThat(forward.address().getPort()).isEqualTo(tunnelPort);
    try (Socket s = new Socket(LOOPBACK, tunnelPort)) {
      s.setSoTimeout(5000);
      s.getOutputStream().write(new byte[] {1, 2, 3});
      assertThat(s.getInputStream().readNBytes(3)).containsExactly(1, 2, 3);
    }
    assertThat(tunnel.lookups).as("-R resolves on the host side").isEmpty();
  }

  static byte[] exchange(DatagramSocket s, InetSocketAddress to, byte[] payload)
      throws IOException {
    s.send(new DatagramPacket(payload, payload.length, to));
    DatagramPacket p = new DatagramPacket(new byte[70_000], 70_000);
    s.receive(p);
    assertThat(p.getSocketAddress()).isEqualTo(to);
    return Arrays.copyOf(p.getData(), p.getLength());
  }

  @Test
  void localUdpFlowsPerClientExpireWhenIdle() throws Exception {
    forward =
        builder(
                ForwardSpec.local(
                    Protocol.UDP, ANY_LOOPBACK_PORT, "127.0.0.1", udpEcho.address().getPort()))
            .udpIdleTimeout(Duration.ofMillis(1500))
            .start();
    InetSocketAddress to = forward.address();
    try (DatagramSocket c1 = new DatagramSocket(0, LOOPBACK);
        DatagramSocket c2 = new DatagramSocket(0, LOOPBACK)) {
      c1.setSoTimeout(3000);
      c2.setSoTimeout(3000);
      byte[] big = new byte[50_000];
      Arrays.fill(big, (byte) 7);
      assertThat(exchange(c1, to, big)).isEqualTo(big);
      assertThat(exchange(c2, to, new byte[] {2})).containsExactly(2);
      assertThat(exchange(c1, to, new byte[] {1})).containsExactly(1);
      assertThat(forward.stats().accepted()).isEqualTo(2);
      assertThat(forward.stats().active()).isEqualTo(2);
      awaitActive(0, Duration.ofSeconds(10));
      // after expiry, the same client gets a new flow
      assertThat(exchange(c1, to, new byte[] {3})).containsExactly(3);
      assertThat(forward.stats().accepted()).isEqualTo(3);
    }
  }

  @Test
  void anActiveUdpFlowDoesNotExpire() throws Exception {
    forward =
        builder(
                ForwardSpec.local(
                    Protocol.UDP, ANY_LOOPBACK_PORT, "127.0.0.1", udpEcho.address().getPort()))
            .udpIdleTimeout(Duration.ofMillis(1000))
            .start();
    try (DatagramSocket c = new DatagramSocket(0, LOOPBACK)) {
      c.setSoTimeout(3000);
      for (int i = 0; i < 20; i++) { // two idle timeouts long, never idle for one
        assertThat(exchange(c, forward.address(), new byte[] {(byte) i})).containsExactly(i);
        Thread.sleep(100);
      }
      assertThat(forward.stats().accepted()).isEqualTo(1);
    }
  }

  @Test
  void remoteUdpAndTheFlowLimit() throws Exception {
    int tunnelPort;
    try (DatagramSocket probe = new DatagramSocket(0, LOOPBACK)) {
      tunnelPort = probe.getLocalPort();
    }
    forward =
        builder(
                ForwardSpec.remote(
                    Protocol.UDP, tunnelPort, "127.0.0.1", udpEcho.address().getPort()))
            .maxConnections(1)
            .start();
    InetSocketAddress to = new InetSocketAddress(LOOPBACK, tunnelPort);
    try (DatagramSocket c1 = new DatagramSocket(0, LOOPBACK);
        DatagramSocket c2 = new DatagramSocket(0, LOOPBACK)) {
      c1.setSoTimeout(3000);
      c2.setSoTimeout(300);
      assertThat(exchange(c1, to, new byte[] {1})).containsExactly(1);
      try {
        exchange(c2, to, new byte[] {2});
        throw new AssertionError("a second flow went past the limit of one");
      } catch (SocketTimeoutException expected) {
        // dropped
      }
      assertThat(forward.stats().datagramsDropped()).isEqualTo(1);
    }
  }

  @Test
  void closingStopsTcpAndUdp() throws IOException {
    forward =
        builder(ForwardSpec.local(Protocol.TCP, ANY_LOOPBACK_PORT, "127.0.0.1", echo.port()))
            .start();
    Socket s = connect();
    s.getOutputStream().write(1);
    assertThat(s.getInputStream().read()).isEqualTo(1);
    forward.close();
    try (s) {
      SpliceTest.assertReset(s);
    }
    forward =
        builder(
                ForwardSpec.local(
                    Protocol.UDP, ANY_LOOPBACK_PORT, "127.0.0.1", udpEcho.address().getPort()))
            .start();
    try (DatagramSocket c = new DatagramSocket(0, LOOPBACK)) {
      c.setSoTimeout(300);
      assertThat(exchange(c, forward.address(), new byte[] {5})).containsExactly(5);
      forward.close();
      assertThat(forward.stats().active()).isZero();
      try {
        exchange(c, forward.address(), new byte[] {6});
        throw new AssertionError("a closed forward still answers");
      } catch (SocketTimeoutException | java.net.PortUnreachableException expected) {
        // closed
      }
    }
  }

  void awaitActive(long n, Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (forward.stats().active() != n && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(forward.stats().active()).isEqualTo(n);
  }
}
