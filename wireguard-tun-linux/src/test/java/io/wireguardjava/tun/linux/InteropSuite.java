package io.wireguardjava.tun.linux;

import static org.assertj.core.api.Assertions.assertThat;

import io.wireguardjava.Config;
import io.wireguardjava.PeerStats;
import io.wireguardjava.PresharedKey;
import io.wireguardjava.PrivateKey;
import io.wireguardjava.Tunnel;
import io.wireguardjava.TunnelOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The interop suite over real TUNs: side A is always our tunnel (in namespace A, opened from a
 * thread that entered it), side B is wireguard-go configured by {@code wg} ({@link
 * OursWithWireguardGoTest}) or our tunnel again ({@link OursWithOursTest}). Each test builds its
 * own namespaces joined by a veth pair (underlay 10.200.0.0/24 and fd00:200::/64; tunnel
 * 10.100.0.0/24 and fd00:100::/64) and removes them.
 */
@Timeout(120)
abstract class InteropSuite {

  static final int PORT_A = 51820;
  static final int PORT_B = 51821;

  NetnsLab lab;
  String nsA;
  String nsB;
  final PrivateKey keyA = PrivateKey.generate();
  final PrivateKey keyB = PrivateKey.generate();
  private final List<AutoCloseable> sides = new ArrayList<>();

  @BeforeAll
  static void tools() {
    NetnsLab.requireTools("wireguard-go", "wg", "ping", "nc", "iperf3", "tshark", "sha256sum");
  }

  /** Side B: wireguard-go or our tunnel. */
  interface SideB extends AutoCloseable {
    /** Moves B's UDP socket to another port (a NAT rebinding, or a new network). */
    void setListenPort(int port) throws Exception;

    @Override
    void close();
  }

  /** Starts side B on interface {@code ifname} in {@code ns} from its config. */
  abstract SideB startB(String ns, String ifname, Config config) throws Exception;

  SideB sideB;

  @BeforeEach
  void lab() {
    lab = new NetnsLab();
    nsA = lab.namespace("a");
    nsB = lab.namespace("b");
    lab.veth(
        nsA,
        List.of("10.200.0.1/24", "fd00:200::1/64"),
        nsB,
        List.of("10.200.0.2/24", "fd00:200::2/64"));
  }

  @AfterEach
  void cleanup() {
    for (int i = sides.size() - 1; i >= 0; i--) {
      try {
        sides.get(i).close();
      } catch (Exception e) {
        System.err.println("closing " + sides.get(i) + ": " + e);
      }
    }
    lab.close();
  }

  /** Options of one test's pair of peers. */
  record Setup(boolean psk, boolean ipv6Outer, int keepaliveA, boolean endpointOnB) {
    static Setup plain() {
      return new Setup(false, false, 0, true);
    }
  }

  String confA(Setup s, Optional<PresharedKey> psk) {
    String host = s.ipv6Outer() ? "[fd00:200::2]" : "10.200.0.2";
    return "[Interface]\nPrivateKey = "
        + keyA.toBase64()
        + "\nListenPort = "
        + PORT_A
        + "\nAddress = 10.100.0.1/24, fd00:100::1/64\n\n[Peer]\nPublicKey = "
        + keyB.publicKey().toBase64()
        + "\n"
        + psk.map(p -> "PresharedKey = " + p.toBase64() + "\n").orElse("")
        + "AllowedIPs = 10.100.0.2/32, fd00:100::2/128\nEndpoint = "
        + host
        + ":"
        + PORT_B
        + "\n"
        + (s.keepaliveA() > 0 ? "PersistentKeepalive = " + s.keepaliveA() + "\n" : "");
  }

  String confB(Setup s, Optional<PresharedKey> psk) {
    String host = s.ipv6Outer() ? "[fd00:200::1]" : "10.200.0.1";
    return "[Interface]\nPrivateKey = "
        + keyB.toBase64()
        + "\nListenPort = "
        + PORT_B
        + "\nAddress = 10.100.0.2/24, fd00:100::2/64\n\n[Peer]\nPublicKey = "
        + keyA.publicKey().toBase64()
        + "\n"
        + psk.map(p -> "PresharedKey = " + p.toBase64() + "\n").orElse("")
        + "AllowedIPs = 10.100.0.1/32, fd00:100::1/128\n"
        + (s.endpointOnB() ? "Endpoint = " + host + ":" + PORT_A + "\n" : "");
  }

  /** Brings both sides up; returns our tunnel of side A. */
  Tunnel up(Setup s) throws Exception {
    Optional<PresharedKey> psk = s.psk() ? Optional.of(PresharedKey.generate()) : Optional.empty();
    Config a = Config.parse(confA(s, psk));
    Config b = Config.parse(confB(s, psk));
    sideB = startB(nsB, lab.name("wb"), b);
    sides.add(sideB);
    Tunnel t = openOurs(nsA, lab.name("wa"), a);
    sides.add(t);
    return t;
  }

  static Tunnel openOurs(String ns, String ifname, Config config) throws Exception {
    return NetnsLab.inNamespace(ns, () -> Tunnel.open(config, TunnelOptions.osDevice(ifname)));
  }

  void ping(String ns, String target) {
    lab.exec(ns, "ping", "-c", "2", "-i", "0.2", "-W", "5", target).check(ns + " ping " + target);
  }

  @ParameterizedTest(name = "{0} initiates, psk {1}")
  @CsvSource({"A, false", "A, true", "B, false", "B, true"})
  void handshakeFromEitherSideThenPingsBothWaysOverIpv4AndIpv6(String first, boolean psk)
      throws Exception {
    Tunnel a = up(new Setup(psk, false, 0, true));
    if (first.equals("A")) {
      ping(nsA, "10.100.0.2");
      ping(nsA, "fd00:100::2");
      ping(nsB, "10.100.0.1");
      ping(nsB, "fd00:100::1");
    } else {
      ping(nsB, "10.100.0.1");
      ping(nsB, "fd00:100::1");
      ping(nsA, "10.100.0.2");
      ping(nsA, "fd00:100::2");
    }
    PeerStats stats = a.peerStats(keyB.publicKey()).orElseThrow();
    assertThat(stats.lastHandshake()).isPresent();
    assertThat(stats.rxBytes()).isPositive();
  }

  @Test
  void ipv6OuterEndpoint() throws Exception {
    Tunnel a = up(new Setup(true, true, 0, false));
    ping(nsA, "10.100.0.2");
    ping(nsB, "fd00:100::1");
    assertThat(
            a.peerStats(keyB.publicKey())
                .orElseThrow()
                .endpoint()
                .orElseThrow()
                .getAddress()
                .getHostAddress())
        .contains("fd00:200:0:0:0:0:0:2");
  }

  @Test
  @Timeout(180)
  void hundredMegabytesOverTcpEachWayArriveIntact() throws Exception {
    up(Setup.plain());
    ping(nsA, "10.100.0.2");
    Path blob = Path.of("target", "netns-logs", "blob-100M").toAbsolutePath();
    if (!Files.exists(blob) || Files.size(blob) != 100L << 20) {
      lab.run(Duration.ofSeconds(60), null, "sh", "-c", "head -c 104857600 /dev/urandom > " + blob)
          .check("make blob");
    }
    String expected = lab.run("sha256sum", blob.toString()).check("sha").stdout().split(" ")[0];
    assertThat(transfer(nsB, nsA, "10.100.0.2", blob)).as("A -> B").isEqualTo(expected);
    assertThat(transfer(nsA, nsB, "10.100.0.1", blob)).as("B -> A").isEqualTo(expected);
  }

  /** Sends {@code blob} with nc from {@code from} to a listener in {@code to}; its SHA-256. */
  private String transfer(String to, String from, String toAddr, Path blob) throws Exception {
    Duration limit = Duration.ofSeconds(75);
    CompletableFuture<NetnsLab.Result> receiver =
        lab.async(() -> lab.exec(to, limit, "sh", "-c", "nc -l -p 5001 | sha256sum"));
    // wait for the listener
    for (int i = 0; i < 50; i++) {
      if (lab.exec(to, "sh", "-c", "ss -ltn | grep -q ':5001 '").exitCode() == 0) {
        break;
      }
      NetnsLab.sleepMillis(100);
    }
    lab.exec(from, limit, "sh", "-c", "nc -N " + toAddr + " 5001 < " + blob)
        .check("nc send from " + from);
    return receiver
        .get(limit.toSeconds(), TimeUnit.SECONDS)
        .check("nc receive in " + to)
        .stdout()
        .split(" ")[0];
  }

  @Test
  void udpThroughputWithLossReported() throws Exception {
    up(Setup.plain());
    ping(nsA, "10.100.0.2");
    String report = iperf(nsA, "10.100.0.2", "-u", "-b", "200M", "-t", "3", "-l", "1300");
    Matcher m = Pattern.compile("(\\d+)/(\\d+) \\(([\\d.e+-]+)%\\)\\s+receiver").matcher(report);
    assertThat(m.find()).as("iperf3 receiver line in:\n" + report).isTrue();
    long lost = Long.parseLong(m.group(1));
    long total = Long.parseLong(m.group(2));
    System.out.println(
        getClass().getSimpleName()
            + " iperf3 UDP 200 Mbit/s offered: "
            + lost
            + "/"
            + total
            + " datagrams lost ("
            + m.group(3)
            + " %)");
    assertThat(total - lost).as("datagrams received").isPositive();
  }

  /** Runs an iperf3 client in {@code ns} against a one-shot server in the other namespace. */
  String iperf(String ns, String target, String... args) throws Exception {
    String serverNs = ns.equals(nsA) ? nsB : nsA;
    CompletableFuture<NetnsLab.Result> server =
        lab.async(
            () -> lab.exec(serverNs, Duration.ofSeconds(60), "iperf3", "-s", "-1", "-p", "5201"));
    List<String> cmd = new ArrayList<>(List.of("iperf3", "-c", target, "-p", "5201", "-f", "m"));
    cmd.addAll(List.of(args));
    NetnsLab.Result r = null;
    for (int attempt = 0; attempt < 20; attempt++) { // until the server listens
      r = lab.exec(ns, Duration.ofSeconds(60), cmd.toArray(String[]::new));
      if (r.exitCode() == 0 || !r.stderr().contains("Connection refused")) {
        break;
      }
      NetnsLab.sleepMillis(100);
    }
    server.get(60, TimeUnit.SECONDS);
    return r.check("iperf3 " + String.join(" ", args)).stdout();
  }

  @Test
  void transferContinuesWhenSideBChangesItsUnderlayAddress() throws Exception {
    Tunnel a = up(Setup.plain());
    ping(nsA, "10.100.0.2");
    lab.exec(
            nsB,
            "sysctl",
            "-qw",
            "net.ipv4.conf.all.promote_secondaries=1",
            "net.ipv4.conf." + lab.name("vb") + ".promote_secondaries=1")
        .check("sysctl");
    CompletableFuture<String> transfer =
        lab.async(
            () -> {
              try {
                // -R: B sends, as a roaming client would; its new source address reaches A at once
                return iperf(nsA, "10.100.0.2", "-R", "-t", "6", "-i", "1");
              } catch (Exception e) {
                throw new AssertionError(e);
              }
            });
    NetnsLab.sleepMillis(2500);
    // B's underlay address and port change, as when a client switches networks behind a NAT
    String vb = lab.name("vb");
    lab.exec(nsB, "ip", "addr", "add", "10.200.0.3/24", "dev", vb).check("add new address");
    lab.exec(nsB, "ip", "addr", "del", "10.200.0.2/24", "dev", vb).check("remove old address");
    sideB.setListenPort(PORT_B + 1);
    String report = transfer.get(60, TimeUnit.SECONDS);
    // the intervals after the move carry data again, and the transfer completed
    List<Double> rates = new ArrayList<>();
    Matcher m = Pattern.compile("sec\\s+[\\d.]+ \\w?Bytes\\s+([\\d.]+) Mbits/sec").matcher(report);
    while (m.find()) {
      rates.add(Double.parseDouble(m.group(1)));
    }
    assertThat(report).contains("receiver");
    assertThat(rates.size()).as(report).isGreaterThanOrEqualTo(6);
    assertThat(Math.max(rates.get(4), rates.get(5)))
        .as("throughput in the last two seconds, after roaming:\n" + report)
        .isPositive();
    java.net.InetSocketAddress endpoint =
        a.peerStats(keyB.publicKey()).orElseThrow().endpoint().orElseThrow();
    assertThat(endpoint.getAddress().getHostAddress()).isEqualTo("10.200.0.3");
    assertThat(endpoint.getPort()).isEqualTo(PORT_B + 1);
  }

  @Test
  void persistentKeepaliveIsSeenOnTheWire() throws Exception {
    up(new Setup(false, false, 1, true));
    ping(nsA, "10.100.0.2");
    // keepalive: a data message with no payload, 32 bytes of UDP payload (udp length 40)
    int keepalives =
        capture(nsB, lab.name("vb"), "udp and udp[4:2] = 40 and src host 10.200.0.1", 4);
    assertThat(keepalives)
        .as("keepalives from A in 4 s with PersistentKeepalive = 1")
        .isGreaterThanOrEqualTo(2);
  }

  @Test
  @Timeout(60)
  void silenceWhenIdle() throws Exception {
    up(Setup.plain());
    ping(nsA, "10.100.0.2");
    // after KEEPALIVE_TIMEOUT (10 s) the passive keepalive has gone; then nothing at all
    NetnsLab.sleepMillis(12_500);
    assertThat(capture(nsB, lab.name("vb"), "udp", 4)).as("UDP packets on an idle tunnel").isZero();
  }

  /** Gives the veth underlay room for sealed 1500-byte packets, so no outer fragmentation. */
  void widenUnderlay() {
    lab.exec(nsA, "ip", "link", "set", "dev", lab.name("va"), "mtu", "1600").check("veth mtu");
    lab.exec(nsB, "ip", "link", "set", "dev", lab.name("vb"), "mtu", "1600").check("veth mtu");
  }

  @Test
  void aBigPingThroughOurSmallerTunnelGetsFragmentationNeededAndPacketTooBig() throws Exception {
    Tunnel a = up(Setup.plain());
    ping(nsA, "10.100.0.2");
    ping(nsA, "fd00:100::2");
    widenUnderlay();
    // B's tunnel takes 1500-byte packets; ours stays at 1420 (wg-quick's: 1500 minus 80)
    lab.exec(nsB, "ip", "link", "set", "dev", lab.name("wb"), "mtu", "1500").check("mtu 1500");
    assertThat(a.mtu()).isEqualTo(1420);
    NetnsLab.sleepMillis(2500); // B, when it is ours, notices its new MTU within a second or two
    String v4 =
        lab.exec(nsB, "ping", "-c", "1", "-W", "3", "-M", "do", "-s", "1472", "10.100.0.1")
            .stdout();
    assertThat(v4)
        .as("1500-byte IPv4 ping with DF from B")
        .contains("From 10.100.0.1")
        .contains("Frag needed")
        .contains("mtu = 1420");
    String v6 =
        lab.exec(nsB, "ping", "-6", "-c", "1", "-W", "3", "-M", "do", "-s", "1452", "fd00:100::1")
            .stdout();
    assertThat(v6)
        .as("1500-byte IPv6 ping from B")
        .contains("From fd00:100::1")
        .contains("Packet too big")
        .contains("mtu=1420");
    assertThat(a.stats().dropped(io.wireguardjava.DropReason.TOO_LARGE)).isEqualTo(2);
    // path-MTU discovery did its work: a ping that fits goes through
    lab.exec(nsB, "ping", "-c", "1", "-W", "3", "-M", "do", "-s", "1392", "10.100.0.1")
        .check("1420-byte ping");
  }

  @Test
  @Timeout(180)
  void theTunnelFollowsIpLinkSetMtuUnderTraffic() throws Exception {
    Tunnel a = up(Setup.plain());
    ping(nsA, "10.100.0.2");
    widenUnderlay();
    CompletableFuture<String> transfer =
        lab.async(
            () -> {
              try {
                return iperf(nsA, "10.100.0.2", "-t", "6", "-i", "1");
              } catch (Exception e) {
                throw new AssertionError(e);
              }
            });
    NetnsLab.sleepMillis(2500);
    // as wg-quick does through the launcher: the link MTU changes under the running tunnel
    lab.exec(nsA, "ip", "link", "set", "dev", lab.name("wa"), "mtu", "1500").check("mtu A");
    lab.exec(nsB, "ip", "link", "set", "dev", lab.name("wb"), "mtu", "1500").check("mtu B");
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (a.mtu() != 1500 && System.nanoTime() < deadline) {
      NetnsLab.sleepMillis(50);
    }
    assertThat(a.mtu()).as("our tunnel took the new link MTU").isEqualTo(1500);
    String report = transfer.get(60, TimeUnit.SECONDS);
    List<Double> rates = new ArrayList<>();
    Matcher m = Pattern.compile("sec\\s+[\\d.]+ \\w?Bytes\\s+([\\d.]+) Mbits/sec").matcher(report);
    while (m.find()) {
      rates.add(Double.parseDouble(m.group(1)));
    }
    assertThat(rates.size()).as(report).isGreaterThanOrEqualTo(6);
    assertThat(Math.max(rates.get(4), rates.get(5)))
        .as("throughput after the MTU change:\n" + report)
        .isPositive();
    NetnsLab.sleepMillis(2000); // B, when it is ours, notices too
    // 1500-byte packets with DF now cross the tunnel both ways
    lab.exec(nsA, "ping", "-c", "2", "-W", "3", "-M", "do", "-s", "1472", "10.100.0.2")
        .check("1500-byte ping after ip link set mtu 1500");
    assertThat(a.stats().dropped(io.wireguardjava.DropReason.TOO_LARGE)).isZero();
  }

  /** Counts packets matching a capture filter on {@code dev} in {@code ns} for some seconds. */
  int capture(String ns, String dev, String filter, int seconds) {
    NetnsLab.Result r =
        lab.exec(
            ns,
            Duration.ofSeconds(seconds + 30),
            "tshark",
            "-n",
            "-q",
            "-i",
            dev,
            "-a",
            "duration:" + seconds,
            "-f",
            filter,
            "-T",
            "fields",
            "-e",
            "frame.number");
    r.check("tshark");
    return (int) r.stdout().lines().filter(l -> !l.isBlank()).count();
  }

  /** Our tunnel as side B. */
  static SideB ours(String ns, String ifname, Config config) throws Exception {
    Tunnel t = openOurs(ns, ifname, config);
    return new SideB() {
      @Override
      public void setListenPort(int port) throws Exception {
        // the new socket must be created inside B's namespace
        NetnsLab.inNamespace(
            ns,
            () -> {
              t.setListenPort(port);
              return null;
            });
      }

      @Override
      public void close() {
        t.close();
      }
    };
  }

  /** wireguard-go as side B, configured with wg. */
  SideB wireguardGo(String ns, String ifname, Config config) {
    List<String> addrs = config.iface().addresses().stream().map(Object::toString).toList();
    lab.wireguardGo(ns, ifname, 1420, addrs);
    lab.wgSetconf(ifname, config.toSetconfString());
    return new SideB() {
      @Override
      public void setListenPort(int port) {
        lab.wgSet(ifname, "listen-port", Integer.toString(port));
      }

      @Override
      public void close() {
        // the lab stops wireguard-go and deletes the namespace
      }
    };
  }
}
