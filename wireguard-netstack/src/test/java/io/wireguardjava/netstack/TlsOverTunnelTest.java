package io.wireguardjava.netstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/**
 * TLS layered on the tunnel's sockets with SSLSocketFactory.createSocket(socket, host, port, true).
 */
class TlsOverTunnelTest {

  @Test
  void tlsBothSidesOverTunnelSockets() throws Exception {
    SSLContext tls = TestCertificates.selfSigned("db.corp.test");
    try (NetworkPair pair = new NetworkPair();
        ServerSocket server = pair.b.listen(8443)) {
      CompletableFuture<String> served =
          CompletableFuture.supplyAsync(
              () -> {
                try (Socket raw = server.accept();
                    SSLSocket s =
                        (SSLSocket)
                            tls.getSocketFactory().createSocket(raw, null, raw.getPort(), true)) {
                  s.setUseClientMode(false);
                  DataInputStream in = new DataInputStream(s.getInputStream());
                  byte[] data = new byte[in.readInt()];
                  in.readFully(data);
                  DataOutputStream out = new DataOutputStream(s.getOutputStream());
                  out.write(MessageDigest.getInstance("SHA-256").digest(data));
                  out.flush();
                  return s.getSession().getProtocol();
                } catch (Exception e) {
                  throw new RuntimeException(e);
                }
              });
      Socket raw =
          pair.a.connect(new InetSocketAddress(NetworkPair.B4, 8443), Duration.ofSeconds(20));
      try (SSLSocket s =
          (SSLSocket) tls.getSocketFactory().createSocket(raw, "db.corp.test", 8443, true)) {
        SSLParameters params = s.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS"); // checks the certificate's name
        params.setServerNames(java.util.List.of(new SNIHostName("db.corp.test")));
        s.setSSLParameters(params);
        s.setSoTimeout(30_000);
        s.startHandshake();
        byte[] data = new byte[300_000];
        new Random(3).nextBytes(data);
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        out.writeInt(data.length);
        out.write(data);
        out.flush();
        byte[] digest = new DataInputStream(s.getInputStream()).readNBytes(32);
        assertThat(digest).isEqualTo(MessageDigest.getInstance("SHA-256").digest(data));
        assertThat(s.getSession().getPeerPrincipal().getName()).isEqualTo("CN=db.corp.test");
      }
      assertThat(served.get(60, TimeUnit.SECONDS)).startsWith("TLSv1.");
      assertThat(raw.isClosed()).isTrue(); // autoClose: closing the TLS socket closed ours
    }
  }
}
