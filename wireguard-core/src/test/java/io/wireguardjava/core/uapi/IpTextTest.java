package io.wireguardjava.core.uapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpTextTest {

  @ParameterizedTest
  @CsvSource({
    "10.0.0.1/24, 10.0.0.0/24",
    "0.0.0.0/0, 0.0.0.0/0",
    "192.168.1.255/32, 192.168.1.255/32",
    "fd00::1/64, fd00::/64",
    "::/0, ::/0",
    "2001:DB8:0:0:1:0:0:1/128, 2001:db8::1:0:0:1/128",
    "2001:db8:0:0:0:0:2:1/128, 2001:db8::2:1/128",
    "2001:0:0:1:0:0:0:1/128, 2001:0:0:1::1/128",
    "::ffff:1.2.3.4/128, ::ffff:1.2.3.4/128",
    "1:2:3:4:5:6:7:8/128, 1:2:3:4:5:6:7:8/128",
    "1:0:3:4:5:6:7:8/128, 1:0:3:4:5:6:7:8/128",
    "fe80::/10, fe80::/10",
  })
  void prefixesAreMaskedAndWrittenAsGoDoes(String in, String out) {
    assertThat(IpText.parsePrefix(in)).hasToString(out);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "10.0.0.1",
        "10.0.0.1/33",
        "10.0.0.1/",
        "/24",
        "10.0.0/24",
        "010.0.0.1/8",
        "10.0.0.1/024",
        "10.0.0.256/32",
        "fd00::/129",
        "fd00:::1/64",
        "example.com/32",
        "1.2.3.4/-1",
        "::1%lo/128",
        "1:2:3:4:5:6:7:8:9/128",
        "1::2::3/128",
        ":1::/16",
        "1:/16",
        " 10.0.0.0/8",
        "10.0.0.0/8 ",
        "1.2.3.4/+8"
      })
  void badPrefixesAreRejected(String in) {
    assertThat(IpText.parsePrefix(in)).isNull();
  }

  @Test
  void endpoints() throws Exception {
    assertThat(IpText.parseEndpoint("192.0.2.1:51820"))
        .contains(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 51820));
    assertThat(IpText.parseEndpoint("[2001:db8::1]:443"))
        .contains(new InetSocketAddress(InetAddress.getByName("2001:db8::1"), 443));
    for (String bad :
        new String[] {
          "192.0.2.1", "192.0.2.1:", "192.0.2.1:65536", "2001:db8::1:443", "[2001:db8::1]443",
          "localhost:51820", "[1.2.3.4]:5", "192.0.2.1:-1", "[::1]:", ""
        }) {
      assertThat(IpText.parseEndpoint(bad)).as(bad).isEmpty();
    }
    assertThat(IpText.formatEndpoint(IpText.parseEndpoint("[2001:db8:0::1]:443").orElseThrow()))
        .isEqualTo("[2001:db8::1]:443");
    assertThat(IpText.formatEndpoint(IpText.parseEndpoint("10.1.2.3:9").orElseThrow()))
        .isEqualTo("10.1.2.3:9");
  }

  @Test
  void unsignedNumbersAsStrconv() {
    assertThat(IpText.parseUnsigned("65535", 0xffff)).isEqualTo(65535);
    assertThat(IpText.parseUnsigned("65536", 0xffff)).isNull();
    assertThat(IpText.parseUnsigned("+1", 0xffff)).isNull();
    assertThat(IpText.parseUnsigned("", 0xffff)).isNull();
    assertThat(IpText.parseUnsignedLong("4294967295", 0xffff_ffffL)).isEqualTo(0xffff_ffffL);
    assertThat(IpText.parseUnsignedLong("9999999999999999999", Long.MAX_VALUE)).isNull();
    assertThat(IpText.parseUnsignedLong("9223372036854775807", Long.MAX_VALUE))
        .isEqualTo(Long.MAX_VALUE);
  }
}
