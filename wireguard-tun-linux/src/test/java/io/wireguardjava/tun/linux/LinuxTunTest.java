package io.wireguardjava.tun.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.channels.ClosedChannelException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A real TUN in a fresh network namespace, configured through our rtnetlink code. */
@Timeout(60)
class LinuxTunTest {

  @BeforeAll
  static void tools() {
    NetnsLab.requireTools("ping");
  }

  @Test
  void answersPingsRoutedIntoTheTunIpv4AndIpv6() throws Exception {
    try (NetnsLab lab = new NetnsLab()) {
      String ns = lab.namespace("a");
      LinuxTun tun =
          NetnsLab.inNamespace(
              ns,
              () -> {
                LinuxTun t = LinuxTun.create(Optional.of(lab.name("t")), 1420);
                try (Netlink nl = Netlink.open()) {
                  int index = nl.linkIndex(t.name());
                  nl.addAddress(index, InetAddress.getByName("10.77.0.1"), 24);
                  nl.addAddress(index, InetAddress.getByName("fd77::1"), 64);
                  nl.setMtu(index, 1420);
                  nl.setUp(index);
                  nl.addRoute(index, InetAddress.getByName("10.78.0.0"), 16, Netlink.RT_TABLE_MAIN);
                }
                return t;
              });
      AtomicInteger replies = new AtomicInteger();
      Thread responder =
          new Thread(
              () -> {
                byte[] buf = new byte[2000];
                try {
                  int n;
                  while ((n = tun.read(buf, 0, buf.length)) >= 0) {
                    if (Packets.echoReply(buf, n)) {
                      tun.write(buf, 0, n);
                      replies.incrementAndGet();
                    }
                  }
                } catch (Exception e) {
                  throw new AssertionError(e);
                }
              });
      responder.start();
      try {
        assertThat(tun.name()).isEqualTo(lab.name("t"));
        String link =
            lab.exec(ns, "ip", "-d", "link", "show", tun.name()).check("ip link").stdout();
        assertThat(link).contains("mtu 1420").contains("UP").contains("tun type tun pi off");
        for (String target : List.of("10.77.0.2", "10.78.3.4", "fd77::2")) {
          lab.exec(ns, "ping", "-c", "2", "-i", "0.2", "-W", "2", target).check("ping " + target);
        }
        assertThat(replies.get()).isGreaterThanOrEqualTo(6);
      } finally {
        tun.close();
      }
      responder.join(2000);
      assertThat(responder.isAlive()).as("reader left blocked after close()").isFalse();
      assertThat(lab.exec(ns, "ip", "link", "show", tun.name()).exitCode()).isNotZero();
      assertThatThrownBy(() -> tun.write(new byte[20], 0, 20))
          .isInstanceOf(ClosedChannelException.class);
      assertThat(tun.read(new byte[100], 0, 100)).isEqualTo(-1);
    }
  }

  @Test
  void kernelChoosesTheNameWhenNoneIsGiven() throws Exception {
    try (NetnsLab lab = new NetnsLab()) {
      String ns = lab.namespace("a");
      LinuxTun tun = NetnsLab.inNamespace(ns, () -> LinuxTun.create(Optional.empty(), 1420));
      try {
        assertThat(tun.name()).startsWith("tun");
        assertThat(lab.exec(ns, "ip", "link", "show", tun.name()).exitCode()).isZero();
      } finally {
        tun.close();
      }
    }
  }

  @Test
  void closeWakesABlockedReaderAtOnce() throws Exception {
    try (NetnsLab lab = new NetnsLab()) {
      String ns = lab.namespace("a");
      LinuxTun tun = NetnsLab.inNamespace(ns, () -> LinuxTun.create(Optional.empty(), 1420));
      AtomicInteger result = new AtomicInteger(42);
      Thread reader =
          new Thread(
              () -> {
                try {
                  result.set(tun.read(new byte[1500], 0, 1500));
                } catch (Exception e) {
                  throw new AssertionError(e);
                }
              });
      reader.start();
      while (reader.getState() != Thread.State.RUNNABLE) {
        Thread.onSpinWait();
      }
      tun.close();
      reader.join(2000);
      assertThat(reader.isAlive()).isFalse();
      assertThat(result.get()).isEqualTo(-1);
      tun.close(); // idempotent
    }
  }

  @Test
  void deletingTheInterfaceFromOutsideEndsTheReader() throws Exception {
    try (NetnsLab lab = new NetnsLab()) {
      String ns = lab.namespace("a");
      LinuxTun tun = NetnsLab.inNamespace(ns, () -> LinuxTun.create(Optional.empty(), 1420));
      AtomicInteger result = new AtomicInteger(42);
      Thread reader =
          new Thread(
              () -> {
                try {
                  result.set(tun.read(new byte[1500], 0, 1500));
                } catch (Exception e) {
                  throw new AssertionError(e);
                }
              });
      reader.start();
      lab.exec(ns, "ip", "link", "delete", "dev", tun.name()).check("ip link delete");
      reader.join(2000);
      assertThat(reader.isAlive()).isFalse();
      assertThat(result.get()).isEqualTo(-1);
      tun.close();
    }
  }

  @Test
  void anMtuChangedFromOutsideIsReportedAndALongPacketIsCutNotSkipped() throws Exception {
    try (NetnsLab lab = new NetnsLab()) {
      String ns = lab.namespace("a");
      LinuxTun tun =
          NetnsLab.inNamespace(
              ns,
              () -> {
                LinuxTun t = LinuxTun.create(Optional.of(lab.name("t")), 1420);
                try (Netlink nl = Netlink.open()) {
                  int index = nl.linkIndex(t.name());
                  nl.addAddress(index, InetAddress.getByName("10.77.0.1"), 24);
                  nl.setMtu(index, 1420);
                  nl.setUp(index);
                }
                return t;
              });
      java.util.concurrent.BlockingQueue<Integer> mtus =
          new java.util.concurrent.LinkedBlockingQueue<>();
      tun.onMtuChange(mtus::add);
      java.util.concurrent.BlockingQueue<Integer> lengths =
          new java.util.concurrent.LinkedBlockingQueue<>();
      Thread reader =
          new Thread(
              () -> {
                byte[] small = new byte[100]; // shorter than any ping below
                try {
                  int n;
                  while ((n = tun.read(small, 0, small.length)) >= 0) {
                    lengths.add(n);
                  }
                } catch (Exception e) {
                  throw new AssertionError(e);
                }
              });
      reader.start();
      try {
        lab.exec(ns, "ip", "link", "set", "dev", tun.name(), "mtu", "1500").check("ip link set");
        assertThat(mtus.poll(10, java.util.concurrent.TimeUnit.SECONDS))
            .as("reported within a" + " second or two, while the reader waits")
            .isEqualTo(1500);
        assertThat(tun.mtu()).isEqualTo(1500);

        lab.exec(ns, "ping", "-c", "1", "-W", "1", "-s", "1000", "10.77.0.2"); // no answer: ours
        Integer n;
        do { // IPv6 router solicitations and the like come through too: they fit
          n = lengths.poll(10, java.util.concurrent.TimeUnit.SECONDS);
        } while (n != null && n <= 100);
        assertThat(n).as("full length of the cut packet").isEqualTo(1028);

        tun.setMtu(1280);
        String link = lab.exec(ns, "ip", "link", "show", tun.name()).check("ip link").stdout();
        assertThat(link).contains("mtu 1280");
        assertThat(tun.mtu()).isEqualTo(1280);
        Thread.sleep(1500); // the reader's next checks: our own change is not reported back
        assertThat(mtus).isEmpty();
      } finally {
        tun.close();
      }
      reader.join(2000);
      assertThat(reader.isAlive()).isFalse();
    }
  }

  @Test
  void anInterfaceNameThatIsTooLongIsRefused() {
    assertThatThrownBy(() -> LinuxTun.create(Optional.of("a-name-far-too-long"), 1420))
        .hasMessageContaining("invalid interface name");
  }
}
