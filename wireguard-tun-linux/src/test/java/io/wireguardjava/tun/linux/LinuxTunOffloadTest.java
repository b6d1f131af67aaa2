package io.wireguardjava.tun.linux;

import static org.assertj.core.api.Assertions.assertThat;

import io.wireguardjava.spi.PacketBatch;
import io.wireguardjava.tun.linux.internal.LibC;
import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two TUNs in two namespaces joined by a forwarder that moves batches from one to the other ({@link
 * LinuxTun#readBatch} into {@link LinuxTun#writeBatch}): a TCP transfer across them must arrive
 * intact, IPv4 and IPv6, with offload on (the sender's kernel hands over TSO super-packets, which
 * are split and merged again for the receiver's kernel) and with it off.
 */
@org.junit.jupiter.api.Timeout(120)
class LinuxTunOffloadTest {

  private static final int BYTES = 24 << 20;

  @BeforeAll
  static void tools() {
    NetnsLab.requireTools();
  }

  @ParameterizedTest(name = "offload {0}")
  @ValueSource(booleans = {true, false})
  void tcpCrossesTwoTunsIntactIpv4AndIpv6(boolean offload) throws Exception {
    try (NetnsLab lab = new NetnsLab()) {
      String nsA = lab.namespace("a");
      String nsB = lab.namespace("b");
      for (String ns : new String[] {nsA, nsB}) { // IPv6 addresses usable at once
        lab.exec(ns, "sysctl", "-qw", "net.ipv6.conf.default.accept_dad=0").check("sysctl");
      }
      LinuxTun a = NetnsLab.inNamespace(nsA, () -> tun(lab.name("ta"), offload, "1", "2"));
      LinuxTun b = NetnsLab.inNamespace(nsB, () -> tun(lab.name("tb"), offload, "2", "1"));
      int tso = LibC.TUN_F_CSUM | LibC.TUN_F_TSO4 | LibC.TUN_F_TSO6;
      if (offload) {
        assertThat(a.offloads() & tso).isEqualTo(tso);
      } else {
        assertThat(a.offloads()).isZero();
      }
      AtomicReference<Throwable> failure = new AtomicReference<>();
      Thread ab = forward(a, b, failure);
      Thread ba = forward(b, a, failure);
      try {
        transfer(nsA, nsB, "10.79.0.2");
        transfer(nsA, nsB, "fd79::2");
      } finally {
        a.close();
        b.close();
        ab.join(5000);
        ba.join(5000);
      }
      assertThat(failure.get()).isNull();
      assertThat(a.malformedReads()).isZero();
      if (offload) {
        assertThat(a.superPacketReads()).as("TSO reads on the sending side").isPositive();
        assertThat(b.mergedWrites()).as("GRO writes on the receiving side").isPositive();
      } else {
        assertThat(a.superPacketReads()).isZero();
        assertThat(b.mergedWrites()).isZero();
      }
    }
  }

  private static LinuxTun tun(String name, boolean offload, String self, String peer)
      throws Exception {
    LinuxTun t = LinuxTun.create(Optional.of(name), 1420, offload);
    try (Netlink nl = Netlink.open()) {
      int index = nl.linkIndex(t.name());
      nl.addAddress(index, InetAddress.getByName("10.79.0." + self), 24);
      nl.addAddress(index, InetAddress.getByName("fd79::" + self), 64);
      nl.setMtu(index, 1420);
      nl.setUp(index);
    }
    return t;
  }

  private static Thread forward(LinuxTun from, LinuxTun to, AtomicReference<Throwable> failure) {
    Thread t =
        new Thread(
            () -> {
              PacketBatch batch = PacketBatch.allocate(64, 0, 1500);
              try {
                while (from.readBatch(batch) > 0) {
                  to.writeBatch(batch);
                }
              } catch (java.nio.channels.ClosedChannelException e) {
                // the other side closed first
              } catch (Throwable e) {
                failure.set(e);
              }
            },
            "forward-" + from.name());
    t.start();
    return t;
  }

  /** Sends {@link #BYTES} random bytes from {@code nsA} to {@code nsB} and compares digests. */
  private static void transfer(String nsA, String nsB, String address) throws Exception {
    InetAddress to = InetAddress.getByName(address);
    ServerSocket server = NetnsLab.inNamespace(nsB, () -> new ServerSocket(0, 1, to));
    AtomicReference<byte[]> received = new AtomicReference<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread receiver =
        new Thread(
            () -> {
              try (server;
                  Socket s = server.accept();
                  InputStream in = new DataInputStream(s.getInputStream())) {
                MessageDigest d = MessageDigest.getInstance("SHA-256");
                byte[] buf = new byte[1 << 16];
                int n;
                while ((n = in.read(buf)) >= 0) {
                  d.update(buf, 0, n);
                }
                received.set(d.digest());
              } catch (Throwable e) {
                failure.set(e);
              }
            });
    receiver.start();
    Socket client =
        NetnsLab.inNamespace(
            nsA,
            () -> {
              Socket s = new Socket(); // its descriptor is made by connect: here, in nsA
              s.connect(new InetSocketAddress(to, server.getLocalPort()), 5000);
              return s;
            });
    MessageDigest sent = MessageDigest.getInstance("SHA-256");
    try (client) {
      OutputStream out = client.getOutputStream();
      Random r = new Random(address.hashCode());
      byte[] chunk = new byte[1 << 16];
      for (int i = 0; i < BYTES / chunk.length; i++) {
        r.nextBytes(chunk);
        sent.update(chunk);
        out.write(chunk);
      }
    }
    receiver.join(60_000);
    assertThat(failure.get()).isNull();
    assertThat(received.get()).as("digest of what %s received", address).isEqualTo(sent.digest());
  }
}
