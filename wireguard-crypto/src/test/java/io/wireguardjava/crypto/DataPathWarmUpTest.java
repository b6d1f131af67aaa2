package io.wireguardjava.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DataPathWarmUpTest {
  @Test
  void everyRoundOpensToWhatWasSealed() {
    assertThat(DataPathWarmUp.run(257)).isEqualTo(257);
  }

  @Test
  void zeroRoundsDoNothing() {
    assertThat(DataPathWarmUp.run(0)).isZero();
  }

  @Test
  void negativeRoundsAreRefused() {
    assertThatThrownBy(() -> DataPathWarmUp.run(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rounds");
  }
}
