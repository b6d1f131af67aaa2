package io.wireguardjava;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/** parse(print(c)) equals c, for generated configurations. */
class ConfigRoundTripPropertiesTest {

  @Property(tries = 250)
  void wgQuickTextReadsBackEqual(@ForAll("configs") Config config) throws Exception {
    String text = config.toWgQuickString();
    Config back = Config.parse(text);
    assertThat(back).isEqualTo(config);
    assertThat(back.toWgQuickString()).isEqualTo(text);
  }

  @Property(tries = 250)
  void setconfTextReadsBackWithoutWgQuickSettings(@ForAll("configs") Config config)
      throws Exception {
    Config back = Config.parseSetconf(config.toSetconfString());
    assertThat(back).isEqualTo(config.withoutWgQuickSettings());
    assertThat(back.iface().hasWgQuickSettings()).isFalse();
  }

  /** Key case, spacing, comments and blank lines do not change the meaning. */
  @Property(tries = 250)
  void reformattedTextReadsBackEqual(@ForAll("configs") Config config, @ForAll long seed)
      throws Exception {
    Random random = new Random(seed);
    StringBuilder noisy = new StringBuilder();
    for (String line : config.toWgQuickString().split("\n")) {
      if (random.nextInt(4) == 0) {
        noisy.append(random.nextBoolean() ? "\n" : "  # a comment = [Peer]\n");
      }
      int eq = line.indexOf(" = ");
      if (eq > 0) {
        String key = line.substring(0, eq);
        key = random.nextBoolean() ? key.toLowerCase(Locale.ROOT) : key.toUpperCase(Locale.ROOT);
        String sep = List.of("=", " =", "= ", "\t=\t", "  =  ").get(random.nextInt(5));
        line = key + sep + line.substring(eq + 3);
      } else if (line.startsWith("[")) {
        line = random.nextBoolean() ? line.toLowerCase(Locale.ROOT) : line;
      }
      noisy
          .append(random.nextBoolean() ? " " : "")
          .append(line)
          .append(random.nextBoolean() ? "\t# trailing comment" : "")
          .append(random.nextBoolean() ? "\r\n" : "\n");
    }
    assertThat(Config.parse(noisy.toString())).isEqualTo(config);
  }

  // ------------------------------------------------------------------ generators

  @Provide
  Arbitrary<Config> configs() {
    Arbitrary<List<Peer>> peers = peer().list().ofMaxSize(5).uniqueElements(Peer::publicKey);
    return Combinators.combine(iface(), peers)
        .as((i, p) -> Config.builder().iface(i).addPeers(p).build());
  }

  static Arbitrary<byte[]> keyBytes() {
    return Arbitraries.bytes().array(byte[].class).ofSize(32);
  }

  static Arbitrary<InetAddress> addresses() {
    Arbitrary<InetAddress> v4 =
        Arbitraries.bytes().array(byte[].class).ofSize(4).map(InetLiterals::of);
    Arbitrary<InetAddress> v6 =
        Arbitraries.bytes().array(byte[].class).ofSize(16).map(InetLiterals::of);
    // Sparse IPv6 addresses exercise "::" compression; mapped ones the IPv4 tail.
    Arbitrary<InetAddress> sparse =
        Arbitraries.integers()
            .between(0, 0xffff)
            .list()
            .ofSize(8)
            .map(
                groups -> {
                  byte[] b = new byte[16];
                  for (int g = 0; g < 8; g++) {
                    int v = groups.get(g) % 3 == 0 ? 0 : groups.get(g);
                    b[2 * g] = (byte) (v >> 8);
                    b[2 * g + 1] = (byte) v;
                  }
                  return InetLiterals.of(b);
                });
    Arbitrary<InetAddress> mapped =
        Arbitraries.bytes()
            .array(byte[].class)
            .ofSize(4)
            .map(
                v -> {
                  byte[] b = new byte[16];
                  b[10] = (byte) 0xff;
                  b[11] = (byte) 0xff;
                  System.arraycopy(v, 0, b, 12, 4);
                  return InetLiterals.of(b);
                });
    return Arbitraries.frequencyOf(
        Tuple.of(4, v4), Tuple.of(2, v6), Tuple.of(3, sparse), Tuple.of(1, mapped));
  }

  static Arbitrary<InetNetwork> networks() {
    return addresses()
        .flatMap(
            a ->
                Arbitraries.integers()
                    .between(0, a.getAddress().length * 8)
                    .map(p -> InetNetwork.of(a, p)));
  }

  static Arbitrary<String> domains() {
    Arbitrary<String> label =
        Arbitraries.strings()
            .withCharRange('a', 'z')
            .withChars("-_")
            .ofMinLength(1)
            .ofMaxLength(10)
            .filter(s -> Character.isLetter(s.charAt(0)));
    return label.list().ofMinSize(1).ofMaxSize(4).map(l -> String.join(".", l));
  }

  static Arbitrary<String> hooks() {
    return Arbitraries.strings()
        .withCharRange(' ', '~')
        .ofMinLength(1)
        .ofMaxLength(60)
        .map(s -> s.replace('#', '_').strip())
        .filter(s -> !s.isEmpty());
  }

  static Arbitrary<Interface> iface() {
    Arbitrary<Interface.Builder> base =
        Combinators.combine(
                keyBytes().map(PrivateKey::fromBytes),
                Arbitraries.integers().between(-1, 65535),
                Arbitraries.integers().injectDuplicates(0.1).edgeCases(e -> e.add(0)),
                networks().list().ofMaxSize(4),
                addresses().list().ofMaxSize(3),
                domains().list().ofMaxSize(3),
                Arbitraries.integers().between(67, 65535),
                Arbitraries.of("", "off", "auto", "main", "1234", "vpn_table"))
            .as(
                (key, port, mark, addrs, dns, search, mtu, table) -> {
                  Interface.Builder b =
                      Interface.builder()
                          .privateKey(key)
                          .fwMark(mark)
                          .addresses(addrs)
                          .dnsServers(dns)
                          .dnsSearch(search);
                  if (port >= 0) {
                    b.listenPort(port);
                  }
                  if (mtu >= 68) {
                    b.mtu(mtu);
                  }
                  if (!table.isEmpty()) {
                    b.table(table);
                  }
                  return b;
                });
    return Combinators.combine(
            base,
            hooks().list().ofMaxSize(3),
            hooks().list().ofMaxSize(2),
            hooks().list().ofMaxSize(2),
            hooks().list().ofMaxSize(2),
            Arbitraries.of(true, false))
        .as(
            (b, preUp, postUp, preDown, postDown, save) -> {
              preUp.forEach(b::addPreUp);
              postUp.forEach(b::addPostUp);
              preDown.forEach(b::addPreDown);
              postDown.forEach(b::addPostDown);
              return b.saveConfig(save).build();
            });
  }

  static Arbitrary<Endpoint> endpoints() {
    Arbitrary<String> hosts =
        Arbitraries.oneOf(
            addresses().map(InetLiterals::format),
            domains(),
            Arbitraries.of("FD00::1", "fe80::1%eth0", "localhost"));
    return Combinators.combine(hosts, Arbitraries.integers().between(1, 65535)).as(Endpoint::of);
  }

  static Arbitrary<Peer> peer() {
    return Combinators.combine(
            keyBytes().map(Key::fromBytes),
            keyBytes().map(PresharedKey::fromBytes).injectNull(0.5),
            networks().list().ofMaxSize(5),
            endpoints().injectNull(0.3),
            Arbitraries.integers().between(0, 65535).edgeCases(e -> e.add(0)))
        .as(
            (key, psk, ips, endpoint, keepalive) -> {
              Peer.Builder b =
                  Peer.builder().publicKey(key).allowedIps(ips).persistentKeepalive(keepalive);
              if (psk != null) {
                b.presharedKey(psk);
              }
              if (endpoint != null) {
                b.endpoint(endpoint);
              }
              return b.build();
            });
  }
}
