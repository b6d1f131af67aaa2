package io.wireguardjava.netstack.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The SOCKS5 messages byte for byte (RFC 1928 §3-7, RFC 1929 §2). */
class Socks5CodecTest {
  static ByteArrayInputStream in(int... v) {
    return new ByteArrayInputStream(Socks5ServerTest.bytes(v));
  }

  @Test
  void greetingAndMethodChoice() throws IOException {
    assertThat(Socks5Codec.readGreeting(in(5, 3, 0, 1, 2))).containsExactly(0, 1, 2);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Socks5Codec.writeMethod(out, 0xff);
    assertThat(out.toByteArray()).containsExactly(5, 0xff);
    assertThatThrownBy(() -> Socks5Codec.readGreeting(in(4, 1, 0)))
        .isInstanceOf(Socks5Exception.class)
        .hasMessageContaining("0x4");
    assertThatThrownBy(() -> Socks5Codec.readGreeting(in(5, 0)))
        .isInstanceOf(Socks5Exception.class);
    assertThatThrownBy(() -> Socks5Codec.readGreeting(in(5, 3, 0)))
        .isInstanceOf(EOFException.class);
  }

  @Test
  void usernamePassword() throws IOException {
    byte[][] up = Socks5Codec.readUserPass(in(1, 2, 'a', 'b', 3, 'x', 'y', 'z'));
    assertThat(up[0]).containsExactly('a', 'b');
    assertThat(up[1]).containsExactly('x', 'y', 'z');
    assertThatThrownBy(() -> Socks5Codec.readUserPass(in(5, 1, 'a', 1, 'b')))
        .isInstanceOf(Socks5Exception.class);
    assertThatThrownBy(() -> Socks5Codec.readUserPass(in(1, 5, 'a')))
        .isInstanceOf(EOFException.class);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Socks5Codec.writeUserPassStatus(out, 1);
    assertThat(out.toByteArray()).containsExactly(1, 1);
  }

  @Test
  void requestsOfEveryAddressType() throws IOException {
    assertThat(Socks5Codec.readRequest(in(5, 1, 0, 1, 10, 0, 0, 2, 0x1f, 0x90)))
        .isEqualTo(new Socks5Request(1, 1, "10.0.0.2", 8080));
    int[] v6 = {5, 3, 0, 4, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 53};
    assertThat(Socks5Codec.readRequest(in(v6)))
        .isEqualTo(new Socks5Request(3, 4, "fd00:0:0:0:0:0:0:1", 53));
    int[] mapped = {5, 1, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 0, 1, 0, 80};
    assertThat(Socks5Codec.readRequest(in(mapped)).host())
        .as("IPv4-mapped stays IPv6")
        .contains(":");
    assertThat(Socks5Codec.readRequest(in(5, 1, 0, 3, 3, 'a', '.', 'b', 0, 80)))
        .isEqualTo(new Socks5Request(1, 3, "a.b", 80));
    assertThatThrownBy(() -> Socks5Codec.readRequest(in(5, 1, 0, 9, 1, 2)))
        .isInstanceOf(Socks5Exception.class)
        .satisfies(e -> assertThat(((Socks5Exception) e).reply()).isEqualTo(8));
    assertThatThrownBy(() -> Socks5Codec.readRequest(in(5, 1, 0, 1, 10, 0, 0, 2, 0)))
        .isInstanceOf(EOFException.class);
  }

  @Test
  void replies() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Socks5Codec.writeReply(out, 0, new InetSocketAddress(InetAddress.getByName("10.0.0.1"), 443));
    assertThat(out.toByteArray()).containsExactly(5, 0, 0, 1, 10, 0, 0, 1, 1, 0xbb);
    out.reset();
    Socks5Codec.writeReply(out, 0, new InetSocketAddress(InetAddress.getByName("fd00::1"), 1));
    byte[] v6 = out.toByteArray();
    assertThat(v6).hasSize(22);
    assertThat(Arrays.copyOf(v6, 5)).containsExactly(5, 0, 0, 4, 0xfd);
    out.reset();
    Socks5Codec.writeFailure(out, 5);
    assertThat(out.toByteArray()).containsExactly(5, 5, 0, 1, 0, 0, 0, 0, 0, 0);
  }

  @Test
  void replyCodesOfFailures() {
    assertThat(Socks5.reply(Failure.NOT_ALLOWED)).isEqualTo(2);
    assertThat(Socks5.reply(Failure.NETWORK_UNREACHABLE)).isEqualTo(3);
    assertThat(Socks5.reply(Failure.HOST_UNREACHABLE)).isEqualTo(4);
    assertThat(Socks5.reply(Failure.TIMEOUT)).isEqualTo(4);
    assertThat(Socks5.reply(Failure.REFUSED)).isEqualTo(5);
    assertThat(Socks5.reply(Failure.GENERAL)).isEqualTo(1);
    assertThat(Failure.of(new java.net.ConnectException("Connection refused")))
        .isEqualTo(Failure.REFUSED);
    assertThat(Failure.of(new java.net.ConnectException("Connection timed out")))
        .isEqualTo(Failure.TIMEOUT);
    assertThat(Failure.of(new java.net.NoRouteToHostException("No route to host")))
        .isEqualTo(Failure.HOST_UNREACHABLE);
    assertThat(Failure.of(new java.net.SocketException("Network is unreachable")))
        .isEqualTo(Failure.NETWORK_UNREACHABLE);
    assertThat(Failure.of(new java.net.UnknownHostException("x")))
        .isEqualTo(Failure.HOST_UNREACHABLE);
    assertThat(Failure.of(new IOException("other"))).isEqualTo(Failure.GENERAL);
  }

  @Test
  void udpHeaderParseAndPrependInPlace() throws Exception {
    Socks5UdpHeader h = new Socks5UdpHeader();
    byte[] d = Socks5ServerTest.bytes(0, 0, 0, 1, 10, 0, 0, 53, 0, 53, 'q');
    assertThat(h.parse(d, 0, d.length)).isNull();
    assertThat(h.fragment).isZero();
    assertThat(h.addressLength()).isEqualTo(4);
    assertThat(Arrays.copyOf(h.address, 4)).containsExactly(10, 0, 0, 53);
    assertThat(h.port).isEqualTo(53);
    assertThat(h.payloadOffset).isEqualTo(10);
    byte[] named = Socks5ServerTest.bytes(0, 0, 2, 3, 1, 'x', 1, 0);
    assertThat(h.parse(named, 0, named.length)).isNull();
    assertThat(h.domain).isEqualTo("x");
    assertThat(h.fragment).isEqualTo(2);
    assertThat(h.port).isEqualTo(256);
    assertThat(h.parse(d, 0, 3)).contains("shorter");
    assertThat(h.parse(d, 0, 9)).contains("truncated");
    assertThat(h.parse(Socks5ServerTest.bytes(1, 0, 0, 1), 0, 4)).contains("reserved");
    assertThat(h.parse(Socks5ServerTest.bytes(0, 0, 0, 7, 0, 0), 0, 6)).contains("0x7");

    byte[] buf = new byte[Socks5UdpHeader.MAX_REPLY_LENGTH + 1];
    buf[Socks5UdpHeader.MAX_REPLY_LENGTH] = 'r';
    int start =
        Socks5UdpHeader.prepend(
            buf,
            Socks5UdpHeader.MAX_REPLY_LENGTH,
            new InetSocketAddress(InetAddress.getByName("10.0.0.53"), 53));
    assertThat(Arrays.copyOfRange(buf, start, buf.length))
        .containsExactly(0, 0, 0, 1, 10, 0, 0, 53, 0, 53, 'r');
    start =
        Socks5UdpHeader.prepend(
            buf,
            Socks5UdpHeader.MAX_REPLY_LENGTH,
            new InetSocketAddress(InetAddress.getByName("fd00::35"), 53));
    assertThat(start).isZero();
    assertThat(buf[3]).isEqualTo((byte) 4);
  }
}
