package io.wireguardjava.netstack.internal.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class DnsMessageTest {
  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replace(" ", ""));
  }

  @Test
  void queryEncodingMatchesRfc1035() {
    // dig +noedns example.com A, id 0x1234, RD: the bytes on the wire.
    assertThat(DnsMessage.query(0x1234, "example.com", DnsMessage.TYPE_A))
        .isEqualTo(hex("1234 0100 0001 0000 0000 0000 07 6578616d706c65 03 636f6d 00 0001 0001"));
  }

  @Test
  void followsCnameChainsWithCompression() throws Exception {
    // www.example.com CNAME web.example.com; web.example.com A 93.184.216.34; TTLs 300 and 60.
    byte[] m =
        hex(
            "1234 8180 0001 0002 0000 0000"
                + " 03 777777 07 6578616d706c65 03 636f6d 00 0001 0001"
                + " c00c 0005 0001 0000012c 0006 03 776562 c010"
                + " c02d 0001 0001 0000003c 0004 5db8d822");
    DnsMessage.Answer a =
        DnsMessage.parse(m, m.length, 0x1234, "www.example.com", DnsMessage.TYPE_A);
    assertThat(a.addresses()).containsExactly(InetAddress.getByName("93.184.216.34"));
    assertThat(a.ttlSeconds()).isEqualTo(60);
    assertThat(a.rcode()).isZero();
  }

  @Test
  void refusesWrongIdQuestionAndLoops() {
    byte[] m = hex("1234 8180 0001 0000 0000 0000 01 61 00 0001 0001");
    assertThatThrownBy(() -> DnsMessage.parse(m, m.length, 0x1235, "a", 1))
        .isInstanceOf(DnsMessage.MalformedException.class);
    assertThatThrownBy(() -> DnsMessage.parse(m, m.length, 0x1234, "b", 1))
        .isInstanceOf(DnsMessage.MalformedException.class);
    byte[] loop = hex("1234 8180 0001 0000 0000 0000 c00c 0001 0001");
    assertThatThrownBy(() -> DnsMessage.parse(loop, loop.length, 0x1234, "a", 1))
        .isInstanceOf(DnsMessage.MalformedException.class)
        .hasMessageContaining("pointer");
    assertThatThrownBy(() -> DnsMessage.parse(m, 11, 0x1234, "a", 1))
        .isInstanceOf(DnsMessage.MalformedException.class);
  }

  @Test
  void validatesNames() {
    assertThat(DnsMessage.isValidName("a-b.c_d.example")).isTrue();
    assertThat(DnsMessage.isValidName("a..b")).isFalse();
    assertThat(DnsMessage.isValidName("a".repeat(64))).isFalse();
    assertThat(DnsMessage.isValidName("x y")).isFalse();
  }
}
