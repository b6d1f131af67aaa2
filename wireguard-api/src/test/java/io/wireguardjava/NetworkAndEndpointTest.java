package io.wireguardjava;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NetworkAndEndpointTest {

  @ParameterizedTest
  @CsvSource({
    "10.0.0.0/24, 10.0.0.0/24",
    "10.0.0.1, 10.0.0.1/32",
    "0.0.0.0/0, 0.0.0.0/0",
    "::/0, ::/0",
    "fd00::1, fd00::1/128",
    "FD00:0:0:0:0:0:0:1/64, fd00::1/64",
    "2001:db8:0:0:1:0:0:1/128, 2001:db8::1:0:0:1/128",
    "2001:0db8:0000:0000:0000:ff00:0042:8329/48, 2001:db8::ff00:42:8329/48",
    "1:0:0:2:0:0:0:3/128, 1:0:0:2::3/128",
    "::ffff:1.2.3.4/128, ::ffff:1.2.3.4/128",
    "::1.2.3.4/128, ::102:304/128",
    "1::/16, 1::/16",
    "1:2:3:4:5:6:7:8/128, 1:2:3:4:5:6:7:8/128",
  })
  void parsesAndPrintsNetworksCanonically(String text, String printed) {
    InetNetwork n = InetNetwork.parse(text);
    assertThat(n.toString()).isEqualTo(printed);
    assertThat(InetNetwork.parse(printed)).isEqualTo(n);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "/24",
        "10.0.0/24",
        "10.0.0.0.0/8",
        "010.0.0.1/32",
        "10.0.0.256",
        "10.0.0.0/",
        "10.0.0.0/024",
        "10.0.0.0/33",
        "fd00::/129",
        "fd00:::1/64",
        "1:2:3:4:5:6:7:8:9",
        "1::2::3",
        "g::1",
        "12345::",
        "localhost/32",
        "::ffff:1.2.3/128",
        "1:2:3:4:5:6:7::8/128x",
        " 10.0.0.0/8"
      })
  void rejectsBadNetworks(String text) {
    assertThatThrownBy(() -> InetNetwork.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void ipv4MappedStaysIpv6() {
    InetNetwork n = InetNetwork.parse("::ffff:10.0.0.1/128");
    assertThat(n.address()).isInstanceOf(Inet6Address.class);
    assertThat(n.isIpv4()).isFalse();
    assertThat(n).isNotEqualTo(InetNetwork.parse("10.0.0.1/32"));
  }

  /** Built from bytes or from an address object: the same value; the bytes are not kept. */
  @Test
  void fromBytesEqualsFromAddress() throws Exception {
    java.util.Random rnd = new java.util.Random(3);
    for (int i = 0; i < 10_000; i++) {
      byte[] b = new byte[rnd.nextBoolean() ? 4 : 16];
      rnd.nextBytes(b);
      int length = rnd.nextInt(b.length * 8 + 1);
      InetNetwork fromBytes = InetNetwork.of(b, length);
      InetAddress a =
          b.length == 4 ? InetAddress.getByAddress(b) : Inet6Address.getByAddress(null, b, -1);
      InetNetwork fromAddress = InetNetwork.of(a, length);
      assertThat(fromBytes).isEqualTo(fromAddress).hasSameHashCodeAs(fromAddress);
      assertThat(fromBytes.address()).isEqualTo(a);
      assertThat(fromBytes.addressBytes()).isEqualTo(b);
      assertThat(fromBytes.isIpv4()).isEqualTo(b.length == 4);
      assertThat(fromBytes.toString()).isEqualTo(InetNetwork.addressText(a) + "/" + length);
      assertThat(fromBytes.masked()).isEqualTo(InetNetwork.parse(fromBytes.toString()).masked());
      assertThat(InetNetwork.parse(fromBytes.toString())).isEqualTo(fromBytes);
      b[0] ^= 1;
      assertThat(fromBytes.addressBytes()).isNotEqualTo(b);
    }
    assertThatThrownBy(() -> InetNetwork.of(new byte[5], 8))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("4 or 16 bytes");
    assertThatThrownBy(() -> InetNetwork.of(new byte[4], 33))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0..32");
    byte[] mapped = new byte[16];
    mapped[10] = (byte) 0xff;
    mapped[11] = (byte) 0xff;
    assertThat(InetNetwork.of(mapped, 128).address()).isInstanceOf(Inet6Address.class);
    assertThat(InetNetwork.of(mapped, 128).isIpv4()).isFalse();
  }

  /** A scoped IPv6 address given as an object is kept as it was given. */
  @Test
  void keepsTheAddressObjectItWasGiven() throws Exception {
    Inet6Address scoped =
        Inet6Address.getByAddress(null, InetAddress.getByName("fe80::1").getAddress(), 3);
    InetNetwork n = InetNetwork.of(scoped, 64);
    assertThat(n.address()).isSameAs(scoped);
    assertThat(n).isEqualTo(InetNetwork.parse("fe80::1/64"));
  }

  @Test
  void containsAndMasked() throws Exception {
    InetNetwork n = InetNetwork.parse("10.1.2.3/20");
    assertThat(n.contains(InetAddress.getByName("10.1.15.255"))).isTrue();
    assertThat(n.contains(InetAddress.getByName("10.1.16.0"))).isFalse();
    assertThat(n.contains(InetAddress.getByName("::1"))).isFalse();
    assertThat(n.masked().toString()).isEqualTo("10.1.0.0/20");
    assertThat(InetNetwork.parse("0.0.0.0/0").contains(InetAddress.getByName("8.8.8.8"))).isTrue();
    InetNetwork v6 = InetNetwork.parse("fd00:1234:5678::9/35");
    assertThat(v6.masked().toString()).isEqualTo("fd00:1234:4000::/35");
    assertThat(v6.contains(InetAddress.getByName("fd00:1234:5fff::"))).isTrue();
    assertThat(v6.contains(InetAddress.getByName("fd00:1234:6000::"))).isFalse();
    assertThat(InetNetwork.of(InetAddress.getByName("fd00::1")).prefixLength()).isEqualTo(128);
    assertThatThrownBy(() -> InetNetwork.of(InetAddress.getByName("1.2.3.4"), 33))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @CsvSource({
    "vpn.example.com:51820, vpn.example.com, 51820",
    "1.2.3.4:1, 1.2.3.4, 1",
    "[2001:db8::1]:65535, 2001:db8::1, 65535",
    "[fe80::1%eth0]:51820, fe80::1%eth0, 51820",
    "my_host-1:80, my_host-1, 80",
  })
  void parsesEndpoints(String text, String host, int port) {
    Endpoint e = Endpoint.parse(text);
    assertThat(e.host()).isEqualTo(host);
    assertThat(e.port()).isEqualTo(port);
    assertThat(e.toString()).isEqualTo(text);
    assertThat(Endpoint.parse(e.toString())).isEqualTo(e);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "host",
        ":51820",
        "host:",
        "host:0",
        "host:65536",
        "host:-1",
        "host:1x",
        "[1.2.3.4]:1",
        "[::1:1",
        "[::1]1",
        "::1:51820",
        "[zz::1]:1",
        "a b:1",
        "a,b:1",
        "[::1]:",
        "[]:1",
        "a/b:1"
      })
  void rejectsBadEndpoints(String text) {
    assertThatThrownBy(() -> Endpoint.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void literalEndpointsResolveWithoutDns() throws Exception {
    Endpoint e = Endpoint.parse("[2001:db8::1]:51820");
    InetSocketAddress a = e.resolve();
    assertThat(a.isUnresolved()).isFalse();
    assertThat(a.getAddress()).isEqualTo(InetAddress.getByName("2001:db8::1"));
    assertThat(e.literalAddress()).isPresent();
    assertThat(Endpoint.parse("example.invalid:1").literalAddress()).isEmpty();
  }

  @Test
  void hostNamesStayUnresolvedAndResolveOnEachCall() throws Exception {
    Endpoint e = Endpoint.parse("localhost:51820");
    assertThat(e.host()).isEqualTo("localhost");
    assertThat(e.resolve().getAddress().isLoopbackAddress()).isTrue();
    assertThat(e.resolve()).isNotSameAs(e.resolve());
    assertThat(e.toString()).isEqualTo("localhost:51820");
  }

  @Test
  void endpointFromSocketAddress() throws Exception {
    assertThat(Endpoint.of(new InetSocketAddress(InetAddress.getByName("::1"), 7)).toString())
        .isEqualTo("[::1]:7");
    assertThat(Endpoint.of(InetSocketAddress.createUnresolved("example.org", 8)).toString())
        .isEqualTo("example.org:8");
    assertThatThrownBy(() -> Endpoint.of("h", 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Endpoint.of("::1::2", 1)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @CsvSource({
    "10.0.0.1, 10.0.0.1",
    "0:0:0:0:0:0:0:0, ::",
    "fd00:8:0:0:0:0:0:2, fd00:8::2",
    "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
    "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
  })
  void addressTextIsTheRfc5952Form(String in, String out) throws Exception {
    byte[] bytes = InetAddress.getByName(in).getAddress();
    InetAddress address =
        bytes.length == 4
            ? InetAddress.getByAddress(bytes)
            : Inet6Address.getByAddress(null, bytes, null);
    assertThat(InetNetwork.addressText(address)).isEqualTo(out);
  }

  @Test
  void addressTextKeepsAnIpv4MappedAddressIpv6() throws Exception {
    byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 1, 2, 3, 4};
    assertThat(InetNetwork.addressText(Inet6Address.getByAddress(null, mapped, null)))
        .isEqualTo("::ffff:1.2.3.4");
  }
}
