package io.wireguardjava.uapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.wireguardjava.PrivateKey;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every way a UAPI {@code set} line can be refused, each with a private key's hex in it: the key
 * (or any 16 hex digits of it) is in no exception message and no log record at any level, the
 * server's included. Issue 13, defect 3: a line without {@code =} was logged at INFO whole.
 */
class SecretsInUapiErrorsTest {
  static final PrivateKey SECRET = PrivateKey.generate();
  static final String HEX = SECRET.toHex();
  static final String PEER = "public_key=" + PrivateKey.generate().publicKey().toHex();

  /** System.Logger goes to java.util.logging here: every record of the project, at any level. */
  static final List<LogRecord> RECORDS = new CopyOnWriteArrayList<>();

  static final Logger ROOT = Logger.getLogger("io.wireguardjava");
  static final Handler CAPTURE =
      new Handler() {
        @Override
        public void publish(LogRecord r) {
          RECORDS.add(r);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };
  static Level oldLevel;

  @TempDir Path tmp;

  @BeforeAll
  static void capture() {
    oldLevel = ROOT.getLevel();
    ROOT.setLevel(Level.ALL);
    CAPTURE.setLevel(Level.ALL);
    ROOT.addHandler(CAPTURE);
  }

  @AfterAll
  static void release() {
    ROOT.removeHandler(CAPTURE);
    ROOT.setLevel(oldLevel);
  }

  /** Bad requests: lines, and whether the key sits where only a non-secret value belongs. */
  static Stream<Arguments> requests() {
    List<Arguments> cases = new ArrayList<>();
    add(cases, "private_key without =", "private_key " + HEX);
    add(cases, "private_key glued", "private_key" + HEX);
    add(cases, "hex alone", HEX);
    add(cases, "hex as a key name", HEX + "=1");
    add(cases, "name and hex as a key name", "private_key" + HEX + "=1");
    add(cases, "private_key one digit long", "private_key=" + HEX + "0");
    add(cases, "private_key one digit short", "private_key=" + HEX.substring(1));
    add(cases, "private_key not hex", "private_key=" + HEX.substring(1) + "g");
    add(cases, "private_key with CR", "private_key=" + HEX + "\r");
    add(cases, "private_key in a peer", PEER, "private_key=" + HEX);
    add(cases, "preshared_key on the device", "preshared_key=" + HEX);
    add(cases, "preshared_key without =", PEER, "preshared_key " + HEX);
    add(cases, "preshared_key too long", PEER, "preshared_key=" + HEX + HEX);
    add(cases, "preshared_key not hex", PEER, "preshared_key=" + HEX.substring(2) + "zz");
    add(cases, "good key, then a bad line", "private_key=" + HEX, "listen_port=x");
    add(
        cases,
        "good keys, then no =",
        "private_key=" + HEX,
        PEER,
        "preshared_key=" + HEX,
        "allowed_ip");
    for (String key : List.of("listen_port", "fwmark", "replace_peers", "public_key")) {
      cases.add(Arguments.of(key + " = key", List.of(key + "=" + HEX + "0"), false));
    }
    for (String key :
        List.of(
            "update_only",
            "remove",
            "endpoint",
            "persistent_keepalive_interval",
            "replace_allowed_ips",
            "allowed_ip",
            "protocol_version")) {
      cases.add(Arguments.of(key + " = key", List.of(PEER, key + "=" + HEX), false));
    }
    return cases.stream();
  }

  private static void add(List<Arguments> cases, String name, String... lines) {
    cases.add(Arguments.of(name, List.of(lines), true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("requests")
  void parserMessagesHoldNoKey(String name, List<String> lines, boolean strict) {
    UapiException e = catchThrowableOfType(UapiException.class, () -> SetRequest.parse(lines));
    assertThat(e).as(name).isNotNull();
    assertNoKey(e.getMessage(), strict);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("requests")
  void serverLogsHoldNoKey(String name, List<String> lines, boolean strict) throws IOException {
    FakeTunnel backend = new FakeTunnel("hsc0");
    RECORDS.clear();
    try (UapiServer server =
        UapiServer.start(tmp.resolve("run"), backend, UapiServer.Limits.DEFAULT)) {
      String reply = UapiServerTest.exchange(server, "set=1\n" + String.join("\n", lines) + "\n\n");
      assertThat(reply).startsWith("errno=-").endsWith("\n\n");
      assertNoKey(reply, true);
    }
    assertThat(RECORDS).as("the refusal is logged (at DEBUG)").isNotEmpty();
    for (LogRecord r : RECORDS) {
      assertNoKey(new java.util.logging.SimpleFormatter().formatMessage(r), strict);
      if (r.getThrown() != null) {
        assertNoKey(r.getThrown().toString(), strict);
      }
    }
  }

  @Test
  void anOperationLineIsNotLoggedWhole() throws IOException {
    RECORDS.clear();
    try (UapiServer server =
        UapiServer.start(tmp.resolve("run"), new FakeTunnel("hsc1"), UapiServer.Limits.DEFAULT)) {
      assertThat(UapiServerTest.exchange(server, "private_key=" + HEX + "\n\n"))
          .isEqualTo("errno=-71\n\n");
    }
    assertThat(RECORDS).isNotEmpty();
    for (LogRecord r : RECORDS) {
      assertNoKey(new java.util.logging.SimpleFormatter().formatMessage(r), true);
    }
  }

  @Test
  void aMalformedGetReplyIsNotQuotedWhole() {
    UapiException e =
        catchThrowableOfType(
            UapiException.class, () -> GetReply.parse(List.of("private_key=" + HEX + "0")));
    assertNoKey(e.getMessage(), true);
    UapiException noEquals =
        catchThrowableOfType(
            UapiException.class, () -> GetReply.parse(List.of("private_key " + HEX)));
    assertNoKey(noEquals.getMessage(), true);
  }

  @Test
  void nothingAboveDebugForAClientsMistake() throws IOException {
    RECORDS.clear();
    try (UapiServer server =
        UapiServer.start(tmp.resolve("run"), new FakeTunnel("hsc2"), UapiServer.Limits.DEFAULT)) {
      UapiServerTest.exchange(server, "set=1\nprivate_key " + HEX + "\n\n");
    }
    assertThat(RECORDS).allMatch(r -> r.getLevel().intValue() <= Level.FINE.intValue());
  }

  /**
   * Strict: no 16 hex digits of the key in a row. Otherwise (the key where a non-secret value
   * belongs, which may be quoted in part): not the whole key.
   */
  static void assertNoKey(String s, boolean strict) {
    int window = strict ? 16 : HEX.length();
    String lower = s.toLowerCase(java.util.Locale.ROOT);
    for (int i = 0; i + window <= HEX.length(); i++) {
      assertThat(lower).doesNotContain(HEX.substring(i, i + window));
    }
    assertThat(s).doesNotContain(SECRET.toBase64());
  }
}
