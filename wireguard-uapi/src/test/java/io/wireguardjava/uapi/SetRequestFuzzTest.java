package io.wireguardjava.uapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.wireguardjava.Config;
import io.wireguardjava.Endpoint;
import io.wireguardjava.InetNetwork;
import io.wireguardjava.Key;
import io.wireguardjava.Peer;
import io.wireguardjava.PrivateKey;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Fuzzes the UAPI {@code set} parser and its application: any request body either fails to parse
 * with a negative errno, changing nothing, or parses and then applies without failing (all or
 * nothing) to a valid device: no peer with the device's own key, no two peers with one key, no
 * prefix owned twice, and a {@code get} reply that reads back as the same settings.
 *
 * <p>Input: the request's bytes as ISO-8859-1 (as the server reads them), split into lines at
 * {@code \n}. Seeds: {@code src/test/resources/io/wireguardjava/uapi/SetRequestFuzzTestInputs}.
 */
class SetRequestFuzzTest {
  static final PrivateKey OWN =
      PrivateKey.fromHex("e84b5a6d2717c1003a13b431570353dbaca9146cf150c5f8575680feba52027a");
  static final Key PEER_A =
      Key.fromHex("b85996fecc9c7f1fc6d2572a76eda11d59bcd20be8e543b15ce4bd85a8e75a33");
  static final Key PEER_B =
      Key.fromHex("58402e695ba1772b1cc9309755f043251ea77fdcf10fbe63989ceb7e19321376");
  static final Config BASE =
      Fixtures.config(
          Optional.of(OWN),
          51820,
          0,
          List.of(
              Fixtures.peer(
                  PEER_A,
                  Optional.empty(),
                  Optional.of(Endpoint.parse("192.0.2.1:51820")),
                  25,
                  List.of(Fixtures.prefix("10.0.0.0/24"), Fixtures.prefix("fd00::/64"))),
              Fixtures.peer(
                  PEER_B,
                  Optional.empty(),
                  Optional.empty(),
                  0,
                  List.of(Fixtures.prefix("10.0.1.0/24")))));

  @FuzzTest(maxDuration = "10s")
  void aRequestParsesAndAppliesWholeOrNotAtAll(byte[] input) throws Exception {
    String body = new String(input, StandardCharsets.ISO_8859_1);
    List<String> lines = Arrays.asList(body.split("\n", -1));
    // The server reads lines as bytes (allowed_ip= values parsed in place): same outcome as text.
    SetRequest.Parser fromBytes = new SetRequest.Parser();
    int bytesErrno = 0;
    try {
      for (String line : lines) {
        byte[] b = line.getBytes(StandardCharsets.ISO_8859_1);
        fromBytes.line(b, b.length);
      }
    } catch (UapiException e) {
      bytesErrno = e.errno();
    }
    SetRequest request;
    try {
      request = SetRequest.parse(lines);
    } catch (UapiException e) {
      assertThat(e.errno()).isNegative().isEqualTo(bytesErrno);
      return;
    }
    assertThat(bytesErrno).as("refused when read as bytes").isZero();
    Config after = request.applyTo(BASE);
    assertThat(fromBytes.finish().applyTo(BASE)).isEqualTo(after);
    Set<Key> keys = new HashSet<>();
    Set<InetNetwork> prefixes = new HashSet<>();
    for (Peer p : after.peers()) {
      assertThat(keys.add(p.publicKey())).as("one peer per key").isTrue();
      after
          .iface()
          .privateKey()
          .ifPresent(k -> assertThat(p.publicKey()).isNotEqualTo(k.publicKey()));
      for (InetNetwork prefix : p.allowedIps()) {
        assertThat(prefixes.add(prefix)).as("%s owned once", prefix).isTrue();
      }
    }
    // What a get would answer reads back as the same settings.
    String reply =
        GetReplyTest.render(after, after.iface().listenPort().orElse(0), java.util.Map.of());
    List<String> replyLines = Arrays.asList(reply.split("\n"));
    UapiDevice read = GetReply.parse(reply.isEmpty() ? List.of() : replyLines);
    assertThat(read.config()).isEqualTo(after);
  }
}
