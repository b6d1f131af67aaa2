package io.wireguardjava.examples.netstack;

import static org.assertj.core.api.Assertions.assertThat;

import io.wireguardjava.Config;
import io.wireguardjava.Endpoint;
import io.wireguardjava.InetNetwork;
import io.wireguardjava.Interface;
import io.wireguardjava.Peer;
import io.wireguardjava.PrivateKey;
import io.wireguardjava.TunnelOptions;
import io.wireguardjava.netstack.TunnelNetwork;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/** Runs the example against an HTTP(S) server on a second tunnel network in the same JVM. */
class HttpThroughTunnelTest {

  private static TunnelNetwork open(PrivateKey key, String address, String name) throws Exception {
    Config c =
        Config.builder()
            .iface(
                Interface.builder().privateKey(key).addAddress(InetNetwork.parse(address)).build())
            .build();
    return TunnelNetwork.open(
        c,
        TunnelOptions.builder()
            .inProcessDevice()
            .interfaceName(name)
            .bindAddress(InetAddress.getLoopbackAddress())
            .build());
  }

  private static void peer(TunnelNetwork from, PrivateKey to, String allowed, TunnelNetwork at) {
    from.tunnel()
        .addPeer(
            Peer.builder()
                .publicKey(to.publicKey())
                .addAllowedIp(InetNetwork.parse(allowed))
                .endpoint(
                    Endpoint.of(
                        new InetSocketAddress(
                            InetAddress.getLoopbackAddress(), at.tunnel().listenPort())))
                .build());
  }

  /** Answers one request per connection with a small page naming the request line. */
  private static void serve(ServerSocket server, SSLContext tls) {
    while (!server.isClosed()) {
      try (Socket raw = server.accept()) {
        Socket s = raw;
        if (tls != null) {
          SSLSocket t =
              (SSLSocket) tls.getSocketFactory().createSocket(raw, null, raw.getPort(), true);
          t.setUseClientMode(false);
          s = t;
        }
        BufferedReader in =
            new BufferedReader(
                new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
        String requestLine = in.readLine();
        for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
          // headers
        }
        byte[] body = ("hello from the tunnel: " + requestLine).getBytes(StandardCharsets.UTF_8);
        s.getOutputStream()
            .write(
                ("HTTP/1.1 200 OK\r\nContent-Length: "
                        + body.length
                        + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().write(body);
        s.close();
      } catch (Exception e) {
        // closed, or a broken client: the assertion in the test tells
      }
    }
  }

  @Test
  void getsPlainAndTlsPagesThroughTheTunnel() throws Exception {
    PrivateKey ka = PrivateKey.generate();
    PrivateKey kb = PrivateKey.generate();
    SSLContext tls = selfSigned();
    try (TunnelNetwork client = open(ka, "10.9.0.1/32", "hipex1");
        TunnelNetwork web = open(kb, "10.9.0.2/32", "hipex2")) {
      peer(client, kb, "10.9.0.2/32", web);
      peer(web, ka, "10.9.0.1/32", client);
      ServerSocket http = web.listen(80);
      ServerSocket https = web.listen(443);
      Thread a = new Thread(() -> serve(http, null));
      Thread b = new Thread(() -> serve(https, tls));
      a.start();
      b.start();
      try {
        String plain =
            HttpThroughTunnel.get(
                client,
                URI.create("http://10.9.0.2/plain"),
                (SSLSocketFactory) SSLSocketFactory.getDefault());
        assertThat(plain)
            .startsWith("HTTP/1.1 200 OK")
            .endsWith("hello from the tunnel: GET /plain HTTP/1.1");
        String secure =
            HttpThroughTunnel.get(
                client, URI.create("https://10.9.0.2/secure"), tls.getSocketFactory());
        assertThat(secure)
            .startsWith("HTTP/1.1 200 OK")
            .endsWith("hello from the tunnel: GET /secure HTTP/1.1");
      } finally {
        http.close(); // ends the server loops
        https.close();
        a.join(10_000);
        b.join(10_000);
      }
    }
  }

  /** A self-signed certificate made with the JDK's keytool, trusted by the returned context. */
  private static SSLContext selfSigned() throws Exception {
    char[] pw = "hip-test".toCharArray();
    Path dir = Files.createTempDirectory("hip-tls");
    Path store = dir.resolve("t.p12");
    try {
      Process p =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                  "-genkeypair",
                  "-alias",
                  "t",
                  "-keyalg",
                  "EC",
                  "-groupname",
                  "secp256r1",
                  "-dname",
                  "CN=10.9.0.2",
                  "-ext",
                  "SAN=ip:10.9.0.2",
                  "-validity",
                  "2",
                  "-storetype",
                  "PKCS12",
                  "-keystore",
                  store.toString(),
                  "-storepass",
                  new String(pw),
                  "-keypass",
                  new String(pw))
              .redirectErrorStream(true)
              .start();
      p.getInputStream().readAllBytes();
      assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).as("keytool").isTrue();
      KeyStore ks = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(store)) {
        ks.load(in, pw);
      }
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, pw);
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      return ctx;
    } finally {
      Files.deleteIfExists(store);
      Files.deleteIfExists(dir);
    }
  }
}
