package io.wireguardjava;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes {@link Config#parse} and {@link Config#parseSetconf}: any text gives a clear {@link
 * ConfigException} (a message, a reason, a line inside the text) or a config that prints back to
 * itself, whose {@code wg setconf} form ({@code wg-quick strip}) reads back with the same keys and
 * peers. Anything else (another exception, a hang) is a finding.
 *
 * <p>The input's first byte picks the format ({@code S}: setconf, anything else: wg-quick); the
 * rest is the text in UTF-8. Seeds: {@code
 * src/test/resources/io/wireguardjava/ConfigFuzzTestInputs}.
 */
class ConfigFuzzTest {

  @FuzzTest(maxDuration = "10s")
  void parseGivesAClearErrorOrAConfigThatPrintsBackToItself(byte[] input) {
    if (input.length == 0) {
      return;
    }
    boolean setconf = input[0] == 'S';
    String text = new String(input, 1, input.length - 1, StandardCharsets.UTF_8);
    Config config;
    try {
      config = setconf ? Config.parseSetconf(text) : Config.parse(text);
    } catch (ConfigException e) {
      assertThat(e.getMessage()).isNotBlank();
      assertThat(e.reason()).isNotNull();
      int lines = text.split("\n", -1).length;
      e.line().ifPresent(l -> assertThat(l).isBetween(1, lines));
      return;
    }
    String printed = setconf ? config.toSetconfString() : config.toWgQuickString();
    Config again = parseOrFail(printed, setconf);
    assertThat(again).isEqualTo(config);
    assertThat(setconf ? again.toSetconfString() : again.toWgQuickString()).isEqualTo(printed);

    Config stripped = parseOrFail(config.toSetconfString(), true);
    assertThat(stripped.peers()).isEqualTo(config.peers());
    assertThat(stripped.iface().privateKey()).isEqualTo(config.iface().privateKey());
    assertThat(stripped.iface().listenPort()).isEqualTo(config.iface().listenPort());
    assertThat(stripped.iface().fwMark()).isEqualTo(config.iface().fwMark());
  }

  private static Config parseOrFail(String text, boolean setconf) {
    try {
      return setconf ? Config.parseSetconf(text) : Config.parse(text);
    } catch (ConfigException e) {
      throw new AssertionError("printed config does not parse: " + e.getMessage(), e);
    }
  }
}
