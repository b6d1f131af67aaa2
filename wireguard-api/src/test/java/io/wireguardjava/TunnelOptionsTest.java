package io.wireguardjava;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The listeners a tunnel registers before it starts: kept in order, checked, immutable. */
class TunnelOptionsTest {

  @Test
  void listenersKeepTheirOrderAndCannotBeChangedAfterBuild() {
    TunnelListener first = new TunnelListener() {};
    TunnelListener second = new TunnelListener() {};
    TunnelOptions options =
        TunnelOptions.builder().inProcessDevice().listener(first).listener(second).build();
    assertThat(options.listeners()).containsExactly(first, second);
    assertThatThrownBy(() -> options.listeners().clear())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(options.toString()).contains("2 listener(s)");
    assertThat(TunnelOptions.inProcessDevice().listeners()).isEmpty();
  }

  @Test
  void aNullListenerIsRefusedByName() {
    assertThatThrownBy(() -> TunnelOptions.builder().listener(nullListener()))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("listener");
  }

  @SuppressWarnings("NullAway") // the point: what a caller without null checks passes
  private static TunnelListener nullListener() {
    return null;
  }
}
