package io.wireguardjava.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Properties;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Replays messages captured from the real wireguard-go 0.0.20220316 (see {@link
 * WireGuardGoInteropTest}, which wrote them) with the same keys and the same seeded randomness: our
 * messages must come out byte for byte as they were sent to wireguard-go, and wireguard-go's
 * messages must be accepted and decrypted.
 */
class WireGuardGoFixtureTest {

  private static Properties load(String name) throws IOException {
    Properties p = new Properties();
    try (InputStream in =
        WireGuardGoFixtureTest.class.getResourceAsStream("wireguard-go/" + name + ".properties")) {
      assertThat(in).as(name).isNotNull();
      p.load(in);
    }
    return p;
  }

  private static byte[] hex(Properties p, String key) {
    String v = p.getProperty(key);
    assertThat(v).as(key).isNotNull();
    return Hex.b(v);
  }

  private static byte @Nullable [] psk(Properties p) {
    String v = p.getProperty("preshared_key", "");
    return v.isEmpty() ? null : Hex.b(v);
  }

  private static byte[] addr(Properties p, int host) {
    return new byte[] {10, 99, (byte) Integer.parseInt(p.getProperty("tunnel_net")), (byte) host};
  }

  /** Our initiator's messages are reproduced exactly and wireguard-go's response accepted. */
  @ParameterizedTest
  @ValueSource(strings = {"initiator-no-psk", "initiator-psk"})
  void ourInitiatorAcceptsWireGuardGosResponse(String name) throws IOException {
    Properties p = load(name);
    byte[] wgPublic = X25519.publicKey(hex(p, "wireguard_go_private_key"));
    StaticIdentity me = StaticIdentity.of(hex(p, "our_private_key"));
    int seed = Integer.parseInt(p.getProperty("our_random_seed"));
    ManualTimeSource time = new ManualTimeSource(Long.parseLong(p.getProperty("our_epoch_nanos")));
    Handshake h = Handshake.create(me, wgPublic, psk(p), time, new SeededRandom(seed));
    byte[] init = new byte[148];
    h.createInitiation(Integer.parseInt(p.getProperty("our_local_index")), init, 0);
    assertThat(Hex.s(init)).isEqualTo(p.getProperty("initiation"));

    byte[] resp = hex(p, "response");
    Handshake.ResponseResult rr = h.consumeResponse(resp, 0, resp.length);
    assertThat(rr.reason()).isEqualTo(Reason.OK);
    Keypair k = rr.keypair();

    int host = name.endsWith("no-psk") ? 2 : 3;
    byte[] ping = IcmpPackets.echoRequest(addr(p, host), addr(p, 1), seed, 1);
    byte[] out = new byte[256];
    int n = k.seal(ping, 0, ping.length, out, 0);
    assertThat(Hex.s(Arrays.copyOf(out, n))).isEqualTo(p.getProperty("data_out"));

    byte[] in = hex(p, "data_in");
    byte[] plain = new byte[in.length];
    int m = k.open(in, 0, in.length, plain, 0);
    assertThat(m).isEqualTo(64);
    assertThat(IcmpPackets.isEchoReply(plain, m, addr(p, 1), addr(p, host), seed, 1)).isTrue();
    // wireguard-go's packet replayed.
    assertThat(Reason.fromCode(k.open(in, 0, in.length, plain, 0))).isEqualTo(Reason.REPLAYED);
  }

  /** wireguard-go's initiation is accepted and our response reproduced exactly. */
  @ParameterizedTest
  @ValueSource(strings = {"responder-no-psk", "responder-psk"})
  void ourResponderAcceptsWireGuardGosInitiation(String name) throws IOException {
    Properties p = load(name);
    byte[] wgPublic = X25519.publicKey(hex(p, "wireguard_go_private_key"));
    StaticIdentity me = StaticIdentity.of(hex(p, "our_private_key"));
    int seed = Integer.parseInt(p.getProperty("our_random_seed"));
    ManualTimeSource time = new ManualTimeSource(Long.parseLong(p.getProperty("our_epoch_nanos")));
    Handshake h = Handshake.create(me, wgPublic, psk(p), time, new SeededRandom(seed));

    byte[] init = hex(p, "initiation");
    CookieChecker checker = new CookieChecker(me, time, new SeededRandom(1));
    assertThat(checker.check(init, 0, 148, new byte[4], 0, false))
        .isEqualTo(CookieChecker.Verdict.VALID);
    Handshake.InitiationResult r =
        Handshake.consumeInitiation(
            me, init, 0, init.length, pub -> Arrays.equals(pub, wgPublic) ? h : null);
    assertThat(r.reason()).isEqualTo(Reason.OK);
    // The same initiation again is a replay.
    time.advance(java.time.Duration.ofSeconds(1));
    assertThat(Handshake.consumeInitiation(me, init, 0, init.length, pub -> h).reason())
        .isEqualTo(Reason.STALE_TIMESTAMP);

    byte[] resp = new byte[92];
    Keypair k = h.createResponse(Integer.parseInt(p.getProperty("our_local_index")), resp, 0);
    assertThat(Hex.s(resp)).isEqualTo(p.getProperty("response"));

    byte[] keepalive = hex(p, "data_in");
    byte[] plain = new byte[256];
    assertThat(k.open(keepalive, 0, keepalive.length, plain, 0)).isZero();

    int host = name.endsWith("no-psk") ? 4 : 5;
    byte[] ping = IcmpPackets.echoRequest(addr(p, host), addr(p, 1), seed, 1);
    byte[] out = new byte[256];
    int n = k.seal(ping, 0, ping.length, out, 0);
    assertThat(Hex.s(Arrays.copyOf(out, n))).isEqualTo(p.getProperty("data_out"));

    byte[] in = hex(p, "data_in2");
    int m = k.open(in, 0, in.length, plain, 0);
    assertThat(m).isEqualTo(64);
    assertThat(IcmpPackets.isEchoReply(plain, m, addr(p, 1), addr(p, host), seed, 1)).isTrue();
  }

  /** Our cookie reply is reproduced exactly; wireguard-go's retry carries a MAC2 we accept. */
  @org.junit.jupiter.api.Test
  void wireGuardGoAnswersOurCookieWithAValidMac2() throws IOException {
    Properties p = load("cookie");
    byte[] wgPublic = X25519.publicKey(hex(p, "wireguard_go_private_key"));
    StaticIdentity me = StaticIdentity.of(hex(p, "our_private_key"));
    int seed = Integer.parseInt(p.getProperty("our_random_seed"));
    ManualTimeSource time = new ManualTimeSource(Long.parseLong(p.getProperty("our_epoch_nanos")));
    CookieChecker checker = new CookieChecker(me, time, new SeededRandom(seed + 1));
    byte[] addr = hex(p, "source_address");
    int port = Integer.parseInt(p.getProperty("source_port"));
    byte[] init1 = hex(p, "initiation");
    assertThat(checker.check(init1, 0, 148, addr, port, true))
        .isEqualTo(CookieChecker.Verdict.NEEDS_COOKIE);
    byte[] reply = new byte[64];
    checker.writeCookieReply(init1, 0, 148, addr, port, reply, 0);
    // The recorded reply's nonce came straight from the seeded source; ours now come from a
    // ChaCha20 keystream keyed from it (NonceStream). So: the same header, and under the nonce
    // each carries, the same cookie (the one wireguard-go's retry below proves it used).
    byte[] recorded = hex(p, "cookie_reply");
    assertThat(Arrays.copyOf(reply, 8)).isEqualTo(Arrays.copyOf(recorded, 8));
    assertThat(cookieIn(me, reply, init1)).isEqualTo(cookieIn(me, recorded, init1));

    byte[] init2 = hex(p, "initiation2");
    assertThat(Arrays.copyOfRange(init2, 132, 148)).isNotEqualTo(new byte[16]);
    assertThat(checker.check(init2, 0, 148, addr, port, true))
        .isEqualTo(CookieChecker.Verdict.VALID);
    assertThat(checker.check(init2, 0, 148, addr, port + 1, true))
        .isEqualTo(CookieChecker.Verdict.NEEDS_COOKIE);
    Handshake h = Handshake.create(me, wgPublic, null, time, new SeededRandom(seed));
    assertThat(Handshake.consumeInitiation(me, init2, 0, 148, pub -> h).reason())
        .isEqualTo(Reason.OK);
  }

  /** The cookie a reply to {@code init} carries, decrypted with {@code me}'s cookie key. */
  private static byte[] cookieIn(StaticIdentity me, byte[] reply, byte[] init) {
    byte[] mac1 = Arrays.copyOfRange(init, 116, 132);
    byte[] cookie = new byte[16];
    assertThat(XChaCha20Poly1305.open(me.cookieKey, reply, 8, mac1, reply, 32, 32, cookie, 0))
        .isEqualTo(16);
    return cookie;
  }
}
