package example.consumer;

import io.wireguardjava.Config;
import io.wireguardjava.Endpoint;
import io.wireguardjava.InetNetwork;
import io.wireguardjava.Interface;
import io.wireguardjava.Peer;
import io.wireguardjava.PrivateKey;
import io.wireguardjava.Tunnel;
import io.wireguardjava.TunnelOptions;
import io.wireguardjava.tun.linux.LinuxTunSupport;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * Opens two in-process tunnels that handshake over 127.0.0.1, sends one IPv4 packet through them,
 * and checks the module boundaries. Prints "consumer ok" and exits 0, or exits 1 with the reason.
 */
public final class Main {
  private Main() {}

  /**
   * Runs the checks.
   *
   * @param args two free UDP ports
   * @throws Exception on any failure
   */
  public static void main(String[] args) throws Exception {
    int portA = Integer.parseInt(args[0]);
    int portB = Integer.parseInt(args[1]);
    check(Main.class.getModule().isNamed(), "the consumer runs on the module path");
    check("io.wireguardjava".equals(Tunnel.class.getModule().getName()),
        "the API module is io.wireguardjava, not " + Tunnel.class.getModule());

    PrivateKey a = PrivateKey.generate();
    PrivateKey b = PrivateKey.generate();
    Config configA = config(a, b, "10.99.0.1", "10.99.0.2", portA, portB);
    Config configB = config(b, a, "10.99.0.2", "10.99.0.1", portB, portA);
    try (Tunnel ta = Tunnel.open(configA, TunnelOptions.inProcessDevice());
        Tunnel tb = Tunnel.open(configB, TunnelOptions.inProcessDevice())) {
      Module engine = ta.getClass().getModule();
      check("io.wireguardjava.core".equals(engine.getName()),
          "the engine was found as a service in module io.wireguardjava.core, not " + engine);
      Module crypto = ModuleLayer.boot().findModule("io.wireguardjava.crypto")
          .orElseThrow(() -> new AssertionError("io.wireguardjava.crypto not resolved"));
      check(!crypto.isExported("io.wireguardjava.crypto", Main.class.getModule()),
          "the crypto internals are not exported to applications");
      check(!engine.isExported("io.wireguardjava.core", Main.class.getModule()),
          "the engine's own package is not exported to applications");

      byte[] packet = udpPacket(new byte[] {10, 99, 0, 1}, new byte[] {10, 99, 0, 2},
          "hello over the module path".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      ta.packets().send(packet, 0, packet.length);
      byte[] buf = new byte[tb.packets().mtu()];
      int n = tb.packets().receive(buf, 0, buf.length, Duration.ofSeconds(20));
      check(n == packet.length && Arrays.equals(packet, Arrays.copyOf(buf, n)),
          "the packet came out of the other tunnel unchanged (got " + n + " bytes)");
    }

    // The Linux TUN module loads libc through JNR-FFI, whose generated classes must be able to
    // see the binding interface from their own class loader.
    Optional<String> cause = LinuxTunSupport.unavailabilityCause();
    check(cause.isEmpty() || !cause.get().contains("JNR"),
        "JNR-FFI loads libc on the module path: " + cause.orElse(""));
    System.out.println("linux-tun available: " + cause.map(c -> "no (" + c + ")").orElse("yes"));
    System.out.println("consumer ok on Java " + Runtime.version().feature());
  }

  private static Config config(PrivateKey me, PrivateKey peer, String myIp, String peerIp,
      int myPort, int peerPort) {
    return Config.builder()
        .iface(Interface.builder()
            .privateKey(me)
            .addAddress(InetNetwork.parse(myIp + "/32"))
            .listenPort(myPort)
            .build())
        .addPeer(Peer.builder()
            .publicKey(peer.publicKey())
            .addAllowedIp(InetNetwork.parse(peerIp + "/32"))
            .endpoint(Endpoint.parse("127.0.0.1:" + peerPort))
            .build())
        .build();
  }

  /** An IPv4/UDP packet with a correct header checksum (UDP checksum 0: none). */
  private static byte[] udpPacket(byte[] src, byte[] dst, byte[] payload) {
    int length = 20 + 8 + payload.length;
    byte[] p = new byte[length];
    p[0] = 0x45;
    p[2] = (byte) (length >>> 8);
    p[3] = (byte) length;
    p[8] = 64; // TTL
    p[9] = 17; // UDP
    System.arraycopy(src, 0, p, 12, 4);
    System.arraycopy(dst, 0, p, 16, 4);
    int sum = 0;
    for (int i = 0; i < 20; i += 2) {
      sum += ((p[i] & 0xff) << 8) | (p[i + 1] & 0xff);
    }
    sum = (sum & 0xffff) + (sum >>> 16);
    sum = ~((sum & 0xffff) + (sum >>> 16)) & 0xffff;
    p[10] = (byte) (sum >>> 8);
    p[11] = (byte) sum;
    p[20] = 0x30; // source port 12345
    p[21] = 0x39;
    p[22] = 0x30; // destination port 12345
    p[23] = 0x39;
    p[24] = (byte) ((8 + payload.length) >>> 8);
    p[25] = (byte) (8 + payload.length);
    System.arraycopy(payload, 0, p, 28, payload.length);
    return p;
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      System.err.println("FAILED: " + what);
      System.exit(1);
    }
    System.out.println("ok: " + what);
  }
}
