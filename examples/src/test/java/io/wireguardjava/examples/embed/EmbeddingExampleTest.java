package io.wireguardjava.examples.embed;

import static org.assertj.core.api.Assertions.assertThat;

import io.wireguardjava.PrivateKey;
import io.wireguardjava.examples.demo.Icmp;
import java.net.Inet4Address;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class EmbeddingExampleTest {

  @Test
  void exchangeGetsThePingAnswered() throws Exception {
    try (EchoServer server = new EchoServer()) {
      PrivateKey me = PrivateKey.generate();
      server.allow(me.publicKey());
      byte[] ping =
          Icmp.echo(
              Icmp.ECHO_REQUEST,
              (Inet4Address) InetAddress.getByName("10.8.0.2"),
              (Inet4Address) InetAddress.getByName("10.8.0.1"),
              1,
              1,
              new byte[8]);
      byte[] reply = EmbeddingExample.exchange(me, server.publicKey(), server.endpoint(), ping);
      assertThat(Icmp.type(reply, reply.length)).isEqualTo(Icmp.ECHO_REPLY);
    }
  }
}
