package io.wireguardjava.uapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UapiTextTest {

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
    assertThat(UapiText.parsePrefix(in)).hasToString(out);
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
    assertThat(UapiText.parsePrefix(in)).isNull();
  }

  @Test
  void endpoints() throws Exception {
    assertThat(UapiText.parseEndpoint("192.0.2.1:51820")).hasToString("192.0.2.1:51820");
    assertThat(UapiText.parseEndpoint("[2001:db8::1]:443")).hasToString("[2001:db8::1]:443");
    for (String bad :
        new String[] {
          "192.0.2.1",
          "192.0.2.1:",
          "192.0.2.1:65536",
          "2001:db8::1:443",
          "[2001:db8::1]443",
          "localhost:51820",
          "[1.2.3.4]:5",
          "192.0.2.1:-1",
          "[::1]:",
          "",
          "192.0.2.1:0"
        }) {
      assertThat(UapiText.parseEndpoint(bad)).as(bad).isNull();
    }
    assertThat(
            UapiText.formatEndpoint(
                new InetSocketAddress(InetAddress.getByName("2001:db8:0::1"), 443)))
        .isEqualTo("[2001:db8::1]:443");
    assertThat(UapiText.formatEndpoint(new InetSocketAddress("10.1.2.3", 9)))
        .isEqualTo("10.1.2.3:9");
  }

  @Test
  void unsignedNumbersAsStrconv() {
    assertThat(UapiText.parseUnsigned("65535", 0xffff)).isEqualTo(65535);
    assertThat(UapiText.parseUnsigned("65536", 0xffff)).isEqualTo(-1);
    assertThat(UapiText.parseUnsigned("+1", 0xffff)).isEqualTo(-1);
    assertThat(UapiText.parseUnsigned("", 0xffff)).isEqualTo(-1);
    assertThat(UapiText.parseUnsigned("4294967295", 0xffff_ffffL)).isEqualTo(0xffff_ffffL);
    assertThat(UapiText.parseUnsigned("9999999999999999999", Long.MAX_VALUE)).isEqualTo(-1);
    assertThat(UapiText.parseUnsigned("9223372036854775807", Long.MAX_VALUE))
        .isEqualTo(Long.MAX_VALUE);
  }
}
