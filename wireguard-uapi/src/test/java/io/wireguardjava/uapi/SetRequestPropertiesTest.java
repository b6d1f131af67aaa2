package io.wireguardjava.uapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.wireguardjava.Config;
import io.wireguardjava.InetNetwork;
import io.wireguardjava.Peer;
import io.wireguardjava.PrivateKey;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever a client sends, parsing ends in a request or in wireguard-go's errno, never worse. */
class SetRequestPropertiesTest {
  static final String PEER = PrivateKey.generate().publicKey().toHex();

  @Provide
  Arbitrary<List<String>> lines() {
    Arbitrary<String> keys =
        Arbitraries.of(
            "private_key",
            "listen_port",
            "fwmark",
            "replace_peers",
            "public_key",
            "remove",
            "update_only",
            "preshared_key",
            "endpoint",
            "persistent_keepalive_interval",
            "replace_allowed_ips",
            "allowed_ip",
            "protocol_version",
            "x");
    Arbitrary<String> values =
        Arbitraries.oneOf(
            Arbitraries.strings().ofMaxLength(70),
            Arbitraries.strings().withChars("0123456789abcdef").ofLength(64),
            Arbitraries.of(
                "true",
                "1",
                "0",
                "65535",
                "65536",
                "10.0.0.1/24",
                "-fd00::/8",
                "[::1]:5",
                "1.2.3.4:0",
                PEER),
            Arbitraries.strings().withChars("0123456789.:/[]-%").ofMaxLength(50));
    Arbitrary<String> line =
        Arbitraries.oneOf(
            keys.flatMap(k -> values.map(v -> k + "=" + v)),
            Arbitraries.strings().ofMaxLength(100));
    return line.list().ofMaxSize(30);
  }

  @Property(tries = 400)
  void parseNeverThrowsAnythingElse(@ForAll("lines") List<String> lines) {
    try {
      SetRequest r = SetRequest.parse(lines);
      Config s = r.applyTo(Fixtures.EMPTY);
      // Applying twice from the result is well-defined too, and no prefix has two owners.
      s = r.applyTo(s);
      List<InetNetwork> seen = new ArrayList<>();
      for (Peer p : s.peers()) {
        for (InetNetwork prefix : p.allowedIps()) {
          assertThat(seen).doesNotContain(prefix);
          seen.add(prefix);
        }
      }
    } catch (UapiException e) {
      assertThat(e.errno()).isIn(Errno.INVALID, Errno.PROTOCOL);
    }
  }
}
