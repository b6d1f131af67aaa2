package io.wireguardjava.tun.mac;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.wireguardjava.Config;
import io.wireguardjava.PrivateKey;
import io.wireguardjava.spi.PacketDevice;
import io.wireguardjava.tun.mac.Native.LibC;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * What only a Mac can check: a real utun, its name and MTU, packets both ways through the kernel,
 * and the interface disappearing on close. Needs root (skipped without it, except under CI=true).
 * NOT YET RUN: no Mac was available when this module was written.
 */
@EnabledOnOs(OS.MAC)
class UtunOnMacTest {

  private final LibC libc = LibC.get();

  @BeforeEach
  void needsRoot() {
    // Under CI=true a missing privilege is a failure (of the first call), not a skip.
    assumeTrue(
        libc.geteuid() == 0 || "true".equals(System.getenv("CI")),
        "needs root (sudo) to create a utun");
  }

  @Test
  void opensAUtunSetsItsMtuAndDestroysItOnClose() throws Exception {
    Utun.Opened opened = Utun.open(libc, 0);
    assertThat(opened.name()).matches("utun[0-9]+");
    Utun.setMtu(libc, opened.name(), 1380);
    assertThat(Utun.mtu(libc, opened.name())).isEqualTo(1380);

    SystemHostNetwork host = new SystemHostNetwork(libc);
    assertThat(host.run(List.of(NetworkSetup.IFCONFIG, opened.name())).ok()).isTrue();
    UtunDevice.wrap(libc, FdConstants.DARWIN, opened.fd(), opened.name(), 1380, () -> {}).close();
    assertThat(host.run(List.of(NetworkSetup.IFCONFIG, opened.name())).ok()).isFalse();
  }

  @Test
  void carriesPacketsBothWaysThroughAConfiguredInterface() throws Exception {
    Config config =
        Config.parse(
            "[Interface]\nPrivateKey = "
                + PrivateKey.generate().toBase64()
                + "\n"
                + "Address = 10.123.45.1/24\nMTU = 1380\n"
                + "[Peer]\nPublicKey = "
                + PrivateKey.generate().publicKey().toBase64()
                + "\n"
                + "AllowedIPs = 10.123.46.0/24\n");
    try (PacketDevice device = new MacTunProvider().open(Optional.empty(), config);
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress("10.123.45.1", 0))) {
      assertThat(device.mtu()).isEqualTo(1380);

      // host -> device: a datagram to the peer network comes out of read()
      byte[] hello = "hello utun".getBytes(StandardCharsets.US_ASCII);
      socket.send(new DatagramPacket(hello, hello.length, InetAddress.getByName("10.123.46.7"), 9));
      CompletableFuture<byte[]> seen =
          CompletableFuture.supplyAsync(
              () -> {
                byte[] buf = new byte[2000];
                try {
                  while (true) {
                    int n = device.read(buf, 0, buf.length);
                    if (n >= 28 && buf[9] == 17 && (buf[16] & 0xff) == 10 && buf[18] == 46) {
                      return java.util.Arrays.copyOf(buf, n);
                    }
                  }
                } catch (java.io.IOException e) {
                  throw new RuntimeException(e);
                }
              });
      byte[] packet = seen.get(10, TimeUnit.SECONDS);
      assertThat(packet[0] >> 4).isEqualTo(4);
      assertThat(new String(packet, 28, hello.length, StandardCharsets.US_ASCII))
          .isEqualTo("hello utun");

      // device -> host: a datagram written to the device reaches the socket
      socket.setSoTimeout(10_000);
      byte[] reply =
          udp4(
              new byte[] {10, 123, 46, 7},
              new byte[] {10, 123, 45, 1},
              4000,
              socket.getLocalPort(),
              "hello host".getBytes(StandardCharsets.US_ASCII));
      device.write(reply, 0, reply.length);
      DatagramPacket received = new DatagramPacket(new byte[100], 100);
      socket.receive(received);
      assertThat(new String(received.getData(), 0, received.getLength(), StandardCharsets.US_ASCII))
          .isEqualTo("hello host");
    }
  }

  /** An IPv4/UDP packet with a valid header checksum and no UDP checksum (allowed for IPv4). */
  private static byte[] udp4(byte[] src, byte[] dst, int srcPort, int dstPort, byte[] payload) {
    int length = 28 + payload.length;
    byte[] p = new byte[length];
    p[0] = 0x45;
    p[2] = (byte) (length >> 8);
    p[3] = (byte) length;
    p[8] = 64; // TTL
    p[9] = 17; // UDP
    System.arraycopy(src, 0, p, 12, 4);
    System.arraycopy(dst, 0, p, 16, 4);
    int sum = 0;
    for (int i = 0; i < 20; i += 2) {
      sum += ((p[i] & 0xff) << 8) | (p[i + 1] & 0xff);
    }
    sum = (sum & 0xffff) + (sum >> 16);
    sum = (sum & 0xffff) + (sum >> 16);
    int checksum = ~sum & 0xffff;
    p[10] = (byte) (checksum >> 8);
    p[11] = (byte) checksum;
    p[20] = (byte) (srcPort >> 8);
    p[21] = (byte) srcPort;
    p[22] = (byte) (dstPort >> 8);
    p[23] = (byte) dstPort;
    p[24] = (byte) ((8 + payload.length) >> 8);
    p[25] = (byte) (8 + payload.length);
    System.arraycopy(payload, 0, p, 28, payload.length);
    return p;
  }
}
