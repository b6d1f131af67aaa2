package io.wireguardjava.uapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wireguardjava.InetNetwork;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link AllowedIpText}, the in-place parser of {@code allowed_ip=} values, against the text parser
 * it stands in for ({@link UapiText#parsePrefix}), and the set parser's errors naming the line.
 */
class AllowedIpTextTest {

  private static InetNetwork parse(String text) {
    byte[] b = ("xx" + text + "yy").getBytes(StandardCharsets.ISO_8859_1);
    return AllowedIpText.parse(b, 2, b.length - 2); // an offset and a limit, as in a line
  }

  @Test
  void readsIpv4PrefixesAndClearsHostBits() {
    assertThat(parse("10.1.2.3/32")).isEqualTo(InetNetwork.parse("10.1.2.3/32"));
    assertThat(parse("10.1.2.3/24")).isEqualTo(InetNetwork.parse("10.1.2.0/24"));
    assertThat(parse("255.255.255.255/0")).isEqualTo(InetNetwork.parse("0.0.0.0/0"));
    assertThat(parse("0.0.0.0/0")).isEqualTo(InetNetwork.parse("0.0.0.0/0"));
    assertThat(parse("192.168.255.1/17")).isEqualTo(InetNetwork.parse("192.168.128.0/17"));
    assertThat(parse("fd00::1/64")).isEqualTo(InetNetwork.parse("fd00::/64"));
  }

  @Test
  void refusesWhatTheTextParserRefuses() {
    for (String bad :
        List.of(
            "",
            "/",
            "10.0.0.1",
            "10.0.0.1/",
            "10.0.0.1/33",
            "10.0.0.1/032",
            "10.0.0.01/32",
            "10.0.0.256/32",
            "10.0.0/24",
            "10.0.0.0.0/24",
            "10.0.0.1/3/2",
            "10.0.0.1 /32",
            "10.0.0.1/32 ",
            "-10.0.0.1/32",
            "1000.0.0.1/32",
            "10.0.0.1/1000",
            "a.b.c.d/8",
            "10..0.1/32",
            "10.0.0.1/+3",
            "::1",
            "fd00::/129",
            "\u00e90.0.0.1/32")) {
      assertThat(parse(bad)).as(bad).isNull();
      assertThat(UapiText.parsePrefix(bad)).as(bad).isNull();
    }
  }

  /** Random texts near the grammar (digits, dots, slashes, colons) parse as the text parser. */
  @Test
  void agreesWithTheTextParserOnRandomInput() {
    Random rnd = new Random(7);
    String alphabet = "0123456789012345678901234567890123456789....//:af ";
    for (int i = 0; i < 200_000; i++) {
      StringBuilder sb = new StringBuilder();
      if (rnd.nextBoolean()) { // mostly well-formed, with a random change
        sb.append(rnd.nextInt(300)).append('.').append(rnd.nextInt(300)).append('.');
        sb.append(rnd.nextInt(300)).append('.').append(rnd.nextInt(300)).append('/');
        sb.append(rnd.nextInt(40));
        if (rnd.nextInt(4) == 0) {
          sb.setCharAt(rnd.nextInt(sb.length()), alphabet.charAt(rnd.nextInt(alphabet.length())));
        }
      } else {
        for (int n = rnd.nextInt(20); n > 0; n--) {
          sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
        }
      }
      String text = sb.toString();
      assertThat(parse(text)).as(text).isEqualTo(UapiText.parsePrefix(text));
    }
  }

  @Test
  void aMalformedAddressNamesItsLine() throws Exception {
    SetRequest.Parser parser = new SetRequest.Parser();
    parser.line("public_key=" + "ab".repeat(32));
    byte[] good = "allowed_ip=10.0.0.1/32".getBytes(StandardCharsets.US_ASCII);
    parser.line(good, good.length);
    byte[] bad = "allowed_ip=10.0.0.300/32".getBytes(StandardCharsets.US_ASCII);
    assertThatThrownBy(() -> parser.line(bad, bad.length))
        .isInstanceOf(UapiException.class)
        .hasMessageStartingWith("line 3: failed to set allowed ip: \"10.0.0.300/32\"")
        .satisfies(e -> assertThat(((UapiException) e).errno()).isEqualTo(Errno.INVALID));
  }

  @Test
  void aLineReadAsBytesMeansWhatItMeansAsText() throws Exception {
    List<String> lines =
        List.of(
            "public_key=" + "ab".repeat(32),
            "allowed_ip=10.0.0.1/32",
            "allowed_ip=10.0.0.9/24",
            "allowed_ip=fd00::1/128",
            "allowed_ip=-10.0.0.1/32",
            "public_key=" + "cd".repeat(32),
            "allowed_ip=10.0.0.1/32");
    SetRequest.Parser bytes = new SetRequest.Parser();
    for (String l : lines) {
      byte[] b = l.getBytes(StandardCharsets.ISO_8859_1);
      bytes.line(b, b.length);
    }
    SetRequest.Parser text = new SetRequest.Parser();
    for (String l : lines) {
      text.line(l);
    }
    io.wireguardjava.Config empty = io.wireguardjava.Config.builder().build();
    assertThat(bytes.finish().applyTo(empty)).isEqualTo(text.finish().applyTo(empty));
    assertThat(bytes.finish().applyTo(empty).peers().get(0).allowedIps())
        .extracting(Object::toString)
        .containsExactly("10.0.0.0/24", "fd00::1/128");
  }
}
