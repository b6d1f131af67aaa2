package io.wireguardjava;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.wireguardjava.ConfigException.Reason;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every way the parser can fail, each with a private key somewhere in the offending line: the key's
 * text (or any 12 characters of it) is in no message, no {@code text()} and no {@code key()}. Issue
 * 13, defect 3: {@code PrivateKey <key>} without {@code =}, CR-only line endings and "not a known
 * section" used to print keys.
 */
class SecretsInConfigErrorsTest {
  static final String KEY = PrivateKey.generate().toBase64();
  static final String PUB = PrivateKey.generate().publicKey().toBase64();
  static final String IFACE =
      "[Interface]\nPrivateKey = " + PrivateKey.generate().toBase64() + "\n";
  static final String PEER = "[Peer]\nPublicKey = " + PUB + "\n";

  /** Every key of both formats, to put a secret in the value of each. */
  static final List<String> ALL_KEYS =
      List.of(
          "PrivateKey",
          "ListenPort",
          "FwMark",
          "Address",
          "DNS",
          "MTU",
          "Table",
          "PreUp",
          "PostUp",
          "PreDown",
          "PostDown",
          "SaveConfig",
          "PublicKey",
          "PresharedKey",
          "AllowedIPs",
          "Endpoint",
          "PersistentKeepalive");

  static Stream<Arguments> texts() {
    String noPad = KEY.substring(0, KEY.length() - 1);
    List<Arguments> cases = new ArrayList<>();
    // The lines of the issue.
    add(cases, "PrivateKey without =", "[Interface]\nPrivateKey " + noPad + "\n");
    add(cases, "PrivateKey <key>= (unknown key)", "[Interface]\nPrivateKey " + KEY + "\n");
    add(cases, "PrivateKey: <key>", "[Interface]\nPrivateKey: " + KEY + "\n");
    add(cases, "key alone", "[Interface]\n" + KEY + "\n");
    add(cases, "key alone, no padding", "[Interface]\n" + noPad + "\n");
    add(cases, "CR-only file", "[Interface]\rPrivateKey = " + KEY + "\rListenPort = 1\r");
    add(cases, "CR-only setconf", "[Interface]\rPrivateKey = " + KEY + "\r");
    add(cases, "CR-only, comment first", "# wg0\r[Interface]\rPrivateKey = " + KEY + "\r");
    add(cases, "CR-only, key first", "PrivateKey = " + KEY + "\r[Interface]\r");
    add(cases, "key in a section header", "[Interface " + KEY + "]\n");
    add(cases, "key as a section header", "[" + KEY + "]\n");
    add(cases, "key before any section", "PrivateKey = " + KEY + "\n" + IFACE);
    add(cases, "key text before any section", KEY + "\n" + IFACE);
    add(cases, "key as a key name", IFACE + KEY + " = 1\n");
    add(cases, "PrivateKey in a peer", IFACE + PEER + "PrivateKey = " + KEY + "\n");
    add(cases, "PresharedKey in the interface", "[Interface]\nPresharedKey = " + KEY + "\n");
    add(cases, "PrivateKey twice", IFACE + "PrivateKey = " + KEY + "\n");
    add(
        cases,
        "PresharedKey twice",
        IFACE + PEER + "PresharedKey = " + KEY + "\nPresharedKey = " + KEY + "\n");
    add(cases, "misspelt PrivateKey", "[Interface]\nPrivatKey = " + KEY + "\n");
    add(cases, "PrivateKey with a space", "[Interface]\nPrivate Key = " + KEY + "x\n");
    add(cases, "PrivateKey bad character", "[Interface]\nPrivateKey = " + KEY + "!\n");
    add(cases, "PrivateKey two keys", "[Interface]\nPrivateKey = " + KEY + "," + KEY + "\n");
    add(cases, "PrivateKey == key", "[Interface]\nPrivateKey == " + KEY + "\n");
    add(cases, "no private key after a broken line", "[Interface]\n" + KEY + "# x\n");
    add(cases, "wg-quick key in setconf", "[Interface]\nAddress = " + KEY + "\n", false);
    // The other reasons, with the secret keys of the file right above the bad line.
    String secrets =
        "[Interface]\nPrivateKey = " + KEY + "\n" + PEER + "PresharedKey = " + KEY + "\n";
    add(cases, "second interface", secrets + "[Interface]\nPrivateKey = " + KEY + "\n");
    add(
        cases,
        "key pasted as two public keys",
        secrets + "[Peer]\nPublicKey = " + KEY + "\n[Peer]\nPublicKey = " + KEY + "\n",
        false);
    add(cases, "port out of range", secrets + "Endpoint = h:70000\n");
    add(cases, "prefix too long", secrets + "AllowedIPs = 10.0.0.0/33\n");
    add(cases, "bad DNS server", "[Interface]\nPrivateKey = " + KEY + "\nDNS = 1.2.3.256\n");
    add(cases, "peer without public key", IFACE + "[Peer]\nPresharedKey = " + KEY + "\n");
    // The key pasted as the value of every key, in both sections: a non-secret value may be
    // quoted in part, never whole.
    for (String k : ALL_KEYS) {
      add(
          cases,
          k + " = key (interface)",
          IFACE.replace("PrivateKey", "#") + k + " = " + KEY + "x\n",
          false);
      add(cases, k + " = key (peer)", IFACE + PEER + k + " = " + KEY + "x\n", false);
      add(cases, k + " = key twice", IFACE + PEER + k + " = " + KEY + ", " + KEY + "\n", false);
    }
    return cases.stream();
  }

  private static void add(List<Arguments> cases, String name, String text) {
    add(cases, name, text, true);
  }

  private static void add(List<Arguments> cases, String name, String text, boolean strict) {
    cases.add(Arguments.of(name, text, strict));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("texts")
  void noKeyTextInAnyError(String name, String text, boolean strict) {
    for (boolean setconf : new boolean[] {false, true}) {
      ConfigException e =
          catchThrowableOfType(
              ConfigException.class,
              () -> {
                if (setconf) {
                  Config.parseSetconf(text);
                } else {
                  Config.parse(text);
                }
              });
      if (e == null) {
        continue; // this text is valid in this format (a setconf without a private key)
      }
      int window = strict ? 12 : KEY.length() - 1;
      assertNoKeyText(e.getMessage(), window);
      assertNoKeyText(e.toString(), window);
      e.text().ifPresent(t -> assertNoKeyText(t, window));
      e.key().ifPresent(k -> assertNoKeyText(k, window));
    }
  }

  @Test
  void everyReasonIsReached() throws Exception {
    // The cases above cover every reason a parse can fail with, so no error path is missed.
    Set<Reason> seen = EnumSet.noneOf(Reason.class);
    for (Arguments a : (Iterable<Arguments>) texts()::iterator) {
      String text = (String) a.get()[1];
      for (boolean setconf : new boolean[] {false, true}) {
        try {
          if (setconf) {
            Config.parseSetconf(text);
          } else {
            Config.parse(text);
          }
        } catch (ConfigException e) {
          seen.add(e.reason());
        }
      }
    }
    assertThat(seen).containsExactlyInAnyOrder(Reason.values());
  }

  @Test
  void crOnlyLineEndingsAreExplained() {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class, () -> Config.parse("[Interface]\rPrivateKey = " + KEY + "\r"));
    assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_SECTION);
    assertThat(e.getMessage()).contains("carriage returns").doesNotContain(KEY);
    ConfigException missing =
        catchThrowableOfType(ConfigException.class, () -> Config.parse("# wg0\r[Interface]\r"));
    assertThat(missing.reason()).isEqualTo(Reason.MISSING_SECTION);
    assertThat(missing.getMessage()).contains("carriage returns");
  }

  @Test
  void aMissingEqualsSignNamesTheKeyOnly() {
    String noPad = KEY.substring(0, KEY.length() - 1);
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class, () -> Config.parse("[Interface]\nPrivateKey " + noPad + "\n"));
    assertThat(e.reason()).isEqualTo(Reason.SYNTAX_ERROR);
    assertThat(e.getMessage())
        .isEqualTo(
            "line 2, [Interface]: the line is not a section header"
                + " or a key = value line (not shown: 54 characters, starting with PrivateKey)");
    assertThat(e.text()).isEmpty();
  }

  @Test
  void harmlessNamesAreStillQuoted() {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class, () -> Config.parse("[Interface]\nFoo = bar\n[Peers]\n"));
    assertThat(e.key()).contains("Foo");
    ConfigException section =
        catchThrowableOfType(ConfigException.class, () -> Config.parse("[Peers]\n"));
    assertThat(section.getMessage()).contains("'[Peers]' is not a known section");
  }

  /** No {@code window} characters in a row of the key (base64, or its hex form). */
  static void assertNoKeyText(String s, int window) {
    String hex = PrivateKey.fromBase64(KEY).toHex();
    for (String secret : List.of(KEY, hex)) {
      for (int i = 0; i + window <= secret.length(); i++) {
        assertThat(s).as("error text").doesNotContain(secret.substring(i, i + window));
      }
    }
  }
}
