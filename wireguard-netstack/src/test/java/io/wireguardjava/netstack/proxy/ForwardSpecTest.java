package io.wireguardjava.netstack.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wireguardjava.netstack.proxy.ForwardSpec.Direction;
import io.wireguardjava.netstack.proxy.ForwardSpec.Protocol;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** The {@code -L}/{@code -R} syntax, which is a contract of the command line. */
class ForwardSpecTest {
  @Test
  void localForms() throws Exception {
    ForwardSpec f = ForwardSpec.parseLocal("8080:db.internal:5432");
    assertThat(f.direction()).isEqualTo(Direction.LOCAL_TO_TUNNEL);
    assertThat(f.protocol()).isEqualTo(Protocol.TCP);
    assertThat(f.listen()).isEqualTo(new InetSocketAddress(InetAddress.getLoopbackAddress(), 8080));
    assertThat(f.targetHost()).isEqualTo("db.internal");
    assertThat(f.targetPort()).isEqualTo(5432);
    assertThat(f).hasToString("-L 127.0.0.1:8080:db.internal:5432");

    ForwardSpec u = ForwardSpec.parseLocal("udp:0.0.0.0:5353:10.0.0.53:53");
    assertThat(u.protocol()).isEqualTo(Protocol.UDP);
    assertThat(u.listen()).isEqualTo(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 5353));
    assertThat(u).hasToString("-L udp:0.0.0.0:5353:10.0.0.53:53");

    ForwardSpec v6 = ForwardSpec.parseLocal("[::1]:0:[fd00::2]:80");
    assertThat(v6.listen()).isEqualTo(new InetSocketAddress(InetAddress.getByName("::1"), 0));
    assertThat(v6.targetHost()).isEqualTo("fd00::2");
    assertThat(v6).hasToString("-L [0:0:0:0:0:0:0:1]:0:[fd00::2]:80");

    assertThat(ForwardSpec.parseLocal("*:22:10.0.0.2:22").listen().getAddress().isAnyLocalAddress())
        .isTrue();
    assertThat(ForwardSpec.parseLocal("localhost:22:10.0.0.2:22").listen().getAddress())
        .isEqualTo(InetAddress.getLoopbackAddress());
    assertThat(ForwardSpec.parseLocal("TCP:22:10.0.0.2:22").protocol()).isEqualTo(Protocol.TCP);
    assertThat(ForwardSpec.parseLocal("8080:db.internal:5432"))
        .isEqualTo(ForwardSpec.parseLocal("127.0.0.1:8080:db.internal:5432"));
  }

  @Test
  void remoteForms() {
    ForwardSpec r = ForwardSpec.parseRemote("8080:127.0.0.1:80");
    assertThat(r.direction()).isEqualTo(Direction.TUNNEL_TO_LOCAL);
    assertThat(r.listen().getPort()).isEqualTo(8080);
    assertThat(r.listen().getAddress().isAnyLocalAddress()).isTrue();
    assertThat(r).hasToString("-R 8080:127.0.0.1:80");
    ForwardSpec u = ForwardSpec.parseRemote("udp:5000:[::1]:5001");
    assertThat(u.protocol()).isEqualTo(Protocol.UDP);
    assertThat(u.targetHost()).isEqualTo("::1");
    assertThat(u).hasToString("-R udp:5000:[::1]:5001");
  }

  @Test
  void errorsNameThePart() {
    Object[][] local = {
      {"8080", "expected [udp:][BIND:]PORT:HOST:HOSTPORT"},
      {"1:2:3:4:5", "expected"},
      {"x:8080:h:80", "BIND \"x\" is not an IP address"},
      {"70000:h:80", "PORT 70000 is out of range"},
      {"80:h:0", "HOSTPORT 0 is out of range"},
      {"80:h:http", "HOSTPORT \"http\" is not a port number"},
      {"80::80", "HOST is empty"},
      {"80:a b:80", "HOST \"a b\" is not a host name"},
      {"80:[10.0.0.1]:80", "is not an IPv6 address"},
      {"80:[fd00::1:80", "unclosed ["},
      {"80:fd00::1:80", "expected"},
      {"udp:80:h", "expected"}
    };
    for (Object[] c : local) {
      assertThatThrownBy(() -> ForwardSpec.parseLocal((String) c[0]))
          .as((String) c[0])
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("bad forward \"" + c[0] + "\"")
          .hasMessageContaining((String) c[1]);
    }
    Object[][] remote = {
      {"0:h:80", "TUNNELPORT 0 is out of range"},
      {"127.0.0.1:80:h:80", "expected [udp:]TUNNELPORT:HOST:HOSTPORT"},
      {"80:h:65536", "HOSTPORT 65536"}
    };
    for (Object[] c : remote) {
      assertThatThrownBy(() -> ForwardSpec.parseRemote((String) c[0]))
          .as((String) c[0])
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining((String) c[1]);
    }
  }
}
