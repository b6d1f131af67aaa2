package io.wireguardjava.uapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.wireguardjava.InetNetwork;
import java.io.ByteArrayOutputStream;
import java.net.Inet6Address;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link ReplyWriter}'s addresses, written without strings, against the api's formatter. */
class ReplyWriterTest {

  private static String written(InetNetwork n) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ReplyWriter w =
        new ReplyWriter(
            ByteBuffer.allocate(64), // small: lines cross buffer boundaries
            b -> out.write(b.array(), b.arrayOffset() + b.position(), b.remaining()));
    for (int i = 0; i < 3; i++) {
      w.prefix(n).ch('\n');
    }
    w.flush();
    return out.toString(StandardCharsets.US_ASCII);
  }

  @Test
  void writesIpv6AsInetNtop() throws Exception {
    assertThat(written(InetNetwork.parse("fd00::1/128"))).startsWith("fd00::1/128\n");
    assertThat(written(InetNetwork.parse("::/0"))).startsWith("::/0\n");
    assertThat(written(InetNetwork.parse("::1/128"))).startsWith("::1/128\n");
    assertThat(written(InetNetwork.parse("1:0:0:2:0:0:0:3/128"))).startsWith("1:0:0:2::3/128\n");
    assertThat(written(InetNetwork.parse("1:0:0:2:3:0:0:4/128"))).startsWith("1::2:3:0:0:4/128\n");
    assertThat(written(InetNetwork.parse("1:2:3:4:5:6:7:0/128")))
        .startsWith("1:2:3:4:5:6:7:0/128\n");
    assertThat(written(InetNetwork.parse("::ffff:10.1.2.3/128")))
        .startsWith("::ffff:10.1.2.3/128\n");
    assertThat(written(InetNetwork.parse("10.20.30.40/8"))).startsWith("10.20.30.40/8\n");
  }

  /** Random addresses with runs of zero groups: the same text as {@code InetNetwork.toString}. */
  @Test
  void agreesWithTheApiFormatter() throws Exception {
    Random rnd = new Random(11);
    for (int i = 0; i < 20_000; i++) {
      byte[] b = new byte[16];
      for (int g = 0; g < 8; g++) {
        int kind = rnd.nextInt(4);
        int v = kind < 2 ? 0 : kind == 2 ? rnd.nextInt(16) : rnd.nextInt(0x10000);
        b[2 * g] = (byte) (v >> 8);
        b[2 * g + 1] = (byte) v;
      }
      if (rnd.nextInt(20) == 0) { // IPv4-mapped
        java.util.Arrays.fill(b, 0, 10, (byte) 0);
        b[10] = (byte) 0xff;
        b[11] = (byte) 0xff;
      }
      InetNetwork n = InetNetwork.of(b, rnd.nextInt(129));
      String expected = InetNetwork.addressText(Inet6Address.getByAddress(null, b, -1));
      assertThat(written(n)).isEqualTo((expected + "/" + n.prefixLength() + "\n").repeat(3));
    }
  }
}
