package io.wireguardjava.tun.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wireguardjava.Config;
import io.wireguardjava.PrivateKey;
import io.wireguardjava.Tunnel;
import io.wireguardjava.TunnelOptions;
import io.wireguardjava.spi.PacketDevice;
import io.wireguardjava.spi.PacketDeviceProvider;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The provider configures an interface as wg-quick does, and undoes it all. */
@Timeout(60)
class LinuxTunProviderTest {

  @TempDir Path dir;

  @BeforeAll
  static void tools() {
    NetnsLab.requireTools("bash", "nft");
  }

  private String config(String extraInterface, String allowedIps) {
    return "[Interface]\nPrivateKey = "
        + PrivateKey.generate().toBase64()
        + "\n"
        + "ListenPort = 51820\nAddress = 10.100.0.1/24, fd00:100::1/64\nMTU = 1380\n"
        + extraInterface
        + "\n[Peer]\nPublicKey = "
        + PrivateKey.generate().publicKey().toBase64()
        + "\nAllowedIPs = "
        + allowedIps
        + "\n";
  }

  @Test
  void isFoundByTheServiceLoaderAndAvailableHere() {
    List<PacketDeviceProvider> found =
        ServiceLoader.load(PacketDeviceProvider.class).stream()
            .map(ServiceLoader.Provider::get)
            .toList();
    assertThat(found).anyMatch(p -> p instanceof LinuxTunProvider && p.name().equals("linux-tun"));
    assertThat(new LinuxTunProvider().unavailabilityCause()).isEmpty();
  }

  @Test
  void configuresAsWgQuickAndUndoesEverythingOnClose() throws Exception {
    try (NetnsLab lab = new NetnsLab()) {
      String ns = lab.namespace("a");
      String name = lab.name("t");
      Path hooks = dir.resolve("hooks.txt");
      Config config =
          Config.parse(
              config(
                  "PreUp = echo pre-up %i >> "
                      + hooks
                      + "\nPostUp = echo post-up %i >> "
                      + hooks
                      + "\nPreDown = echo pre-down %i >> "
                      + hooks
                      + "\nPostDown = echo post-down %i >> "
                      + hooks
                      + "\n",
                  "10.100.0.2/32, 192.168.77.0/24, 0.0.0.0/0, ::/0"));
      PacketDevice dev =
          NetnsLab.inNamespace(ns, () -> new LinuxTunProvider().open(Optional.of(name), config));
      try {
        assertThat(dev.name()).isEqualTo(name);
        assertThat(dev.mtu()).isEqualTo(1380);
        String link = lab.exec(ns, "ip", "addr", "show", name).check("ip addr").stdout();
        assertThat(link)
            .contains("mtu 1380")
            .contains(",UP")
            .contains("inet 10.100.0.1/24")
            .contains("inet6 fd00:100::1/64");
        assertThat(lab.exec(ns, "ip", "route", "show", "dev", name).stdout())
            .contains("192.168.77.0/24")
            .doesNotContain("10.100.0.2");
        assertThat(lab.exec(ns, "ip", "route", "show", "table", "51820").stdout())
            .contains("default dev " + name);
        assertThat(lab.exec(ns, "ip", "-6", "route", "show", "table", "51820").stdout())
            .contains("default dev " + name);
        String rules = lab.exec(ns, "ip", "rule").stdout();
        assertThat(rules)
            .contains("not from all ipproto udp sport 51820 lookup 51820")
            .contains("from all lookup main suppress_prefixlength 0");
        assertThat(lab.exec(ns, "ip", "-6", "rule").stdout())
            .contains("not from all ipproto udp sport 51820 lookup 51820");
        String nft =
            lab.exec(ns, "nft", "list", "table", "ip", "wg-java-" + name).check("nft").stdout();
        assertThat(nft)
            .contains(
                "iifname != \""
                    + name
                    + "\" ip daddr 10.100.0.1 fib saddr type"
                    + " != local drop");
        assertThat(lab.exec(ns, "nft", "list", "table", "ip6", "wg-java-" + name).stdout())
            .contains("ip6 daddr fd00:100::1");
        // hooks are the engine's to run, and only when asked (TunnelOptions.runHooks)
        assertThat(hooks).as("no hook ran from the device provider").doesNotExist();
      } finally {
        // from inside the namespace, as a process living there would: nft runs where it is called
        NetnsLab.inNamespace(
            ns,
            () -> {
              dev.close();
              return null;
            });
      }
      assertThat(lab.exec(ns, "ip", "link", "show", name).exitCode()).isNotZero();
      assertThat(lab.exec(ns, "ip", "rule").stdout())
          .doesNotContain("51820")
          .doesNotContain("suppress_prefixlength");
      assertThat(lab.exec(ns, "ip", "-6", "rule").stdout()).doesNotContain("51820");
      assertThat(hooks).doesNotExist();
      assertThat(lab.exec(ns, "nft", "list", "tables").stdout()).doesNotContain("wg-java-");
    }
  }

  @Test
  void withoutMtuTheRouteMtuToTheEndpointMinus80() throws Exception {
    try (NetnsLab lab = new NetnsLab()) {
      String ns = lab.namespace("a");
      String name = lab.name("t");
      lab.exec(
              ns,
              "ip",
              "link",
              "add",
              lab.name("v"),
              "mtu",
              "9000",
              "type",
              "veth",
              "peer",
              "name",
              lab.name("w"))
          .check("veth");
      lab.exec(ns, "ip", "address", "add", "192.0.2.1/24", "dev", lab.name("v")).check("addr");
      lab.exec(ns, "ip", "link", "set", lab.name("v"), "up").check("up");
      Config config =
          Config.parse(
              "[Interface]\nPrivateKey = "
                  + PrivateKey.generate().toBase64()
                  + "\nAddress = 10.100.0.1/24\n[Peer]\nPublicKey = "
                  + PrivateKey.generate().publicKey().toBase64()
                  + "\nAllowedIPs = 10.100.0.2/32\nEndpoint = 192.0.2.7:51820\n");
      PacketDevice dev =
          NetnsLab.inNamespace(ns, () -> new LinuxTunProvider().open(Optional.of(name), config));
      try {
        assertThat(dev.mtu()).isEqualTo(9000 - 80);
        assertThat(lab.exec(ns, "ip", "link", "show", name).stdout()).contains("mtu 8920");
      } finally {
        dev.close();
      }
    }
  }

  @Test
  void aFailingPostUpUndoesTheInterfaceAndItsRules() throws Exception {
    try (NetnsLab lab = new NetnsLab()) {
      String ns = lab.namespace("a");
      String name = lab.name("t");
      Config config = Config.parse(config("PostUp = exit 3\n", "0.0.0.0/0"));
      TunnelOptions o = TunnelOptions.builder().osDevice(name).noUapi().runHooks(true).build();
      assertThatThrownBy(() -> NetnsLab.inNamespace(ns, () -> Tunnel.open(config, o)))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("PostUp")
          .hasMessageContaining("status 3");
      assertThat(lab.exec(ns, "ip", "link", "show", name).exitCode()).isNotZero();
      assertThat(lab.exec(ns, "ip", "rule").stdout()).doesNotContain("51820");
    }
  }

  @Test
  void aKeylessConfigGetsItsKeyFromPostUpThroughWg() throws Exception {
    NetnsLab.requireTools("wg");
    try (NetnsLab lab = new NetnsLab()) {
      String ns = lab.namespace("a");
      String name = lab.name("t");
      PrivateKey key = PrivateKey.generate();
      Path keyFile = Files.writeString(dir.resolve("key"), key.toBase64() + "\n");
      Config config =
          Config.parse(
              "[Interface]\nListenPort = 51820\nAddress = 10.100.0.1/24\n"
                  + "PostUp = wg set %i private-key "
                  + keyFile
                  + "\n");
      TunnelOptions o = TunnelOptions.builder().osDevice(name).runHooks(true).build();
      try (Tunnel t = NetnsLab.inNamespace(ns, () -> Tunnel.open(config, o))) {
        assertThat(t.config().iface().privateKey()).contains(key);
        assertThat(lab.exec(ns, "wg", "show", name, "public-key").check("wg show").stdout().trim())
            .isEqualTo(key.publicKey().toBase64());
      }
    }
  }

  @Test
  void aNameInUseIsAClearError() throws Exception {
    try (NetnsLab lab = new NetnsLab()) {
      String ns = lab.namespace("a");
      lab.exec(
              ns, "ip", "link", "add", lab.name("d"), "type", "veth", "peer", "name", lab.name("e"))
          .check("veth");
      Config config = Config.parse(config("", "10.100.0.2/32"));
      assertThatThrownBy(
              () ->
                  NetnsLab.inNamespace(
                      ns, () -> new LinuxTunProvider().open(Optional.of(lab.name("d")), config)))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("TUNSETIFF");
    }
  }

  @Test
  void sigtermUndoesEverythingIncludingDns() throws Exception {
    try (NetnsLab lab = new NetnsLab()) {
      String ns = lab.namespace("a");
      String name = lab.name("t");
      Path conf =
          Files.writeString(
              dir.resolve(name + ".conf"),
              config("DNS = 10.0.0.53, example.com\n", "0.0.0.0/0, 10.9.0.0/16"));
      // a resolvconf that records how it was called
      Path bin = Files.createDirectories(dir.resolve("bin"));
      Path dnsLog = dir.resolve("resolvconf.log");
      Path fake =
          Files.writeString(
              bin.resolve("resolvconf"),
              "#!/bin/sh\necho \"$*\" >> " + dnsLog + "\ncat >> " + dnsLog + "\n");
      assertThat(fake.toFile().setExecutable(true)).isTrue();
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      ProcessBuilder pb =
          new ProcessBuilder(
                  "ip",
                  "netns",
                  "exec",
                  ns,
                  java,
                  "-cp",
                  System.getProperty("java.class.path"),
                  ProviderMain.class.getName(),
                  name,
                  conf.toString())
              .redirectErrorStream(true);
      pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
      Process child = pb.start();
      try {
        BufferedReader out =
            new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder log = new StringBuilder();
        String line;
        while ((line = out.readLine()) != null && !line.equals("READY")) {
          log.append(line).append('\n');
        }
        assertThat(line).as(log.toString()).isEqualTo("READY");
        assertThat(lab.exec(ns, "ip", "rule").stdout()).contains("lookup 51820");
        child.destroy(); // SIGTERM
        assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
      } finally {
        child.destroyForcibly();
      }
      assertThat(lab.exec(ns, "ip", "link", "show", name).exitCode()).isNotZero();
      assertThat(lab.exec(ns, "ip", "rule").stdout()).doesNotContain("51820");
      assertThat(Files.readAllLines(dnsLog))
          .containsExactly(
              "-a " + name + " -m 0 -x",
              "nameserver 10.0.0.53",
              "search example.com",
              "-d " + name + " -f");
    }
  }
}
