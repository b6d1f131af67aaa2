package io.wireguardjava.tun.mac;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wireguardjava.Config;
import io.wireguardjava.PrivateKey;
import io.wireguardjava.spi.PacketDeviceProvider;
import io.wireguardjava.tun.mac.Native.LibC;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

class MacTunProviderTest {

  @Test
  void isRegisteredForServiceLoader() {
    assertThat(
            ServiceLoader.load(PacketDeviceProvider.class).stream()
                .map(ServiceLoader.Provider::type)
                .collect(Collectors.toList()))
        .contains(MacTunProvider.class);
    assertThat(new MacTunProvider().name()).isEqualTo("macos-utun");
  }

  @Test
  @DisabledOnOs(OS.MAC)
  void isUnavailableOffMacOsAndSaysWhy() throws Exception {
    MacTunProvider provider = new MacTunProvider();
    assertThat(provider.isAvailable()).isFalse();
    assertThat(provider.unavailabilityCause())
        .hasValueSatisfying(cause -> assertThat(cause).contains("needs macOS"));
    Config config =
        Config.parse("[Interface]\nPrivateKey = " + PrivateKey.generate().toBase64() + "\n");
    assertThatThrownBy(() -> provider.open(Optional.empty(), config))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("needs macOS");
  }

  @Test
  void onMacOsNeedsLibcAndRoot() {
    assertThat(MacTunSupport.probe("Mac OS X", () -> libcWithEuid(0))).isEmpty();
    assertThat(MacTunSupport.probe("Mac OS X", () -> libcWithEuid(501)))
        .hasValueSatisfying(cause -> assertThat(cause).contains("root"));
    assertThat(
            MacTunSupport.probe(
                "Mac OS X",
                () -> {
                  throw new UnsatisfiedLinkError("no libc.dylib");
                }))
        .hasValueSatisfying(cause -> assertThat(cause).contains("libc"));
    assertThat(MacTunSupport.probe("Linux", () -> libcWithEuid(0))).isPresent();
    assertThat(MacTunSupport.probe("Windows 11", () -> libcWithEuid(0))).isPresent();
  }

  private static LibC libcWithEuid(int euid) {
    return (LibC)
        Proxy.newProxyInstance(
            LibC.class.getClassLoader(),
            new Class<?>[] {LibC.class},
            (proxy, method, args) -> {
              if (method.getName().equals("geteuid")) {
                return euid;
              }
              throw new UnsupportedOperationException(method.getName());
            });
  }
}
