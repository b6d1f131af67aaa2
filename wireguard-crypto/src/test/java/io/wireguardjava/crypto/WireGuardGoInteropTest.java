package io.wireguardjava.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Live interop with the real wireguard-go (needs root, ip, wg, wireguard-go; runs and fails, not
 * skips, when CI=true). Five peers of one wireguard-go: we initiate without and with a preshared
 * key, and wireguard-go initiates to us without and with one; each of these ends with an ICMP echo
 * through the tunnel answered by the namespace's kernel. The fifth peer is "under load":
 * wireguard-go gets our cookie reply and retries with a MAC2 that we accept (~5 s). The messages
 * are written to {@code target/wireguard-go-fixtures/} in the format of the checked-in fixtures
 * that {@link WireGuardGoFixtureTest} replays.
 */
class WireGuardGoInteropTest {

  static final byte[] WG_PRIVATE =
      Hex.b("a8c0e31e1c6f2f3d9d4a3b2c1d0e0f101112131415161718191a1b1c1d1e1f60");
  static final byte[] PSK =
      Hex.b("0123456789abcdeffedcba98765432100123456789abcdeffedcba9876543210");

  @Test
  @Timeout(40)
  void handshakesAndTransportWithWireGuardGo() throws Exception {
    WireGuardGoLab.assumeAvailable();
    try (WireGuardGoLab lab = WireGuardGoLab.start(WG_PRIVATE)) {
      try {
        weInitiate(lab, "initiator-no-psk", 2, null, 11);
        weInitiate(lab, "initiator-psk", 3, PSK, 12);
        theyInitiate(lab, "responder-no-psk", 4, null, 13);
        theyInitiate(lab, "responder-psk", 5, PSK, 14);
        cookieRoundTrip(lab, "cookie", 6, 15);
        assertThat(lab.show()).contains(Base64Key.of(StaticIdentity.of(key(11)).publicKey()));
      } catch (AssertionError | Exception e) {
        throw new AssertionError(e.getMessage() + "\nwireguard-go log:\n" + lab.log(), e);
      }
    }
  }

  static byte[] key(int seed) {
    byte[] k = new byte[32];
    new SeededRandom(seed * 1000L).nextBytes(k);
    return k;
  }

  private void weInitiate(
      WireGuardGoLab lab, String name, int host, byte @Nullable [] psk, int seed) throws Exception {
    byte[] priv = key(seed);
    StaticIdentity me = StaticIdentity.of(priv);
    lab.addPeer(me.publicKey(), psk, host, 0);
    long epochNanos = System.currentTimeMillis() * 1_000_000L;
    ManualTimeSource time = new ManualTimeSource(epochNanos);
    Handshake h =
        Handshake.create(me, X25519.publicKey(WG_PRIVATE), psk, time, new SeededRandom(seed));
    int localIndex = 0x1000 + seed;
    Fixture f = new Fixture(name, priv, psk, seed, epochNanos, localIndex, lab.n);
    try (DatagramSocket sock = new DatagramSocket(new InetSocketAddress(lab.hostAddress, 0))) {
      sock.setSoTimeout(3000);
      InetSocketAddress wg = new InetSocketAddress(lab.wgAddress, lab.wgPort);
      byte[] init = new byte[148];
      assertThat(h.createInitiation(localIndex, init, 0)).isEqualTo(148);
      send(sock, wg, init, init.length);
      f.put("initiation", init, init.length);

      byte[] resp = receive(sock, Protocol.TYPE_RESPONSE);
      f.put("response", resp, resp.length);
      Handshake.ResponseResult rr = h.consumeResponse(resp, 0, resp.length);
      assertThat(rr.reason()).as(name).isEqualTo(Reason.OK);
      Keypair k = rr.keypair();

      byte[] ping = IcmpPackets.echoRequest(lab.tunnelAddress(host), lab.tunnelAddress(1), seed, 1);
      byte[] out = new byte[256];
      int n = k.seal(ping, 0, ping.length, out, 0);
      send(sock, wg, out, n);
      f.put("data_out", out, n);

      byte[] in = receive(sock, Protocol.TYPE_TRANSPORT);
      f.put("data_in", in, in.length);
      byte[] plain = new byte[in.length];
      int m = k.open(in, 0, in.length, plain, 0);
      assertThat(m).as(name).isGreaterThanOrEqualTo(64);
      assertThat(
              IcmpPackets.isEchoReply(
                  plain, m, lab.tunnelAddress(1), lab.tunnelAddress(host), seed, 1))
          .as(name + ": echo reply")
          .isTrue();
    }
    f.write();
  }

  private void theyInitiate(
      WireGuardGoLab lab, String name, int host, byte @Nullable [] psk, int seed) throws Exception {
    byte[] priv = key(seed);
    StaticIdentity me = StaticIdentity.of(priv);
    ManualTimeSource time = new ManualTimeSource(System.currentTimeMillis() * 1_000_000L);
    Handshake h =
        Handshake.create(me, X25519.publicKey(WG_PRIVATE), psk, time, new SeededRandom(seed));
    CookieChecker checker = new CookieChecker(me, time, new SeededRandom(seed + 1));
    int localIndex = 0x2000 + seed;
    Fixture f = new Fixture(name, priv, psk, seed, time.epochNanos(), localIndex, lab.n);
    try (DatagramSocket sock = new DatagramSocket(new InetSocketAddress(lab.hostAddress, 0))) {
      sock.setSoTimeout(3000);
      lab.addPeer(me.publicKey(), psk, host, sock.getLocalPort());
      DatagramPacket from = new DatagramPacket(new byte[2048], 2048);
      byte[] init = receive(sock, Protocol.TYPE_INITIATION, from);
      f.put("initiation", init, init.length);
      InetSocketAddress wg = (InetSocketAddress) from.getSocketAddress();
      assertThat(
              checker.check(init, 0, init.length, wg.getAddress().getAddress(), wg.getPort(), true))
          .isEqualTo(CookieChecker.Verdict.NEEDS_COOKIE);
      assertThat(
              checker.check(
                  init, 0, init.length, wg.getAddress().getAddress(), wg.getPort(), false))
          .isEqualTo(CookieChecker.Verdict.VALID);
      Handshake.InitiationResult r =
          Handshake.consumeInitiation(
              me,
              init,
              0,
              init.length,
              pub -> Arrays.equals(pub, X25519.publicKey(WG_PRIVATE)) ? h : null);
      assertThat(r.reason()).as(name).isEqualTo(Reason.OK);

      byte[] resp = new byte[92];
      Keypair k = h.createResponse(localIndex, resp, 0);
      send(sock, wg, resp, resp.length);
      f.put("response", resp, resp.length);
      Keypairs keypairs = new Keypairs();
      keypairs.install(k);

      byte[] keepalive = receive(sock, Protocol.TYPE_TRANSPORT);
      f.put("data_in", keepalive, keepalive.length);
      byte[] plain = new byte[2048];
      assertThat(k.open(keepalive, 0, keepalive.length, plain, 0)).as(name).isZero();
      assertThat(keypairs.receivedWith(k)).isTrue();

      byte[] ping = IcmpPackets.echoRequest(lab.tunnelAddress(host), lab.tunnelAddress(1), seed, 1);
      byte[] out = new byte[256];
      int n = keypairs.current().seal(ping, 0, ping.length, out, 0);
      send(sock, wg, out, n);
      f.put("data_out", out, n);
      byte[] in;
      int m;
      do { // skip wireguard-go's persistent keepalives
        in = receive(sock, Protocol.TYPE_TRANSPORT);
        m = k.open(in, 0, in.length, plain, 0);
      } while (m == 0);
      f.put("data_in2", in, in.length);
      assertThat(
              IcmpPackets.isEchoReply(
                  plain, m, lab.tunnelAddress(1), lab.tunnelAddress(host), seed, 1))
          .as(name + ": echo reply")
          .isTrue();
    }
    f.write();
  }

  /**
   * Under load, we answer wireguard-go's initiation with a cookie reply; its retry (after
   * REKEY_TIMEOUT, ~5 s) must carry a MAC2 that our checker accepts.
   */
  private void cookieRoundTrip(WireGuardGoLab lab, String name, int host, int seed)
      throws Exception {
    byte[] priv = key(seed);
    StaticIdentity me = StaticIdentity.of(priv);
    ManualTimeSource time = new ManualTimeSource(System.currentTimeMillis() * 1_000_000L);
    Handshake h =
        Handshake.create(me, X25519.publicKey(WG_PRIVATE), null, time, new SeededRandom(seed));
    CookieChecker checker = new CookieChecker(me, time, new SeededRandom(seed + 1));
    int localIndex = 0x3000 + seed;
    Fixture f = new Fixture(name, priv, null, seed, time.epochNanos(), localIndex, lab.n);
    try (DatagramSocket sock = new DatagramSocket(new InetSocketAddress(lab.hostAddress, 0))) {
      sock.setSoTimeout(8000);
      lab.addPeer(me.publicKey(), null, host, sock.getLocalPort());
      DatagramPacket from = new DatagramPacket(new byte[2048], 2048);
      byte[] init1 = receive(sock, Protocol.TYPE_INITIATION, from);
      InetSocketAddress wg = (InetSocketAddress) from.getSocketAddress();
      byte[] addr = wg.getAddress().getAddress();
      f.put("initiation", init1, init1.length);
      f.p.put("source_address", Hex.s(addr));
      f.p.put("source_port", Integer.toString(wg.getPort()));
      assertThat(checker.check(init1, 0, init1.length, addr, wg.getPort(), true))
          .isEqualTo(CookieChecker.Verdict.NEEDS_COOKIE);
      byte[] reply = new byte[64];
      checker.writeCookieReply(init1, 0, init1.length, addr, wg.getPort(), reply, 0);
      send(sock, wg, reply, 64);
      f.put("cookie_reply", reply, 64);

      byte[] init2 = receive(sock, Protocol.TYPE_INITIATION, from, 8_000_000_000L);
      f.put("initiation2", init2, init2.length);
      assertThat(checker.check(init2, 0, init2.length, addr, wg.getPort(), true))
          .as("wireguard-go's retry carries a valid MAC2")
          .isEqualTo(CookieChecker.Verdict.VALID);
      Handshake.InitiationResult r =
          Handshake.consumeInitiation(me, init2, 0, init2.length, pub -> h);
      assertThat(r.reason()).isEqualTo(Reason.OK);
      byte[] resp = new byte[92];
      Keypair k = h.createResponse(localIndex, resp, 0);
      send(sock, wg, resp, 92);
      byte[] keepalive = receive(sock, Protocol.TYPE_TRANSPORT);
      assertThat(k.open(keepalive, 0, keepalive.length, new byte[64], 0)).isZero();
    }
    f.write();
  }

  private static void send(DatagramSocket s, InetSocketAddress to, byte[] b, int len)
      throws IOException {
    s.send(new DatagramPacket(b, 0, len, to));
  }

  private static byte[] receive(DatagramSocket s, int type) throws IOException {
    return receive(s, type, new DatagramPacket(new byte[2048], 2048));
  }

  private static byte[] receive(DatagramSocket s, int type, DatagramPacket p) throws IOException {
    return receive(s, type, p, 5_000_000_000L);
  }

  private static byte[] receive(DatagramSocket s, int type, DatagramPacket p, long timeoutNanos)
      throws IOException {
    long deadline = System.nanoTime() + timeoutNanos;
    while (System.nanoTime() < deadline) {
      p.setLength(2048);
      try {
        s.receive(p);
      } catch (SocketTimeoutException e) {
        break;
      }
      byte[] b = Arrays.copyOfRange(p.getData(), p.getOffset(), p.getOffset() + p.getLength());
      if (Messages.validate(b, 0, b.length) == Reason.OK && b[0] == type) {
        return b;
      }
    }
    throw new AssertionError("no message of type " + type + " from wireguard-go");
  }

  /** Writes one exchange as a properties file (sorted), the format of the checked-in fixtures. */
  static final class Fixture {
    final TreeMap<String, String> p = new TreeMap<>();
    final String name;

    Fixture(
        String name,
        byte[] priv,
        byte @Nullable [] psk,
        int seed,
        long epochNanos,
        int localIndex,
        int net) {
      this.name = name;
      p.put("wireguard_go_private_key", Hex.s(WG_PRIVATE));
      p.put("our_private_key", Hex.s(priv));
      p.put("preshared_key", psk == null ? "" : Hex.s(psk));
      p.put("our_random_seed", Integer.toString(seed));
      p.put("our_epoch_nanos", Long.toString(epochNanos));
      p.put("our_local_index", Integer.toString(localIndex));
      p.put("tunnel_net", Integer.toString(net));
    }

    void put(String key, byte[] b, int len) {
      p.put(key, Hex.s(Arrays.copyOf(b, len)));
    }

    void write() throws IOException {
      Path dir = Path.of("target", "wireguard-go-fixtures");
      Files.createDirectories(dir);
      Properties props = new Properties();
      props.putAll(p);
      StringBuilder sb =
          new StringBuilder(
              "# Captured from wireguard-go 0.0.20220316 by "
                  + "WireGuardGoInteropTest ("
                  + name
                  + ")\n");
      p.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
      try (OutputStream o = Files.newOutputStream(dir.resolve(name + ".properties"))) {
        o.write(sb.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      }
    }
  }

  /** Base64 of a key, as {@code wg show} prints it. */
  static final class Base64Key {
    static String of(byte[] k) {
      return java.util.Base64.getEncoder().encodeToString(k);
    }
  }
}
